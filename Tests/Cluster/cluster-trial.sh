#!/bin/sh
# One trial of Tests/Cluster/cluster-study.yaml: `sh cluster-trial.sh A B STEPS`.
#
# First it appends one line "TRIAL a=A,b=B,steps=STEPS PID HOST" to $CLUSTER_TRIAL_LOG (one short
# O_APPEND write, so lines from several machines never interleave): the cluster test reads that file to
# check that no trial ran twice and that each ran with the values the study stored. Then it trains a
# pretend model for STEPS steps of 0.25 s, printing one JSON line per step (the learning curve, which
# the worker stores step by step while it sends heartbeats) and the final loss last.
set -eu
a=$1 b=$2 steps=$3
: "${CLUSTER_TRIAL_LOG:?set CLUSTER_TRIAL_LOG to the trial log file}"
printf '%s a=%s,b=%s,steps=%s %s %s\n' "${TUNER_TRIAL:?}" "$a" "$b" "$steps" "$$" "$(uname -n)" >> "$CLUSTER_TRIAL_LOG"
step=0
loss=0
while [ "$step" -lt "$steps" ]; do
    sleep 0.25
    loss=$(awk -v a="$a" -v b="$b" -v s="$step" 'BEGIN { printf "%.6f", (a - 1.5) ^ 2 + (b - 2) ^ 2 + 1 / (s + 1) }')
    printf '{"step": %d, "loss": %s}\n' "$step" "$loss"
    step=$((step + 1))
done
printf '{"loss": %s}\n' "$loss"
