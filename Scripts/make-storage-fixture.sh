#!/bin/sh
# Regenerates the storage fixture Tests/TunerCLITests/Fixtures/StorageV3/ with a given `tuner` binary:
#
#   Scripts/make-storage-fixture.sh [path/to/tuner]      (default: .build/release/tuner)
#
# The fixture is a study database as a released `tuner` writes it, kept so that later versions
# (new storage code, new migrations) are tested against a real old file (StorageFixtureTests).
# Regenerate it only on purpose: the committed file stands for the commit named in its README.
#
# It holds three studies, made by running the binary on the study files committed beside it:
#   random-command   a finished random command study: trials 1-4 COMPLETE, 3 steps of "loss" each;
#   hyperband-model  a Hyperband model study on data.csv stopped after its first round (max_trials 3):
#                    trials 1-3 COMPLETE after 1 epoch, each with its checkpoint file;
#   ask-tell         `tuner create` + `tuner ask`: trial 1 COMPLETE (2 steps), trial 2 FAILED,
#                    trial 3 RUNNING (asked, never told).
#
# Paths: today's `tuner` stores checkpoint paths (and the study file's path in study_sources) as
# ABSOLUTE paths, resolved from the storage path. So the fixture is always made in the same folder,
# $WORK below (/tmp/tuner-storage-fixture), and the stored paths all start with it. The checkpoint
# files are committed beside the database (StorageV3/studies.sqlite.checkpoints/...), and the tests
# put copies of them back at the stored absolute paths under $WORK before resuming.
#
# The database is not edited: the only post-processing is `PRAGMA wal_checkpoint(TRUNCATE)` and
# `VACUUM` through sqlite3 (neither changes any row), so the .sqlite is self-contained (no -wal or
# -shm file) and small.
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
TUNER=${1:-$REPO/.build/release/tuner}
case $TUNER in /*) ;; *) TUNER=$(pwd)/$TUNER ;; esac
FIXTURE=$REPO/Tests/TunerCLITests/Fixtures/StorageV3
WORK=/tmp/tuner-storage-fixture
DB=studies.sqlite

[ -x "$TUNER" ] || { echo "no tuner binary at $TUNER" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed (apt-get install sqlite3)" >&2; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK"
cp "$FIXTURE/random.yaml" "$FIXTURE/hyperband.yaml" "$FIXTURE/space.yaml" "$FIXTURE/data.csv" "$WORK/"
cd "$WORK"
export TUNER_STORAGE="$WORK/$DB"

# 1. A finished random command study.
"$TUNER" search random.yaml --quiet

# 2. Hyperband, first round only (the file's max_trials is 3): three 1-epoch trials with checkpoints.
"$TUNER" search hyperband.yaml --quiet

# 3. Ask/tell: one told complete with a curve, one told failed, one asked and left RUNNING.
"$TUNER" create ask-tell --space space.yaml --oracle random --direction max --metric accuracy --max-trials 6 --seed 7
trial_number() { sed -n 's/.*"trial" *: *\([0-9][0-9]*\).*/\1/p'; }
first=$("$TUNER" ask ask-tell | trial_number)
"$TUNER" tell ask-tell --trial "$first" --step 0 --value 0.61 --step 1 --value 0.74 --value 0.74
second=$("$TUNER" ask ask-tell | trial_number)
"$TUNER" tell ask-tell --trial "$second" --state failed --reason "out of memory on the fixture machine"
"$TUNER" ask ask-tell > asked-trial.json
cat asked-trial.json

# Every connection is closed: fold the WAL into the file and compact it (no row changes).
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE);' 'VACUUM;' >/dev/null
sqlite3 "$DB" 'PRAGMA integrity_check;'
rm -f "$DB-wal" "$DB-shm"

# Copy the database and its checkpoint files into the repository.
rm -rf "$FIXTURE/$DB" "$FIXTURE/$DB.checkpoints"
cp "$DB" "$FIXTURE/$DB"
cp -R "$DB.checkpoints" "$FIXTURE/$DB.checkpoints"
"$TUNER" studies
ls -lR "$FIXTURE"
echo "Made with: $("$TUNER" --version 2>/dev/null || echo "$TUNER")"
echo "Now update the commit named in $FIXTURE/README.md."
