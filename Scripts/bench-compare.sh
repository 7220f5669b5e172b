#!/usr/bin/env bash
# `make bench-compare`: the reference MLP epoch and the small CNN epoch in Tuner and in Keras,
# the book's three searches in Tuner and in Keras Tuner (Scripts/keras_tuner_book_searches.py),
# multi-objective search in Tuner and in Optuna (Scripts/optuna_multiobjective.py), a shared study's
# throughput on PostgreSQL and SQLite in Tuner and in Optuna (Scripts/optuna_store_throughput.py),
# measured in the same run.
# Keras, Keras Tuner and Optuna come from PyPI into .bench/venv (ignored by git); never used by the tests.
# Usage: Scripts/bench-compare.sh PATH_TO_TUNER_BENCH
set -euo pipefail
bench="$1"
cd "$(dirname "$0")/.."
venv=.bench/venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip
fi
"$venv/bin/python" -c "import tensorflow" 2>/dev/null || "$venv/bin/pip" install -q "tensorflow-cpu==2.21.0"

# Runs a peer's Python script in the venv ("$@" after the log's name); its standard error goes to
# .bench/NAME-stderr.log and is shown only when the script fails (then this returns its status).
peer() {
  local log=".bench/$1-stderr.log"
  shift
  TF_CPP_MIN_LOG_LEVEL=3 "$venv/bin/python" "$@" 2>"$log" || { local status=$?; cat "$log" >&2; return $status; }
}

ours=$("$bench" mlp)
echo "$ours"
for threads in 1 2; do
  theirs=$(peer keras Scripts/keras_mlp_epoch.py "$threads")
  echo "$theirs"
  mine=$(echo "$ours" | awk -v n="mlp_epoch_${threads}thread" '$2 == n { print $3 }')
  keras=$(echo "$theirs" | awk '{ print $3 }')
  awk -v k="$keras" -v m="$mine" -v t="$threads" \
    'BEGIN { printf "BENCH compare_mlp_epoch_keras_over_tuner_%dthread %.2f x\n", t, k / m }'
done

ours_cnn=$("$bench" cnn)
echo "$ours_cnn"
theirs_cnn=$(peer keras Scripts/keras_cnn_epoch.py 1)
echo "$theirs_cnn"
mine=$(echo "$ours_cnn" | awk '$2 == "cnn_epoch_1thread" { print $3 }')
keras=$(echo "$theirs_cnn" | awk '{ print $3 }')
awk -v k="$keras" -v m="$mine" 'BEGIN { printf "BENCH compare_cnn_epoch_keras_over_tuner_1thread %.2f x\n", k / m }'

# The book's three searches (random, Hyperband, Bayesian) with `tuner search` (a trial per core) and
# with Keras Tuner 1.4.8 (one trial at a time, TensorFlow on every core), on the same data: wall time
# ratio (issue 16's target: Keras Tuner's time at least 3x ours) and both best validation accuracies.
# (Keras Tuner imports TensorBoard's hparams API for every trial; tensorflow-cpu no longer pulls it in.)
"$venv/bin/python" -c "import keras_tuner, tensorboard" 2>/dev/null || "$venv/bin/pip" install -q "keras-tuner==1.4.8" tensorboard
ours_search=$("$bench" search)
echo "$ours_search"
theirs_search=$(peer keras-tuner Scripts/keras_tuner_book_searches.py)
echo "$theirs_search"
printf '%s\n%s\n' "$ours_search" "$theirs_search" | awk '
  $1 == "BENCH" && $2 ~ /^search_[a-z]+_[0-9]+trials_at_once$/ {
    kind = $2; sub(/^search_/, "", kind); sub(/_[0-9]+trials_at_once$/, "", kind); ours[kind] = $3
  }
  $1 == "BENCH" && $2 ~ /^search_[a-z]+_[0-9]+trials_at_once_best_val_accuracy$/ {
    kind = $2; sub(/^search_/, "", kind); sub(/_[0-9]+trials_at_once_best_val_accuracy$/, "", kind); oursAccuracy[kind] = $3
  }
  $1 == "KERAS_TUNER" && $2 ~ /^search_[a-z]+$/ { kind = $2; sub(/^search_/, "", kind); theirs[kind] = $3; order[++count] = kind }
  $1 == "KERAS_TUNER" && $2 ~ /^search_[a-z]+_best_val_accuracy$/ {
    kind = $2; sub(/^search_/, "", kind); sub(/_best_val_accuracy$/, "", kind); theirAccuracy[kind] = $3
  }
  END {
    for (i = 1; i <= count; i++) {
      k = order[i]
      if ((k in ours) && ours[k] > 0) {
        printf "BENCH compare_search_%s_keras_tuner_over_tuner %.2f x\n", k, theirs[k] / ours[k]
        printf "BENCH compare_search_%s_best_val_accuracy_tuner_minus_keras_tuner %.4f\n", k, oursAccuracy[k] - theirAccuracy[k]
      }
    }
  }'

# Multi-objective search: Tuner's GP suggestion and random search beside Optuna's NSGA-II, TPE and GP
# samplers on the same problems, budget and seeds (GPSampler needs PyTorch and SciPy).
"$venv/bin/python" -c "import optuna, scipy, torch" 2>/dev/null ||
  "$venv/bin/pip" install -q "optuna==5.0.0" scipy torch
"$bench" mo
peer optuna Scripts/optuna_multiobjective.py

# Issue 14's shared-study throughput: 16 processes asking and telling trivial trials, ours and then
# Optuna's (random sampler, RDBStorage through psycopg2) on the same throwaway PostgreSQL servers (one
# that does not wait for the disk, one with PostgreSQL's durable defaults) and the same SQLite disk
# (Scripts/optuna_store_throughput.py, run by tuner-bench itself). The last lines: ours over Optuna's.
"$venv/bin/python" -c "import optuna, psycopg2" 2>/dev/null ||
  "$venv/bin/pip" install -q "optuna==5.0.0" psycopg2-binary
throughput=$(TUNER_BENCH_OPTUNA_PYTHON="$venv/bin/python" "$bench" store_throughput)
echo "$throughput"
echo "$throughput" | awk '
  $1 == "BENCH" && $2 ~ /^store_throughput_/ { name = $2; sub(/^store_throughput_/, "", name); ours[name] = $3 }
  $1 == "BENCH" && $2 ~ /^optuna_store_throughput_/ { name = $2; sub(/^optuna_store_throughput_/, "", name); theirs[name] = $3 }
  END {
    for (name in ours) if ((name in theirs) && theirs[name] > 0)
      printf "BENCH compare_store_throughput_%s_ours_over_optuna %.2f x\n", name, ours[name] / theirs[name]
  }'

# Issue 21's GP benchmark suite (docs/gp-benchmark-suite.md): Tuner's GP, TPE and random search beside
# Optuna's GPSampler and TPESampler and scikit-optimize's gp_minimize on the same 13 problems, budgets,
# seeds and noise model. `--check` first ties the Python definitions to the Swift ones' numbers.
# The last lines: per problem, our GP's median final regret over the best peer's, each floored at
# 1e-9 (so a problem every method solves to 1e-9, or a rounded optimum undercut by 1e-7, reads 1):
# at most 1 means at or below the best peer.
"$venv/bin/python" -c "import skopt, greenlet" 2>/dev/null ||
  "$venv/bin/pip" install -q "scikit-optimize==0.10.2" greenlet
"$venv/bin/python" Scripts/gp_suite_peers.py --check >/dev/null
ours_gp=$("$bench" gp_suite)
echo "$ours_gp"
theirs_gp=$(peer gp-suite Scripts/gp_suite_peers.py)
echo "$theirs_gp"
printf '%s\n%s\n' "$ours_gp" "$theirs_gp" | awk '
  $1 == "BENCH" && $2 ~ /^gp_suite_.*_median_regret$/ {
    name = $2; sub(/^gp_suite_/, "", name); sub(/_median_regret$/, "", name)
    split("bayesian optuna_gp optuna_tpe skopt_gp", methods, " ")
    for (i in methods) {
      suffix = "_" methods[i]
      if (substr(name, length(name) - length(suffix) + 1) == suffix) {
        problem = substr(name, 1, length(name) - length(suffix))
        if (!(problem in seen)) { seen[problem] = 1; order[++count] = problem }
        value = ($3 > 1e-9) ? $3 : 1e-9
        if (methods[i] == "bayesian") ours[problem] = value
        else if (!(problem in best) || value < best[problem]) best[problem] = value
      }
    }
  }
  END {
    for (i = 1; i <= count; i++) {
      p = order[i]
      if ((p in ours) && (p in best))
        printf "BENCH compare_gp_suite_%s_ours_over_best_peer %.3g x\n", p, ours[p] / best[p]
    }
  }'
