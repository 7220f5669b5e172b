import Foundation
import StudyStore
import Tuning

enum FixtureError: Error { case unexpected(String) }

/// Makes studies in a store the way the tuner does: a real oracle suggests trials, each trial is
/// written RUNNING, gets made-up learning curves that converge to the synthetic problem's score, and
/// finishes COMPLETE (or FAILED every `failEvery`-th trial, with an error text full of odd characters).
struct StudyMaker {
    let store: StudyStore
    /// The first trial's start time; each trial takes a few seconds of made-up time.
    var clock: Double = 1_700_000_000

    static let oddError = "ValueError: loss is NaN, \"exploded\" <at> epoch 3 & 'more'\nsecond line, with comma | pipe"

    init(store: StudyStore) {
        self.store = store
    }

    static func hyperparametersJSON(_ values: [String: HyperParameterValue]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(values), as: UTF8.self)
    }

    /// Runs `oracle` on `problem` to the end and stores everything under `name`.
    @discardableResult
    mutating func run(
        _ oracle: some Oracle, problem: SyntheticProblem, name: String, kind: String, config: String,
        objective: String = "val_loss", failEvery: Int? = nil, epochs: Int = 6
    ) throws -> StudyRecord {
        let spaceJSON = String(decoding: try JSONEncoder().encode(problem.space), as: UTF8.self)
        let study = try store.createStudy(NewStudy(
            name: name, objectiveName: objective, direction: .min, oracleKind: kind, oracleConfig: config,
            searchSpace: spaceJSON), now: clock)
        var count = 0
        while case .run(let trial) = oracle.createTrial(workerID: "worker-1") {
            count += 1
            let hyperband = try trial.hyperband.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
            let start = clock
            let record = try store.insertTrial(
                study: study.id, number: trial.id, state: .running,
                hyperparameters: try Self.hyperparametersJSON(trial.values), worker: "worker-1", hyperband: hyperband,
                now: start)
            let target = problem.score(trial.values)
            let first = trial.hyperband?.initialEpoch ?? 0
            let last = trial.hyperband?.epochs ?? epochs
            let failing = failEvery.map { count % $0 == 0 } ?? false
            var value = target
            for step in first..<last {
                // A curve falling towards the score: 1/(epoch+1) above it.
                value = target + 1.5 / Double(step + 1)
                try store.recordMetrics(trial: record.id, step: step, values: [
                    objective: value, "loss": value * 0.9, "accuracy": 1 / (1 + value),
                ], now: start + Double(step - first + 1))
                if failing && step == first + 1 { break }
            }
            clock += Double(last - first) + 0.5
            if failing {
                try store.finishTrial(record.id, worker: "worker-1", state: .failed, error: Self.oddError, now: clock)
                try oracle.endTrial(trialID: trial.id, outcome: .failed(Self.oddError))
            } else {
                try store.finishTrial(record.id, worker: "worker-1", state: .complete, score: value, now: clock)
                try oracle.endTrial(trialID: trial.id, outcome: .complete(value))
            }
            clock += 0.25
        }
        try store.saveOracleState(study: study.id, json: String(decoding: try oracle.exportState(), as: UTF8.self), now: clock)
        return study
    }

    /// A random search on the mixed problem (6 parameters: int, log float, choice, conditional float,
    /// ordered choice, log int) with every fourth trial failing.
    @discardableResult
    mutating func randomStudy(name: String = "random-mixed", trials: Int = 24) throws -> StudyRecord {
        let problem = SyntheticProblem.mixed
        let oracle = try RandomSearchOracle(objective: .minimize("val_loss"), searchSpace: problem.space, maxTrials: trials, seed: 7)
        return try run(oracle, problem: problem, name: name, kind: "random",
                       config: #"{"max_trials": \#(trials), "seed": 7, "executions_per_trial": 1}"#, failEvery: 4)
    }

    /// Hyperband on the mixed problem, max 9 epochs, factor 3.
    @discardableResult
    mutating func hyperbandStudy(name: String = "hyperband-mixed") throws -> StudyRecord {
        let problem = SyntheticProblem.mixed
        let oracle = try HyperbandOracle(objective: .minimize("val_loss"), searchSpace: problem.space, maxEpochs: 9,
                                         factor: 3, seed: 3)
        return try run(oracle, problem: problem, name: name, kind: "hyperband",
                       config: #"{"max_epochs": 9, "factor": 3, "hyperband_iterations": 1, "seed": 3}"#)
    }

    /// Bayesian optimization on Branin, 14 trials.
    @discardableResult
    mutating func bayesianStudy(name: String = "bayesian-branin") throws -> StudyRecord {
        let problem = SyntheticProblem.branin
        let oracle = try BayesianOptimizationOracle(objective: .minimize("val_loss"), searchSpace: problem.space,
                                                    maxTrials: 14, seed: 1)
        return try run(oracle, problem: problem, name: name, kind: "bayesian",
                       config: #"{"max_trials": 14, "seed": 1, "num_initial_points": 3, "alpha": 0.0001, "acquisition": "log_ei"}"#)
    }

    /// A study whose names are hostile to every format: a parameter `<b>&"'`, one with a comma and a
    /// pipe, a study name with markup, a metric with a comma; one COMPLETE trial, one FAILED, one RUNNING.
    @discardableResult
    mutating func oddStudy(name: String = "odd <study> & \"co\" 'x' | y") throws -> StudyRecord {
        let space = try SearchSpace([
            try .float("<b>&\"'", min: 0.001, max: 1, sampling: .log),
            try .choice("a,b|c", values: ["x, \"quoted\"", "pipe|value", "<i>"]),
        ])
        let spaceJSON = String(decoding: try JSONEncoder().encode(space), as: UTF8.self)
        let study = try store.createStudy(NewStudy(
            name: name, objectiveName: "val,acc", direction: .max, oracleKind: "random",
            oracleConfig: #"{"max_trials": 3, "note": "<script>alert(1)</script>"}"#, searchSpace: spaceJSON), now: clock)
        let configs: [[String: HyperParameterValue]] = [
            ["<b>&\"'": .float(0.01), "a,b|c": "x, \"quoted\""],
            ["<b>&\"'": .float(0.5), "a,b|c": "pipe|value"],
            ["<b>&\"'": .float(0.1), "a,b|c": "<i>"],
        ]
        for (index, values) in configs.enumerated() {
            let record = try store.insertTrial(study: study.id, number: index + 1, state: .running,
                                               hyperparameters: try Self.hyperparametersJSON(values), worker: "w<1>",
                                               now: clock)
            try store.recordMetrics(trial: record.id, step: 0, values: ["val,acc": 0.5 + Double(index) / 10], now: clock + 1)
            clock += 2
            switch index {
            case 0: try store.finishTrial(record.id, worker: "w<1>", state: .complete, score: 0.5, now: clock)
            case 1: try store.finishTrial(record.id, worker: "w<1>", state: .failed, error: Self.oddError, now: clock)
            default: break
            }
        }
        return study
    }
}
