import Foundation
import PostgresNIO

extension PostgresStudyStorage {
    /// Reads the study with five queries in one REPEATABLE READ transaction: the study, its trials, every
    /// metric of the study (grouped by trial), the checkpointed trials, and the oracle state.
    public func snapshot(study name: String) throws -> StudySnapshot {
        try reading {
            let study = try requireStudy(named: name)
            let rows = try run("SELECT \(unescaped: PostgresRows.trialColumns) WHERE t.study_id = \(study.id) ORDER BY t.number")
            var curves: [Int64: [String: [MetricPoint]]] = [:]
            for row in try run("""
                SELECT m.trial_id, m.name, m.step, m.value FROM trial_metrics m JOIN trials t ON t.id = m.trial_id
                WHERE t.study_id = \(study.id) ORDER BY m.trial_id, m.name, m.step
                """) {
                let value: Double? = try row.value(3, location: location)
                let point = MetricPoint(step: try row.value(2, location: location), value: value ?? .nan)
                let trialID: Int64 = try row.value(0, location: location)
                let metric: String = try row.value(1, location: location)
                curves[trialID, default: [:]][metric, default: []].append(point)
            }
            let checkpointed = Set(try run("""
                SELECT DISTINCT c.trial_id FROM checkpoints c JOIN trials t ON t.id = c.trial_id WHERE t.study_id = \(study.id)
                """).map { try $0.value(0, Int64.self, location: location) })
            let trials = try rows.map { row in
                let trial = try PostgresRows.trial(row, location: location)
                return TrialSnapshot(trial: trial, metrics: MetricsHistory(curves: curves[trial.id] ?? [:]),
                                     hasCheckpoint: checkpointed.contains(trial.id))
            }
            return StudySnapshot(study: study, trials: trials, oracleState: try oracleState(study: study.id))
        }
    }
}
