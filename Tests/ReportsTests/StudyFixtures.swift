import Foundation
import JSONValues
import StudyStore
import Tuning

enum FixtureError: Error { case unexpected(String) }

/// A JSON value from its text (oracle settings written the way people read them).
func jsonValue(_ text: String) throws -> JSONValue {
    try JSONValue.parse(Data(text.utf8))
}

/// Makes studies in a store the way the tuner does: a real oracle suggests trials, each trial is
/// written RUNNING, gets made-up learning curves that converge to the synthetic problem's score, and
/// finishes COMPLETE (or FAILED every `failEvery`-th trial, with an error text full of odd characters).
struct StudyMaker {
    let store: SQLiteStudyStorage
    /// The first trial's start time; each trial takes a few seconds of made-up time.
    var clock: Double = 1_700_000_000

    static let oddError = "ValueError: loss is NaN, \"exploded\" <at> epoch 3 & 'more'\nsecond line, with comma | pipe"

    init(store: SQLiteStudyStorage) {
        self.store = store
    }

    /// Runs `oracle` on `problem` to the end and stores everything under `name`.
    @discardableResult
    mutating func run(
        _ oracle: some Oracle, problem: SyntheticProblem, name: String, kind: String, config: String,
        objective: String = "val_loss", failEvery: Int? = nil, epochs: Int = 6
    ) throws -> StoredStudy {
        let study = try store.createStudy(NewStudy(
            name: name, objective: .minimize(objective), oracleKind: kind, oracleConfiguration: try jsonValue(config),
            searchSpace: problem.space), now: clock)
        var count = 0
        while case .run(let trial) = oracle.createTrial(workerID: "worker-1") {
            count += 1
            let start = clock
            let record = try store.insertTrial(
                study: study.id, number: trial.id, state: .running, hyperparameters: trial.values, worker: "worker-1",
                hyperband: trial.hyperband, oracleState: nil, now: start)
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
                try store.finishTrial(record.id, worker: "worker-1", state: .failed, score: nil, values: nil, error: Self.oddError,
                                      oracleState: nil, now: clock)
                try oracle.endTrial(trialID: trial.id, outcome: .failed(Self.oddError))
            } else {
                try store.finishTrial(record.id, worker: "worker-1", state: .complete, score: value, values: nil, error: nil,
                                      oracleState: nil, now: clock)
                try oracle.endTrial(trialID: trial.id, outcome: .complete(value))
            }
            clock += 0.25
        }
        try store.saveOracleState(study: study.id, try oracle.exportState(), now: clock)
        return study
    }

    /// A random search on the mixed problem (6 parameters: int, log float, choice, conditional float,
    /// ordered choice, log int) with every fourth trial failing.
    @discardableResult
    mutating func randomStudy(name: String = "random-mixed", trials: Int = 24) throws -> StoredStudy {
        let problem = SyntheticProblem.mixed
        let oracle = try RandomSearchOracle(objective: .minimize("val_loss"), searchSpace: problem.space, maxTrials: trials, seed: 7)
        return try run(oracle, problem: problem, name: name, kind: "random",
                       config: #"{"max_trials": \#(trials), "seed": 7, "executions_per_trial": 1}"#, failEvery: 4)
    }

    /// Hyperband on the mixed problem, max 9 epochs, factor 3.
    @discardableResult
    mutating func hyperbandStudy(name: String = "hyperband-mixed") throws -> StoredStudy {
        let problem = SyntheticProblem.mixed
        let oracle = try HyperbandOracle(objective: .minimize("val_loss"), searchSpace: problem.space, maxEpochs: 9,
                                         factor: 3, seed: 3)
        return try run(oracle, problem: problem, name: name, kind: "hyperband",
                       config: #"{"max_epochs": 9, "factor": 3, "hyperband_iterations": 1, "seed": 3}"#)
    }

    /// Bayesian optimization on Branin, 14 trials.
    @discardableResult
    mutating func bayesianStudy(name: String = "bayesian-branin") throws -> StoredStudy {
        let problem = SyntheticProblem.branin
        let oracle = try BayesianOptimizationOracle(objective: .minimize("val_loss"), searchSpace: problem.space,
                                                    maxTrials: 14, seed: 1)
        return try run(oracle, problem: problem, name: name, kind: "bayesian",
                       config: #"{"max_trials": 14, "seed": 1, "num_initial_points": 3, "alpha": 0.0001, "acquisition": "log_ei"}"#)
    }

    /// A study whose names are hostile to every format: a parameter `<b>&"'`, one with a comma and a
    /// pipe, a study name with markup, a metric with a comma; one COMPLETE trial, one FAILED, one RUNNING.
    @discardableResult
    mutating func oddStudy(name: String = "odd <study> & \"co\" 'x' | y") throws -> StoredStudy {
        let space = try SearchSpace([
            try .float("<b>&\"'", min: 0.001, max: 1, sampling: .log),
            try .choice("a,b|c", values: ["x, \"quoted\"", "pipe|value", "<i>"]),
        ])
        let study = try store.createStudy(NewStudy(
            name: name, objective: .maximize("val,acc"), oracleKind: "random",
            oracleConfiguration: try jsonValue(#"{"max_trials": 3, "note": "<script>alert(1)</script>"}"#), searchSpace: space),
            now: clock)
        let configs: [[String: HyperParameterValue]] = [
            ["<b>&\"'": .float(0.01), "a,b|c": "x, \"quoted\""],
            ["<b>&\"'": .float(0.5), "a,b|c": "pipe|value"],
            ["<b>&\"'": .float(0.1), "a,b|c": "<i>"],
        ]
        for (index, values) in configs.enumerated() {
            let record = try store.insertTrial(study: study.id, number: index + 1, state: .running, hyperparameters: values,
                                               worker: "w<1>", hyperband: nil, oracleState: nil, now: clock)
            try store.recordMetrics(trial: record.id, step: 0, values: ["val,acc": 0.5 + Double(index) / 10], now: clock + 1)
            clock += 2
            switch index {
            case 0:
                try store.finishTrial(record.id, worker: "w<1>", state: .complete, score: 0.5, values: nil, error: nil, oracleState: nil,
                                      now: clock)
            case 1:
                try store.finishTrial(record.id, worker: "w<1>", state: .failed, score: nil, values: nil, error: Self.oddError,
                                      oracleState: nil, now: clock)
            default: break
            }
        }
        return study
    }
}
