#!/usr/bin/env bash
# `make tensorboard-venv`: a virtual environment in .build/tensorboard-venv (ignored by git, removed by
# `make clean`) with TensorBoard from PyPI, pinned, for the TensorBoard module's tests: they read our event
# files with TensorBoard's own EventAccumulator (Scripts/tensorboard_read.py) and compare our protocol-buffer
# bytes with the ones TensorBoard's copy of TensorFlow's messages makes (Scripts/tensorboard_reference.py).
# Debian's python3 with python3-venv (the Makefile installs both); does nothing when the pinned version is there.
# Usage: Scripts/tensorboard-venv.sh
set -euo pipefail
cd "$(dirname "$0")/.."
version=2.21.0
venv=.build/tensorboard-venv
python=/usr/bin/python3
if [ -x "$venv/bin/python" ] &&
  "$venv/bin/python" -c "import sys, tensorboard; sys.exit(tensorboard.__version__ != '$version')" 2>/dev/null; then
  exit 0
fi
echo "Installing tensorboard==$version into $venv"
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check "tensorboard==$version"
"$venv/bin/python" -c "import tensorboard; print('tensorboard', tensorboard.__version__, 'in $venv')"
