"""The multi-objective figures of `tuner-bench mo` with Optuna's samplers (run by Scripts/bench-compare.sh).

The same problems as Sources/Tuning/SyntheticProblems/MultiObjectiveProblems.swift (ZDT1 and ZDT2 in
4-D, Binh-Korn with its two constraints), the same budget (40 trials, the model samplers starting after
10 random ones) and seeds 0-4; prints the median over seeds of the feasible observed hypervolume against
the problems' reference points as `BENCH mo_<problem>_optuna_<sampler>_hypervolume <value> hv`, and
the mean time per trial.

NSGA-II gets a population of 10 (its default 50 would make a 40-trial run pure random sampling).
"""

import math
import statistics
import sys
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)

TRIALS = 40
STARTUP = 10
SEEDS = range(5)


def zdt(name, dimension, second):
    def objective(trial):
        x = [trial.suggest_float(f"x{i}", 0.0, 1.0) for i in range(dimension)]
        g = 1 + 9 * sum(x[1:]) / (dimension - 1)
        return x[0], second(x[0], g)

    return f"{name}_{dimension}d", objective, None, (1.1, 1.1)


def binh_korn():
    def objective(trial):
        x = trial.suggest_float("x", 0.0, 5.0)
        y = trial.suggest_float("y", 0.0, 3.0)
        trial.set_user_attr("constraints", ((x - 5) ** 2 + y**2 - 25, 7.7 - (x - 8) ** 2 - (y + 3) ** 2))
        return 4 * x**2 + 4 * y**2, (x - 5) ** 2 + (y - 5) ** 2

    return "binh_korn", objective, (lambda trial: trial.user_attrs["constraints"]), (140.0, 50.0)


PROBLEMS = [
    zdt("zdt1", 4, lambda f1, g: g * (1 - math.sqrt(f1 / g))),
    zdt("zdt2", 4, lambda f1, g: g * (1 - (f1 / g) ** 2)),
    binh_korn(),
]


def hypervolume_2d(points, reference):
    """The exact 2-D hypervolume of minimized points strictly inside the reference box."""
    inside = sorted(p for p in points if p[0] < reference[0] and p[1] < reference[1])
    area, lowest = 0.0, reference[1]
    for x, y in inside:
        if y < lowest:
            area += (reference[0] - x) * (lowest - y)
            lowest = y
    return area


def sampler(kind, seed, constraints):
    if kind == "nsgaii":
        return optuna.samplers.NSGAIISampler(population_size=STARTUP, seed=seed, constraints_func=constraints)
    if kind == "tpe":
        return optuna.samplers.TPESampler(n_startup_trials=STARTUP, seed=seed, constraints_func=constraints)
    return optuna.samplers.GPSampler(n_startup_trials=STARTUP, seed=seed, constraints_func=constraints)


def main(kinds):
    for name, objective, constraints, reference in PROBLEMS:
        for kind in kinds:
            volumes, seconds = [], []
            for seed in SEEDS:
                study = optuna.create_study(
                    directions=["minimize", "minimize"], sampler=sampler(kind, seed, constraints))
                start = time.perf_counter()
                study.optimize(objective, n_trials=TRIALS)
                seconds.append((time.perf_counter() - start) / TRIALS)
                feasible = [
                    t.values for t in study.trials
                    if t.values is not None and all(c <= 0 for c in t.user_attrs.get("constraints", ()))
                ]
                volumes.append(hypervolume_2d(feasible, reference))
            print(f"BENCH mo_{name}_optuna_{kind}_hypervolume {statistics.median(volumes):.4f} hv", flush=True)
            print(f"BENCH mo_{name}_optuna_{kind}_trial {1000 * statistics.mean(seconds):.1f} ms", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or ["nsgaii", "tpe", "gp"])
