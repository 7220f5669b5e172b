#!/usr/bin/env python3
"""The end-of-run checks of the cluster fault test (Scripts/cluster-test.sh).

Usage: check-cluster-run.py EXPORT.json TRIALS.log BUDGET KILLED_TRIAL CUT_TRIAL WORKER_PROBLEMS

EXPORT.json is `tuner export --format json` of the study; TRIALS.log has one line per trial command that
started ("TRIAL a=A,b=B,steps=S PID HOST", written by cluster-trial.sh); KILLED_TRIAL and CUT_TRIAL are
the numbers of the trials the killed and the cut-off worker were running (empty when that fault did not
run); WORKER_PROBLEMS holds one line per worker that ended with the wrong status (may be empty).

Prints a summary, then each violation; exits 1 if there is any. Before judging the run, it checks
itself: each kind of violation, planted in a copy of this very run's data, must be reported, so a
check that could never fail fails the test instead.
"""
import copy
import json
import sys
from collections import Counter, defaultdict


def violations(trials, log_lines, budget, expected_failures, worker_problems):
    """Every guarantee the run broke, as sentences."""
    problems = [line for line in worker_problems.splitlines() if line]

    # The budget: trials 1..budget, no more, no fewer.
    numbers = sorted(t["number"] for t in trials)
    if numbers != list(range(1, budget + 1)):
        problems.append(f"the study has {len(trials)} trials numbered {numbers}; expected exactly 1..{budget}")

    # Every trial ended, COMPLETE with a score or FAILED with a reason; only the faults' trials FAILED.
    for t in sorted(trials, key=lambda t: t["number"]):
        n, state, reason = t["number"], t["state"], (t.get("error") or "").strip()
        if state == "COMPLETE":
            if t.get("score") is None:
                problems.append(f"trial {n} is COMPLETE without a score")
        elif state == "FAILED":
            if not reason:
                problems.append(f"trial {n} is FAILED without a reason")
            elif n in expected_failures:
                if "worker died" not in reason:
                    problems.append(f"trial {n} (the {expected_failures[n]}'s) FAILED for another reason: {reason}")
            else:
                problems.append(f"trial {n} FAILED, but no fault hit it: {reason}")
        else:
            problems.append(f"trial {n} ended {state} (expected COMPLETE or FAILED): {reason}")
    for n, why in expected_failures.items():
        t = next((t for t in trials if t["number"] == n), None)
        if t is not None and t["state"] != "FAILED":
            problems.append(f"trial {n}, which the {why} was running, is {t['state']}; expected FAILED \"worker died ...\"")

    # No trial ran twice: the log has one line per trial that started, with the values the study stored.
    runs = defaultdict(list)
    for line in log_lines:
        fields = line.split()
        if len(fields) != 4 or not fields[0].isdigit():
            problems.append(f"a malformed line in the trial log: {line!r}")
            continue
        runs[int(fields[0])].append(fields)
    stored = {t["number"]: t for t in trials}
    for n, lines in sorted(runs.items()):
        if len(lines) > 1:
            problems.append(f"trial {n} ran {len(lines)} times: " + "; ".join(" ".join(l) for l in lines))
        if n not in stored:
            problems.append(f"trial {n} ran but is not in the study")
            continue
        # Stored values are tagged ({"int": 2}); the log has the values the command got.
        values = {name: str(next(iter(tagged.values()))) for name, tagged in stored[n]["hyperparameters"].items()}
        logged = dict(item.split("=", 1) for item in lines[0][1].split(",") if "=" in item)
        if values != logged:
            problems.append(f"trial {n} ran with {logged} but the study stored {values}")
    for n, t in stored.items():
        if t["state"] == "COMPLETE" and n not in runs:
            problems.append(f"trial {n} is COMPLETE but its command never ran")

    # No two trials share a configuration.
    def key(t):
        return json.dumps(t["hyperparameters"], sort_keys=True)
    for configuration, count in Counter(key(t) for t in trials).items():
        if count > 1:
            same = [t["number"] for t in trials if key(t) == configuration]
            problems.append(f"trials {same} share the configuration {configuration}")
    return problems


def self_test(trials, log_lines, budget, expected_failures):
    """Plants each kind of violation in a copy of the run and returns the plantings that went unreported."""
    complete = [t for t in trials if t["state"] == "COMPLETE" and t["number"] not in expected_failures]
    if len(complete) < 2 or not log_lines:
        return ["too few COMPLETE trials to check the checks"]
    first, second = complete[0], complete[1]

    def changed(number, **fields):
        result = copy.deepcopy(trials)
        for t in result:
            if t["number"] == number:
                t.update(fields)
        return result

    first_line = next(l for l in log_lines if l.split()[0] == str(first["number"]))
    cases = [
        ("a trial that ran twice", trials, log_lines + [first_line], "ran 2 times", ""),
        ("a trial missing from the study", [t for t in trials if t["number"] != budget], log_lines, "expected exactly", ""),
        ("a trial over the budget", trials + [dict(copy.deepcopy(first), number=budget + 1)], log_lines, "expected exactly", ""),
        ("two trials with one configuration", changed(second["number"], hyperparameters=first["hyperparameters"]),
         log_lines, "share the configuration", ""),
        ("a FAILED trial without a reason", changed(first["number"], state="FAILED", error="", score=None),
         log_lines, "FAILED without a reason", ""),
        ("a trial FAILED with no fault", changed(first["number"], state="FAILED", error="boom", score=None),
         log_lines, "no fault hit it", ""),
        ("a trial left RUNNING", changed(first["number"], state="RUNNING"), log_lines, "expected COMPLETE or FAILED", ""),
        ("a COMPLETE trial without a score", changed(first["number"], score=None), log_lines, "without a score", ""),
        ("a COMPLETE trial that never ran", trials, [l for l in log_lines if l != first_line], "never ran", ""),
        ("a trial run with other values", trials,
         [l if l != first_line else l.replace(first_line.split()[1], "a=99,b=99,steps=99") for l in log_lines], "ran with", ""),
        ("a worker that ended badly", trials, log_lines, "ended with status 1", "worker w2 ended with status 1"),
    ]
    if expected_failures:
        n = next(iter(expected_failures))
        cases.append(("a fault's trial that did not fail", changed(n, state="COMPLETE", error=None, score=1.0),
                      log_lines, "expected FAILED", ""))
    missed = []
    for name, planted_trials, planted_log, expected, worker_problems in cases:
        found = violations(planted_trials, planted_log, budget, expected_failures, worker_problems)
        if not any(expected in p for p in found):
            missed.append(f"the checks did not report {name} (expected \"{expected}\", got {found})")
    return missed


def main():
    export_path, log_path, budget, killed, cut, worker_problems = sys.argv[1:7]
    budget = int(budget)
    expected_failures = {int(n): why for n, why in ((killed, "killed worker"), (cut, "cut-off worker")) if n}
    with open(export_path) as f:
        trials = json.load(f)["trials"]
    with open(log_path) as f:
        log_lines = [line.rstrip("\n") for line in f if line.strip()]

    problems = violations(trials, log_lines, budget, expected_failures, worker_problems)
    problems += self_test(trials, log_lines, budget, expected_failures)

    states = Counter(t["state"] for t in trials)
    hosts = Counter((t.get("worker") or "?").split(":")[0] for t in trials)
    distinct = len({json.dumps(t["hyperparameters"], sort_keys=True) for t in trials})
    print(f"cluster-test: {len(trials)} trials (budget {budget}): " + ", ".join(f"{c} {s}" for s, c in sorted(states.items()))
          + "; run by " + ", ".join(f"{h} {c}" for h, c in sorted(hosts.items()))
          + f"; {distinct} distinct configurations; {len(log_lines)} commands started")
    for t in sorted(trials, key=lambda t: t["number"]):
        if t["state"] == "FAILED":
            print(f"cluster-test:   trial {t['number']} FAILED: {t.get('error')}")
    for p in problems:
        print(f"cluster-test: VIOLATION: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
