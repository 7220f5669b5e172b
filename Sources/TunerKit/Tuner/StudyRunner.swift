import Foundation
import Neural
import Tuning

/// Runs a study whose trials are a function (Optuna's `study.optimize(objective)`) or a command: the
/// same oracles, storage, resumes, workers and failure handling as `Tuner`, without a model.
///
/// ```swift
/// let runner = StudyRunner(definition: StudyDefinition(name: "quadratic", objective: .minimize("loss"),
///                                                      oracle: .bayesian(maxTrials: 20)), storage: "q.sqlite")
/// try runner.optimize { hp, reporter in
///     let x = try hp.float("x", min: -5, max: 5)
///     return ["loss": (x - 1) * (x - 1)]
/// }
/// ```
public final class StudyRunner {
    /// The study's definition.
    public let definition: StudyDefinition
    /// The SQLite file.
    public let storagePath: String
    /// How trials run.
    public var options: SearchOptions
    /// The study file this study comes from, stored with it for workers (`tuner worker`).
    public var source: StudySource?
    /// Start again from nothing instead of resuming.
    public let overwrite: Bool

    /// A runner for `definition` in `storage`.
    public init(definition: StudyDefinition, storage: String = "tuner.sqlite", options: SearchOptions = SearchOptions(),
                overwrite: Bool = false) {
        self.definition = definition
        self.storagePath = storage
        self.options = options
        self.overwrite = overwrite
    }

    /// Creates or resumes the study, then runs `objective` for each trial the oracle creates. The
    /// trial's score is the returned metrics' objective value.
    ///
    /// - Throws: `TunerError.invalidArgument`, `.incompatibleStudy`, `.tooManyConsecutiveFailures`,
    ///   store errors. A throwing objective fails its trial, not the search.
    public func optimize(_ objective: @escaping TrialObjective) throws {
        try options.validate()
        let outcome = try StudyPreparation.prepare(
            storagePath: storagePath, definition: definition, overwrite: overwrite,
            checkpoints: CheckpointFiles(storagePath: storagePath), source: source)
        let progress = SearchProgress(options: options, objective: definition.objective)
        if outcome.resumed && outcome.finishedTrials > 0 {
            progress.searchResumed(study: definition.name, finished: outcome.finishedTrials)
        }
        try work(objective: objective, progress: progress)
    }

    /// Creates the study (or checks a stored one against the definition and raises its budget) without
    /// running a trial — what `tuner create` does before workers `join`.
    ///
    /// - Throws: `TunerError.incompatibleStudy`, oracle and store errors.
    public func createOrResume() throws {
        _ = try StudyPreparation.prepare(
            storagePath: storagePath, definition: definition, overwrite: overwrite,
            checkpoints: CheckpointFiles(storagePath: storagePath), source: source)
    }

    /// Joins a study that already exists (created by `optimize`, `tuner search` or `tuner create`) as
    /// one more worker, until the oracle says the search is over.
    ///
    /// - Throws: `StoreError.studyNotFound`, store errors, `.tooManyConsecutiveFailures`.
    public func join(_ objective: @escaping TrialObjective) throws {
        try options.validate()
        try work(objective: objective, progress: SearchProgress(options: options, objective: definition.objective))
    }

    private func work(objective: @escaping TrialObjective, progress: SearchProgress) throws {
        let name = definition.objective.name
        try SearchRunner(
            storagePath: storagePath, studyName: definition.name, objective: definition.objective, seed: definition.seed,
            options: options, progress: progress
        ) { context in
            let metrics = try GlobalRandom.withSeed(context.seed) {
                try objective(context.hyperParameters, context.reporter)
            }
            guard let score = metrics[name] else {
                throw TrialFailure.missingObjective(name: name, available: Array(metrics.keys))
            }
            return TrialMeasurement(score: score, metrics: metrics)
        }.run()
    }

    /// The study's results as stored.
    ///
    /// - Throws: `StoreError.studyNotFound`, other store errors.
    public var oracle: StudySnapshot {
        get throws { try StudySnapshot.load(storagePath: storagePath, study: definition.name) }
    }
}
