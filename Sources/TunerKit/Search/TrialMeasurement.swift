import StudyStore
import Tuning

/// What a trial's run measured: its score (the first objective's value, as Keras Tuner scores a trial)
/// and the final value of every metric it produced, from which a study with several objectives or with
/// constraints takes the rest.
struct TrialMeasurement: Sendable {
    /// The first objective's value.
    var score: Double
    /// Every metric the run produced, by name (the built-in model metrics of `BuiltInMetric` included).
    var metrics: [String: Double]

    /// How the trial ended for `study`: its score alone for a study with one objective and no
    /// constraints; else every objective's value (the first is `score`) and each declared constraint's
    /// value (`MetricConstraint.violation`).
    ///
    /// - Throws: `TrialFailure.missingObjective` naming an objective or constrained metric the run did
    ///   not produce (the trial fails with that reason, as a missing first objective fails it).
    func outcome(for study: StoredStudy) throws -> TrialOutcome {
        guard study.definition.isMultiObjective || !study.constraints.isEmpty else { return .complete(score) }
        var objectives = [score]
        for objective in study.definition.additionalObjectives {
            guard let value = metrics[objective.name] else {
                throw TrialFailure.missingObjective(name: objective.name, available: Array(metrics.keys))
            }
            objectives.append(value)
        }
        let constraints = try study.constraints.map { constraint in
            guard let value = metrics[constraint.metric] else {
                throw TrialFailure.missingObjective(name: constraint.metric, available: Array(metrics.keys))
            }
            return constraint.violation(of: value)
        }
        return .completeWith(TrialValues(objectives: objectives, constraints: constraints))
    }
}
