"""The GP benchmark suite (issue 21) in Optuna and scikit-optimize: the same problems as
Sources/Tuning/SyntheticProblems/SyntheticProblem+Suite.swift (definitions, bounds, log scales,
categories, budgets, noise model), run through Optuna 5.0.0's GPSampler and TPESampler and
scikit-optimize's gp_minimize, printing the same BENCH lines as `tuner-bench gp_suite`:

    BENCH gp_suite_<problem>_<method>_median_regret <v> regret
    BENCH gp_suite_<problem>_<method>_median_auc <v> regret
    BENCH gp_suite_<problem>_<method>_suggest_ms <v> ms        (median over every trial of every seed)

with <method> one of optuna_gp, optuna_tpe, skopt_gp. Definitions (docs/gp-benchmark-suite.md):
  regret after t trials = the NOISELESS score of the trial with the best observed (possibly noisy)
  score among the first t, minus the problem's optimum;
  final regret = regret after the budget; AUC = the mean of the regret after t over t = 1..budget;
  both are medians over the seeds.
Noise: noisy problems observe score + sigma * N(0, 1), drawn from a generator seeded by
(seed, trial index) (numpy here, TuningRandom in Swift: the same distribution, not the same draws).

Usage: gp_suite_peers.py [--check] [--seeds N] [--problems a,b] [--methods optuna_gp,skopt_gp] [--seed-major]
       gp_suite_peers.py --summarize OUTPUT...   (BENCH lines from the SEED lines of interrupted runs)
Beside the BENCH lines it prints one `SEED <run> <seed> <final regret> <AUC> <ms,ms,...>` line per search.
`--check` evaluates every problem at its known minimizer and at fixed points whose values the Swift
tests (Tests/TuningTests/SyntheticSuiteTests.swift) hold too, and exits.
"""

import argparse
import math
import sys
import time
import warnings

import numpy as np

# ---------------------------------------------------------------- problems


class Param:
    def __init__(self, name, kind, low=None, high=None, log=False, choices=None, active=None):
        self.name, self.kind, self.low, self.high, self.log = name, kind, low, high, log
        self.choices = choices
        self.active = active  # None, or (parent name, [values]) for a conditional parameter


def floats(d, low, high):
    return [Param(f"x{i}", "float", low, high) for i in range(1, d + 1)]


def xs(values, d):
    return [values[f"x{i}"] for i in range(1, d + 1)]


def branin(v):
    x1, x2 = v["x1"], v["x2"]
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


H3_A = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]]
H3_P = [[0.3689, 0.1170, 0.2673], [0.4699, 0.4387, 0.7470], [0.1091, 0.8732, 0.5547], [0.0381, 0.5743, 0.8828]]
H6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H6_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
        [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]
ALPHA = [1.0, 1.2, 3.0, 3.2]


def hartmann(x, a, p):
    total = 0.0
    for i in range(4):
        total -= ALPHA[i] * math.exp(-sum(a[i][j] * (x[j] - p[i][j]) ** 2 for j in range(len(x))))
    return total


def hartmann3(v):
    return hartmann(xs(v, 3), H3_A, H3_P)


def hartmann6(v):
    return hartmann(xs(v, 6), H6_A, H6_P)


def ackley(v, d=5):
    x = xs(v, d)
    s1 = sum(t * t for t in x) / d
    s2 = sum(math.cos(2 * math.pi * t) for t in x) / d
    return -20 * math.exp(-0.2 * math.sqrt(s1)) - math.exp(s2) + 20 + math.e


def rosenbrock(v, d=4):
    x = xs(v, d)
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (x[i] - 1) ** 2 for i in range(d - 1))


def michalewicz(v, d=5):
    x = xs(v, d)
    return -sum(math.sin(x[i]) * math.sin((i + 1) * x[i] * x[i] / math.pi) ** 20 for i in range(d))


def levy(v, d=6):
    w = [1 + (t - 1) / 4 for t in xs(v, d)]
    total = math.sin(math.pi * w[0]) ** 2
    for i in range(d - 1):
        total += (w[i] - 1) ** 2 * (1 + 10 * math.sin(math.pi * w[i] + 1) ** 2)
    return total + (w[-1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[-1]) ** 2)


def styblinski_tang(v, d=4):
    return 0.5 * sum(t ** 4 - 16 * t * t + 5 * t for t in xs(v, d))


def six_hump_camel(v):
    x1, x2 = v["x1"], v["x2"]
    return (4 - 2.1 * x1 ** 2 + x1 ** 4 / 3) * x1 ** 2 + x1 * x2 + (-4 + 4 * x2 ** 2) * x2 ** 2


MIXED_COSTS = {"sgd": 0.3, "adam": 0, "rmsprop": 0.2, "adagrad": 0.4}


def mixed(v):
    layers, rate = float(v["n_layers"]), v["learning_rate"]
    batch, units, optimizer = float(v["batch_size"]), float(v["units"]), v["optimizer"]
    value = ((layers - 1) / 9 - 0.7) ** 2
    value += 2 * ((math.log10(rate) + 5) / 4 - 0.3) ** 2
    value += MIXED_COSTS[optimizer]
    if optimizer == "adam":
        value += 3 * ((v.get("beta_1", 0.9) - 0.5) / 0.499 - 0.8) ** 2
    value += 0.5 * (math.log2(batch / 16) / 4 - 0.5) ** 2
    value += 0.5 * (math.log2(units / 8) / 6 - 0.6667) ** 2
    return value


CAT_OPTIMIZER = {"sgd": 0.35, "momentum": 0.2, "adam": 0.05, "adamw": 0.0, "rmsprop": 0.15}
CAT_ACTIVATION = {"relu": 0.0, "gelu": 0.02, "tanh": 0.25, "sigmoid": 0.5, "elu": 0.05}
CAT_INITIALIZER = {"he_normal": 0.0, "glorot_uniform": 0.05, "lecun_normal": 0.1, "random_normal": 0.3}
CAT_NORMALIZATION = {"batch": 0.0, "layer": 0.03, "none": 0.2}


def categorical(v):
    value = CAT_OPTIMIZER[v["optimizer"]] + CAT_ACTIVATION[v["activation"]]
    value += CAT_INITIALIZER[v["initializer"]] + CAT_NORMALIZATION[v["normalization"]]
    if v["activation"] == "relu" and v["initializer"] != "he_normal":
        value += 0.1
    value += 0.3 * ((math.log2(v["batch_size"] / 16) - 2) / 5) ** 2
    value += 0.4 * ((v["dropout"] - 0.2) / 0.5) ** 2
    return value


MIXED_SPACE = [
    Param("n_layers", "int", 1, 10),
    Param("learning_rate", "float", 1e-5, 1e-1, log=True),
    Param("optimizer", "cat", choices=["sgd", "adam", "rmsprop", "adagrad"]),
    Param("beta_1", "float", 0.5, 0.999, active=("optimizer", ["adam"])),
    Param("batch_size", "cat", choices=[16, 32, 64, 128, 256]),
    Param("units", "int", 8, 512, log=True),
]
CATEGORICAL_SPACE = [
    Param("optimizer", "cat", choices=list(CAT_OPTIMIZER)),
    Param("activation", "cat", choices=list(CAT_ACTIVATION)),
    Param("initializer", "cat", choices=list(CAT_INITIALIZER)),
    Param("normalization", "cat", choices=list(CAT_NORMALIZATION)),
    Param("batch_size", "cat", choices=[16, 32, 64, 128, 256, 512]),
    Param("dropout", "cat", choices=[0.0, 0.1, 0.2, 0.3, 0.4, 0.5]),
]

PI = math.pi
# name: (space, budget, optimum, score, noise sigma, known minimizer)
PROBLEMS = {
    "branin": ([Param("x1", "float", -5, 10), Param("x2", "float", 0, 15)], 40, 0.397887, branin, 0.0,
               {"x1": PI, "x2": 2.275}),
    "six_hump_camel": ([Param("x1", "float", -3, 3), Param("x2", "float", -2, 2)], 30, -1.0316284535,
                       six_hump_camel, 0.0, {"x1": 0.0898420131, "x2": -0.7126564030}),
    "hartmann3": (floats(3, 0, 1), 40, -3.86278, hartmann3, 0.0,
                  {"x1": 0.114614, "x2": 0.555649, "x3": 0.852547}),
    "hartmann6": (floats(6, 0, 1), 80, -3.32237, hartmann6, 0.0,
                  dict(zip([f"x{i}" for i in range(1, 7)], [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]))),
    "ackley5": (floats(5, -32.768, 32.768), 100, 0.0, ackley, 0.0, {f"x{i}": 0.0 for i in range(1, 6)}),
    "rosenbrock4": (floats(4, -5, 10), 100, 0.0, rosenbrock, 0.0, {f"x{i}": 1.0 for i in range(1, 5)}),
    "michalewicz5": (floats(5, 0, PI), 100, -4.687658, michalewicz, 0.0,
                     dict(zip([f"x{i}" for i in range(1, 6)], [2.202906, 1.570796, 1.284992, 1.923058, 1.720470]))),
    "levy6": (floats(6, -10, 10), 80, 0.0, levy, 0.0, {f"x{i}": 1.0 for i in range(1, 7)}),
    "styblinski_tang4": (floats(4, -5, 5), 60, -4 * 39.16616570377142, styblinski_tang, 0.0,
                         {f"x{i}": -2.903534027771178 for i in range(1, 5)}),
    "mixed": (MIXED_SPACE, 40, 0.0011, mixed, 0.0,
              {"n_layers": 7, "learning_rate": 10 ** -3.8, "optimizer": "adam", "beta_1": 0.5 + 0.8 * 0.499,
               "batch_size": 64, "units": 128}),
    "categorical": (CATEGORICAL_SPACE, 40, 0.0, categorical, 0.0,
                    {"optimizer": "adamw", "activation": "relu", "initializer": "he_normal",
                     "normalization": "batch", "batch_size": 64, "dropout": 0.2}),
    "branin_noisy": ([Param("x1", "float", -5, 10), Param("x2", "float", 0, 15)], 40, 0.397887, branin, 0.5,
                     {"x1": PI, "x2": 2.275}),
    "hartmann6_noisy": (floats(6, 0, 1), 80, -3.32237, hartmann6, 0.1,
                        dict(zip([f"x{i}" for i in range(1, 7)], [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]))),
}

# Fixed points whose values Tests/TuningTests/SyntheticSuiteTests.swift asserts too (to 1e-9).
FIXED_POINTS = [
    ("branin", {"x1": 1.0, "x2": 2.0}),
    ("hartmann3", {"x1": 0.25, "x2": 0.5, "x3": 0.75}),
    ("ackley5", {f"x{i}": float(i) for i in range(1, 6)}),
    ("rosenbrock4", {"x1": 0.5, "x2": -1.0, "x3": 2.0, "x4": 1.5}),
    ("michalewicz5", {f"x{i}": 0.5 * i for i in range(1, 6)}),
    ("levy6", {f"x{i}": float(i) - 3 for i in range(1, 7)}),
    ("styblinski_tang4", {"x1": -1.0, "x2": 0.0, "x3": 1.0, "x4": 2.0}),
    ("six_hump_camel", {"x1": 1.0, "x2": -1.0}),
    ("mixed", {"n_layers": 3, "learning_rate": 0.01, "optimizer": "rmsprop", "batch_size": 256, "units": 32}),
    ("categorical", {"optimizer": "sgd", "activation": "relu", "initializer": "glorot_uniform",
                     "normalization": "none", "batch_size": 512, "dropout": 0.5}),
]
FIXED_EXPECTED = {
    "branin": 21.627635392062, "hartmann3": -2.999716768817, "ackley5": 9.697286414062,
    "rosenbrock4": 886.5, "michalewicz5": -0.234909421702, "levy6": 8.412215467263,
    "styblinski_tang4": -34.0, "six_hump_camel": 1.233333333333, "mixed": 1.013838272160,
    "categorical": 0.952,
}


def check():
    ok = True
    for name, (space, budget, optimum, score, sigma, minimizer) in PROBLEMS.items():
        value = score(minimizer)
        good = abs(value - optimum) <= 1e-4 * max(1, abs(optimum)) + (2e-5 if name == "mixed" else 0)
        ok &= good
        print(f"{'ok ' if good else 'BAD'} {name}: f(minimizer) = {value:.10f}, optimum {optimum}")
        rng = np.random.default_rng(0)
        for _ in range(2000):
            v = random_point(space, rng)
            if score(v) < optimum - 1e-9:
                ok = False
                print(f"BAD {name}: random point {v} scores {score(v)} below the optimum")
    for name, point in FIXED_POINTS:
        value = PROBLEMS[name][3](point)
        expected = FIXED_EXPECTED.get(name)
        good = expected is None or abs(value - expected) <= 1e-10 * max(1, abs(expected)) + 1e-12
        ok &= good
        print(f"{'ok ' if good else 'BAD'} {name} at a fixed point: {value:.12f} (Swift: {expected})")
    if not ok:
        sys.exit("gp_suite_peers.py --check: mismatches")
    print("gp_suite_peers.py --check: all problems agree")


def random_point(space, rng):
    v = {}
    for p in space:
        if p.active and v.get(p.active[0]) not in p.active[1]:
            continue
        if p.kind == "cat":
            v[p.name] = p.choices[rng.integers(len(p.choices))]
        elif p.kind == "int":
            if p.log:
                v[p.name] = int(round(math.exp(rng.uniform(math.log(p.low - 0.5), math.log(p.high + 0.5)))))
                v[p.name] = min(p.high, max(p.low, v[p.name]))
            else:
                v[p.name] = int(rng.integers(p.low, p.high + 1))
        else:
            v[p.name] = math.exp(rng.uniform(math.log(p.low), math.log(p.high))) if p.log else rng.uniform(p.low, p.high)
    return v


def noise(seed, trial, sigma):
    if sigma == 0:
        return 0.0
    return sigma * float(np.random.default_rng([seed, trial, 21]).standard_normal())


# ---------------------------------------------------------------- runners
# Each returns (true scores per trial, observed scores per trial, suggestion seconds per trial).


def run_optuna(name, sampler_name, seed):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    space, budget, optimum, score, sigma, _ = PROBLEMS[name]
    if sampler_name == "optuna_gp":
        sampler = optuna.samplers.GPSampler(seed=seed, deterministic_objective=(sigma == 0))
    else:
        sampler = optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(sampler=sampler, direction="minimize")
    true, observed, seconds = [], [], []
    for t in range(budget):
        start = time.perf_counter()
        trial = study.ask()
        v = {}
        for p in space:
            if p.active and v.get(p.active[0]) not in p.active[1]:
                continue  # a conditional parameter: suggested only when active
            if p.kind == "cat":
                v[p.name] = trial.suggest_categorical(p.name, p.choices)
            elif p.kind == "int":
                v[p.name] = trial.suggest_int(p.name, p.low, p.high, log=p.log)
            else:
                v[p.name] = trial.suggest_float(p.name, p.low, p.high, log=p.log)
        seconds.append(time.perf_counter() - start)
        value = score(v)
        seen = value + noise(seed, t, sigma)
        study.tell(trial, seen)
        true.append(value)
        observed.append(seen)
    return true, observed, seconds


def run_skopt(name, seed):
    from skopt import gp_minimize
    from skopt.space import Categorical, Integer, Real
    space, budget, optimum, score, sigma, _ = PROBLEMS[name]
    dims = []
    for p in space:
        if p.kind == "cat":
            dims.append(Categorical(p.choices, name=p.name))
        elif p.kind == "int":
            dims.append(Integer(p.low, p.high, prior="log-uniform" if p.log else "uniform", name=p.name))
        else:
            dims.append(Real(p.low, p.high, prior="log-uniform" if p.log else "uniform", name=p.name))
    true, observed, seconds = [], [], []
    clock = [time.perf_counter()]

    def objective(x):
        seconds.append(time.perf_counter() - clock[0])  # since the previous evaluation ended: tell + ask
        v = {}
        for p, value in zip(space, x):
            if p.active and v.get(p.active[0]) not in p.active[1]:
                continue  # always sampled by skopt, ignored when inactive
            v[p.name] = value.item() if hasattr(value, "item") else value
        t = len(true)
        value = score(v)
        seen = value + noise(seed, t, sigma)
        true.append(value)
        observed.append(seen)
        clock[0] = time.perf_counter()
        return seen

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gp_minimize(objective, dims, n_calls=budget, random_state=seed)
    return true, observed, seconds


def regret_curve(true, observed, optimum):
    curve, best_seen, best_true = [], math.inf, math.inf
    for value, seen in zip(true, observed):
        if seen < best_seen:
            best_seen, best_true = seen, value
        curve.append(best_true - optimum)
    return curve


def report(name, value, unit):
    rounded = round(value * 10) / 10 if value >= 100 else round(value * 10000) / 10000
    if 0 < abs(value) < 1e-3:
        print(f"BENCH {name} {value:.3e} {unit}", flush=True)
    else:
        print(f"BENCH {name} {rounded} {unit}", flush=True)


def summarize(prefix, finals, aucs, seconds):
    report(f"{prefix}_median_regret", float(np.median(finals)), "regret")
    report(f"{prefix}_median_auc", float(np.median(aucs)), "regret")
    report(f"{prefix}_suggest_ms", float(np.median(seconds)) * 1000, "ms")


def summarize_files(paths):
    """BENCH lines from the SEED lines of (possibly interrupted) runs: medians over the seeds that ran."""
    runs = {}
    for path in paths:
        for line in open(path):
            fields = line.split()
            if len(fields) == 6 and fields[0] == "SEED":
                run = runs.setdefault(fields[1], ([], [], [], []))
                run[0].append(float(fields[3]))
                run[1].append(float(fields[4]))
                run[2].extend(float(t) / 1000 for t in fields[5].split(","))
                run[3].append(int(fields[2]))
    for prefix, (finals, aucs, seconds, seeds) in runs.items():
        summarize(prefix, finals, aucs, seconds)
        print(f"# {prefix}: seeds {sorted(seeds)}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--problems", default=",".join(PROBLEMS))
    parser.add_argument("--methods", default="optuna_gp,optuna_tpe,skopt_gp")
    parser.add_argument("--seed-major", action="store_true",
                        help="every problem for seed 0, then for seed 1, ...: an interrupted run has every problem")
    parser.add_argument("--summarize", nargs="+", metavar="FILE",
                        help="print BENCH lines from the SEED lines of earlier runs' output, and exit")
    args = parser.parse_args()
    if args.check:
        check()
        return
    if args.summarize:
        summarize_files(args.summarize)
        return
    try:
        import torch
        torch.set_num_threads(1)  # as Tuner's GP: one BLAS thread
    except ImportError:
        pass
    problems, methods = args.problems.split(","), args.methods.split(",")
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    runs = [(p, m) for p in problems for m in methods]
    order = [(p, m, s) for s in seeds for p, m in runs] if args.seed_major else \
        [(p, m, s) for p, m in runs for s in seeds]
    results = {run: ([], [], [], 0.0) for run in runs}
    for name, method, seed in order:
        start = time.perf_counter()
        if method == "skopt_gp":
            true, observed, times = run_skopt(name, seed)
        else:
            true, observed, times = run_optuna(name, method, seed)
        curve = regret_curve(true, observed, PROBLEMS[name][2])
        finals, aucs, seconds, elapsed = results[(name, method)]
        finals.append(curve[-1])
        aucs.append(sum(curve) / len(curve))
        seconds.extend(times)
        results[(name, method)] = (finals, aucs, seconds, elapsed + time.perf_counter() - start)
        # One line per search, for summarizing an interrupted run (--summarize).
        print(f"SEED gp_suite_{name}_{method} {seed} {curve[-1]!r} {aucs[-1]!r} "
              + ",".join(f"{t * 1000:.3f}" for t in times), flush=True)
        if len(finals) == len(seeds):
            summarize(f"gp_suite_{name}_{method}", finals, aucs, seconds)
            report(f"gp_suite_{name}_{method}_seconds", results[(name, method)][3], "s")


if __name__ == "__main__":
    main()
