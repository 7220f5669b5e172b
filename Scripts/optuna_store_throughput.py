"""Optuna's side of `store_throughput` (issue 14): one study shared by worker processes running trivial
trials through Optuna's ask/tell on one storage, the way `tuner-bench store_throughput` runs ours.

`tuner-bench store_throughput` runs this script on the same server right after its own run when
`$TUNER_BENCH_OPTUNA_PYTHON` names a Python with Optuna and psycopg2 (`make bench-compare` sets it), so
the two figures come from one server and one sitting. Alone:

    .bench/venv/bin/python Scripts/optuna_store_throughput.py --storage URL --label NAME \
        [--processes 16] [--trials 2000]

URL is an SQLAlchemy URL (`postgresql+psycopg2://...` or `sqlite:///path`). Each worker process opens
its own storage, waits for the others to be ready, then asks (a random sampler, one float `x`) and tells
`x * x` until the study's budget is spent; a shared counter hands out the budget so that exactly
`--trials` trials run. The clock runs from the common start to the last worker's end, so process starts
and logins do not count. Prints `BENCH optuna_store_throughput_NAME_P_processes V trials/s`.
"""

import argparse
import multiprocessing
import time

import optuna


def worker(url: str, study_name: str, remaining, ready, start) -> None:
    """Asks and tells on the shared study until `remaining` reaches zero."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = optuna.storages.RDBStorage(url)
    study = optuna.load_study(study_name=study_name, storage=storage, sampler=optuna.samplers.RandomSampler())
    ready.wait()
    start.wait()
    while True:
        with remaining.get_lock():
            if remaining.value == 0:
                return
            remaining.value -= 1
        trial = study.ask()
        x = trial.suggest_float("x", -10, 10)
        study.tell(trial, x * x)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--storage", required=True, help="an SQLAlchemy URL")
    parser.add_argument("--label", required=True, help="the figure's name part, e.g. postgres")
    parser.add_argument("--processes", type=int, default=16)
    parser.add_argument("--trials", type=int, default=2000)
    args = parser.parse_args()

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study_name = "throughput"
    optuna.create_study(study_name=study_name, storage=optuna.storages.RDBStorage(args.storage), direction="minimize")

    context = multiprocessing.get_context("spawn")
    remaining = context.Value("i", args.trials)
    ready = context.Barrier(args.processes + 1)
    start = context.Barrier(args.processes + 1)
    workers = [context.Process(target=worker, args=(args.storage, study_name, remaining, ready, start))
               for _ in range(args.processes)]
    for process in workers:
        process.start()
    ready.wait()
    began = time.perf_counter()
    start.wait()
    for process in workers:
        process.join()
    elapsed = time.perf_counter() - began
    failed = [process.exitcode for process in workers if process.exitcode != 0]
    if failed:
        raise SystemExit(f"{len(failed)} Optuna worker(s) failed (exit codes {failed})")
    study = optuna.load_study(study_name=study_name, storage=optuna.storages.RDBStorage(args.storage))
    done = len([t for t in study.get_trials(deepcopy=False) if t.state == optuna.trial.TrialState.COMPLETE])
    if done != args.trials:
        raise SystemExit(f"{done} of {args.trials} Optuna trials completed")
    print(f"BENCH optuna_store_throughput_{args.label}_{args.processes}_processes {done / elapsed:.1f} trials/s",
          flush=True)


if __name__ == "__main__":
    main()
