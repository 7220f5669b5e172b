import Foundation
import StudyStore
import Tuning

/// Ask-and-tell on a stored study, for programs the tuner does not run itself (Optuna's
/// `study.ask()` / `study.tell()`, and `tuner ask` / `tuner tell`): `ask` hands out the next trial's
/// hyperparameters and marks it RUNNING; `tell` records its intermediate values and outcome.
///
/// Asked trials belong to an external worker (`ask:<host>:<pid>`): no heartbeat is expected from them,
/// so other workers never take them over; end them with `tell`, as failed if need be.
///
/// One value keeps one storage connection, opened at its first call and used by every later one (with
/// PostgreSQL, a connection per asking program, never one per trial); like a connection, it belongs to
/// the thread that uses it.
public final class StudyAskTell {
    /// The storage: an SQLite file's path or a PostgreSQL connection string.
    public let storagePath: String
    /// The study's name.
    public let studyName: String
    /// The study's coordinator and its connection, once opened.
    private var opened: StudyCoordinator?
    /// The row id and worker of each trial this value asked for and has not told yet, so `tell` need not
    /// look its trial up first (a round trip of client and server time per trial). Only a hint: the
    /// finish's statements check the trial is still RUNNING for that worker, and a refusal goes the way
    /// of a trial asked elsewhere (looked up, and refused with the lookup's words).
    private var askedHere: [Int: (id: Int64, worker: String)] = [:]

    /// Ask-and-tell on `study` in `storage` (nothing is opened until the first call).
    public init(storagePath: String, study: String) {
        self.storagePath = storagePath
        self.studyName = study
    }

    /// The coordinator of this value's connection, opened on first use.
    private func coordinator() throws -> StudyCoordinator {
        if let opened { return opened }
        let coordinator = try StudyCoordinator(storagePath: storagePath, studyName: studyName, external: true)
        opened = coordinator
        return coordinator
    }

    /// A trial handed out by `ask`.
    public struct AskedTrial: Sendable, Equatable, Codable {
        /// The study's name.
        public let study: String
        /// The trial number, to give back to `tell`.
        public let trial: Int
        /// The values to run with.
        public let hyperparameters: [String: HyperParameterValue]
        /// Hyperband's epochs and parent, for Hyperband studies.
        public let hyperband: HyperbandAssignment?
    }

    /// What `ask` found.
    public enum AskResult: Sendable, Equatable {
        /// Run this trial.
        case trial(AskedTrial)
        /// Nothing can start until running trials end (Hyperband between rounds).
        case waitForRunningTrials
        /// The budget is spent.
        case searchIsOver
    }

    /// Creates the next trial and marks it RUNNING for the asking program.
    ///
    /// - Throws: `StoreError.studyNotFound`, store and oracle errors.
    public func ask() throws -> AskResult {
        let coordinator = try coordinator()
        switch try coordinator.nextTrial() {
        case .run(let trial, let record):
            if let worker = record.worker { askedHere[trial.id] = (record.id, worker) }
            return .trial(AskedTrial(study: studyName, trial: trial.id, hyperparameters: trial.values, hyperband: trial.hyperband))
        case .wait:
            return .waitForRunningTrials
        case .searchIsOver:
            return .searchIsOver
        }
    }

    /// The study's search space as its oracle holds it (parameters trials defined included).
    ///
    /// - Throws: `StoreError.studyNotFound`, `TunerError.missingOracleState`, the oracle's error for a
    ///   damaged stored state, store errors.
    public func searchSpace() throws -> SearchSpace {
        try coordinator().currentOracle().searchSpace
    }

    /// Records an intermediate objective `value` of an asked, RUNNING trial at `step` (Optuna's
    /// `trial.report`) and returns whether `pruner` would stop the trial there (`trial.should_prune()`),
    /// comparing it with the study's other trials as a search's workers do; the program then ends it with
    /// `tell(trial:value:outcome: .pruned)`. Without a pruner it only records the value and returns false.
    /// In a study on several objectives the value is the first objective's (see
    /// `report(trial:step:values:pruner:)` to report every objective).
    ///
    /// - Throws: `TunerError.invalidArgument` when the trial is unknown or not running, or when a pruner
    ///   judges a study on several objectives (it needs every objective's value); store errors.
    public func report(trial number: Int, step: Int, value: Double, pruner: (any TrialPruner)? = nil) throws -> Bool {
        try report(trial: number, step: step, values: [value], pruner: pruner)
    }

    /// Records every objective's intermediate value (`values`, in the study's order) of an asked, RUNNING
    /// trial at `step` and returns whether `pruner` would stop the trial there; in a study on several
    /// objectives the pruner ranks the trials that reported every objective at its rungs (`FrontPruner`).
    /// One value is the first objective's alone, which a study on several objectives only takes without
    /// a pruner.
    ///
    /// - Throws: `TunerError.invalidArgument` when the trial is unknown or not running, for a count of
    ///   values that is neither 1 nor the study's number of objectives, for a pruner that cannot judge
    ///   several objectives, or for one value in a study on several objectives with a pruner; store errors.
    public func report(trial number: Int, step: Int, values: [Double], pruner: (any TrialPruner)? = nil) throws -> Bool {
        let coordinator = try coordinator()
        let objectives = coordinator.study.objectives
        guard values.count == 1 || values.count == objectives.count else {
            let names = objectives.map(\.description).joined(separator: ", ")
            throw TunerError.invalidArgument(
                name: "values", message: "study \"\(studyName)\" has \(objectives.count) objectives (\(names)); a step reports "
                    + "the first one's value or one value for each, and \(values.count) values were given")
        }
        try checkPruner(pruner, judges: objectives)
        if objectives.count > 1, pruner != nil {
            guard values.count == objectives.count else {
                throw TunerError.invalidArgument(
                    name: "values", message: "study \"\(studyName)\" has \(objectives.count) objectives and a pruner that judges "
                        + "them all: report one value for each at a step (tuner tell --step S --values V1 V2 ...)")
            }
        }
        let (record, worker) = try runningTrial(number, coordinator: coordinator, for: "takes reports")
        let names = objectives.prefix(values.count).map(\.name)
        try coordinator.store.recordMetrics(trial: record.id, worker: worker, step: step,
                                            values: Dictionary(uniqueKeysWithValues: zip(names, values)))
        guard let pruner else { return false }
        let curves = try coordinator.store.metrics(trial: record.id).curves
        if let pruner = pruner as? any FrontPruner, objectives.count > 1 {
            // The steps at which this trial reported every objective.
            let reported = objectives.map { Set((curves[$0.name] ?? []).map(\.step)) }
            let question = FrontPruningQuestion(
                trial: number, step: step, values: values, reportedSteps: reported.dropFirst().reduce(reported[0]) { $0.intersection($1) },
                directions: objectives.map(\.direction))
            return try pruner.shouldPrune(question) { step, states in
                try coordinator.store.metricValues(study: coordinator.study.id, names: names, step: step, states: states)
            }
        }
        var history: [Int: Double] = [:]
        for point in curves[names[0]] ?? [] { history[point.step] = point.value }
        let question = PruningQuestion(trial: number, step: step, value: values[0], history: history,
                                       direction: coordinator.study.objective.direction)
        return try pruner.shouldPrune(question) { step, states in
            try coordinator.store.metricValues(study: coordinator.study.id, name: names[0], step: step, states: states)
        }
    }

    /// The pruner stored with the study (a study file's `pruner:`, `tuner create --pruner`), ready to pass
    /// to `report(trial:step:value:pruner:)`; nil when the study has none.
    ///
    /// - Throws: `StoreError.studyNotFound`, `StoreError.damagedData` for a stored pruner that cannot be
    ///   read, `TunerError.invalidArgument` for settings the pruner refuses; store errors.
    public func studyPruner() throws -> (any TrialPruner)? {
        try coordinator().storedPruner()
    }

    /// Trial `number` and the external worker it was asked for, when it is RUNNING.
    ///
    /// - Throws: `TunerError.invalidArgument` naming the trial when there is none or it is not running
    ///   ("only an asked trial `what`").
    private func runningTrial(_ number: Int, coordinator: StudyCoordinator, for what: String) throws -> (StoredTrial, String) {
        guard let record = try coordinator.store.trial(study: coordinator.study.id, number: number) else {
            throw TunerError.invalidArgument(name: "trial", message: "study \"\(studyName)\" has no trial \(number)")
        }
        guard record.state == .running, let worker = record.worker else {
            throw TunerError.invalidArgument(
                name: "trial", message: "trial \(number) is \(record.state.rawValue), not RUNNING; only an asked trial \(what)")
        }
        return (record, worker)
    }

    /// How a told trial ended.
    public enum Outcome: String, Sendable, CaseIterable {
        /// With a final value.
        case complete
        /// Stopped early on purpose.
        case pruned
        /// Failed.
        case failed
    }

    /// Records a RUNNING trial's intermediate `steps` (step → objective value) and ends it; for a study
    /// with one objective and no constraints (see `tell(trial:values:constraints:steps:outcome:reason:)`).
    ///
    /// - Parameters:
    ///   - value: The final objective value (required for `.complete`).
    ///   - reason: Why a failed trial failed.
    /// - Throws: `TunerError.invalidArgument` when the trial is unknown or not running, a complete
    ///   trial has no value, or the study has several objectives; store errors.
    @discardableResult
    public func tell(trial number: Int, value: Double?, steps: [Int: Double] = [:], outcome: Outcome = .complete,
                     reason: String? = nil) throws -> TrialSnapshot {
        try tell(trial: number, values: value.map { [$0] } ?? [], steps: steps, outcome: outcome, reason: reason)
    }

    /// Records a RUNNING trial's intermediate `steps` (step → the first objective's value) and ends it
    /// with a value per objective (Optuna's `study.tell(trial, values)`) and its constraint values
    /// (feasible when all are ≤ 0, as Optuna's `constraints_func` returns them).
    ///
    /// - Parameters:
    ///   - values: The final value of each objective, in the study's order (required for `.complete`,
    ///     ignored otherwise). A NaN or infinite value ends the trial FAILED, as a NaN score does.
    ///   - constraints: The constraint values; a study that declares constraints needs one per declared
    ///     constraint. Only for `.complete`.
    ///   - reason: Why a failed trial failed.
    /// - Throws: `TunerError.invalidArgument` when the trial is unknown or not running, or the values do
    ///   not match the study's objectives or constraints (saying how); nothing is stored then. Store errors.
    @discardableResult
    public func tell(trial number: Int, values: [Double], constraints: [Double] = [], steps: [Int: Double] = [:],
                     outcome: Outcome = .complete, reason: String? = nil) throws -> TrialSnapshot {
        let coordinator = try coordinator()
        if let asked = askedHere.removeValue(forKey: number) {
            do {
                return try end(trial: number, id: asked.id, worker: asked.worker, coordinator: coordinator, values: values,
                               constraints: constraints, steps: steps, outcome: outcome, reason: reason)
            } catch {
                // A lost connection or a long lock is the caller's to retry (a lost COMMIT may have landed, and
                // a lookup now would call the trial "not RUNNING"); only a refusal is looked into below.
                guard Self.isRefusal(error) else { throw error }
            }
            // Refused, and rolled back: the trial is no longer this value's to tell as it was asked (or the
            // values are wrong); the lookup below answers as for a trial asked elsewhere.
        }
        let (record, worker) = try runningTrial(number, coordinator: coordinator, for: "can be told")
        return try end(trial: number, id: record.id, worker: worker, coordinator: coordinator, values: values,
                       constraints: constraints, steps: steps, outcome: outcome, reason: reason)
    }

    /// Whether `error` is a refusal to end a trial (it is not this worker's RUNNING trial, or the oracle or
    /// the checks refused the values), as opposed to a storage that could not be reached.
    private static func isRefusal(_ error: any Error) -> Bool {
        switch error {
        case StoreError.trialNotRunning, StoreError.trialOwnedByAnotherWorker, StoreError.trialNotFound: return true
        case is OracleError, is TunerError: return true
        default: return false
        }
    }

    /// `tell`'s part once the trial's row `id` and its `worker` are known: checks the values, writes the
    /// curve and ends the trial in the oracle and the store, in one transaction.
    private func end(trial number: Int, id: Int64, worker: String, coordinator: StudyCoordinator, values: [Double],
                     constraints: [Double], steps: [Int: Double], outcome: Outcome, reason: String?) throws -> TrialSnapshot {
        let study = coordinator.study
        let metricName = study.objective.name
        let trialOutcome: TrialOutcome
        switch outcome {
        case .complete:
            trialOutcome = try Self.completeOutcome(of: study, values: values, constraints: constraints)
        case .pruned, .failed:
            if !constraints.isEmpty {
                throw TunerError.invalidArgument(name: "constraint", message: "only a complete trial takes constraint values")
            }
            trialOutcome = outcome == .pruned ? .pruned : .failed(reason ?? "reported failed by the program that ran it")
        }
        // A trial told only its final value gets it as its one point of the learning curve — unless it
        // reported steps already (`report`), whose curve it would overwrite: `recordFinalValue` writes
        // the point and reads the curves back in one round trip.
        let finalValueAlone = outcome == .complete && steps.isEmpty ? values.first : nil
        var curvesAfter: MetricsHistory?
        let sortedSteps = steps.sorted { $0.key < $1.key }
        // The curve is written in the same transaction but before the oracle's state is read, which takes
        // the study's lock: it needs only this trial's row, and every statement under the lock delays
        // every other worker of the study.
        let told = try coordinator.transact(beforeOracle: { store in
            for (step, stepValue) in sortedSteps {
                try store.recordMetrics(trial: id, worker: worker, step: step, values: [metricName: stepValue])
            }
            if let finalValueAlone {
                curvesAfter = try store.recordFinalValue(trial: id, worker: worker, metric: metricName, value: finalValueAlone)
            }
        }) { oracle, store in
            for (step, stepValue) in sortedSteps where stepValue.isFinite {
                try oracle.reportIntermediate(trialID: number, step: step, value: stepValue)
            }
            let ended = try oracle.endTrial(trialID: number, outcome: trialOutcome)
            // The ended row as stored (only the told trial: a whole-study read would make each tell O(study)).
            return try store.finishTrial(id, worker: worker, state: ended.state, score: ended.score,
                                         values: ended.objectiveValues, error: ended.failureReason,
                                         oracleState: try oracle.exportChanges())
        }
        // The curves `recordFinalValue` read back in the transaction are the curves as stored (only the
        // asking program writes its trial's curve), so they are not read again.
        if let curvesAfter { return TrialSnapshot(trial: told, metrics: curvesAfter) }
        return TrialSnapshot(trial: told, metrics: try coordinator.store.metrics(trial: id))
    }

    /// The outcome of a trial of `study` told `values` and `constraints`: one score for a study with one
    /// objective and no constraints (as before several objectives existed), else every value.
    ///
    /// - Throws: `TunerError.invalidArgument` naming the mismatch: no value, a count that is not the
    ///   study's number of objectives or declared constraints.
    static func completeOutcome(of study: StoredStudy, values: [Double], constraints: [Double]) throws -> TrialOutcome {
        let objectives = study.objectives
        guard !values.isEmpty else {
            throw TunerError.invalidArgument(
                name: "value", message: objectives.count == 1 ? "a complete trial needs its final value (--value)"
                    : "a complete trial needs a value for each of the study's \(objectives.count) objectives (--value, repeated)")
        }
        guard values.count == objectives.count else {
            let names = objectives.map(\.description).joined(separator: ", ")
            throw TunerError.invalidArgument(
                name: "value",
                message: "study \"\(study.name)\" has \(objectives.count) objective\(objectives.count == 1 ? "" : "s") (\(names)); \(values.count) values were given")
        }
        if !study.constraints.isEmpty && constraints.count != study.constraints.count {
            let names = study.constraints.map(\.description).joined(separator: ", ")
            throw TunerError.invalidArgument(
                name: "constraint",
                message: "study \"\(study.name)\" declares \(study.constraints.count) constraint\(study.constraints.count == 1 ? "" : "s") (\(names)); \(constraints.count) constraint values were given")
        }
        if objectives.count == 1 && constraints.isEmpty { return .complete(values[0]) }
        return .completeWith(TrialValues(objectives: values, constraints: constraints))
    }
}
