import Foundation
import GRDB

extension SQLiteStudyStorage {
    /// Reads the study with four queries in one read transaction: the study, its trials, every metric
    /// of the study (grouped by trial), the checkpointed trials, and the oracle state.
    public func snapshot(study name: String) throws -> StudySnapshot {
        try reading { db in
            let study = try requireStudy(named: name)
            let rows = try TrialRow.fetchAll(db.cachedStatement(sql: "SELECT \(TrialRow.columns) WHERE t.study_id = ? ORDER BY t.number"),
                                             arguments: [study.id])
            var curves: [Int64: [String: [MetricPoint]]] = [:]
            // The bulk of a study (trials × epochs × metrics rows): read by column index, without
            // Codable, each curve built in place (rows come grouped by trial and name, in step order).
            let metrics = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT m.trial_id, m.name, m.step, m.value FROM trial_metrics m JOIN trials t ON t.id = m.trial_id
                WHERE t.study_id = ? ORDER BY m.trial_id, m.name, m.step
                """), arguments: [study.id])
            var trialCurves: [String: [MetricPoint]] = [:]
            var currentTrial: Int64?
            while let row = try metrics.next() {
                let trialID = try row.decode(Int64.self, atIndex: 0)
                if trialID != currentTrial {
                    if let currentTrial { curves[currentTrial] = trialCurves }
                    currentTrial = trialID
                    trialCurves = [:]
                }
                let point = MetricPoint(step: try row.decode(Int.self, atIndex: 2),
                                        value: try row.decode(Double?.self, atIndex: 3) ?? .nan)
                trialCurves[try row.decode(String.self, atIndex: 1), default: []].append(point)
            }
            if let currentTrial { curves[currentTrial] = trialCurves }
            let checkpointed = Set(try Int64.fetchAll(db.cachedStatement(sql: """
                SELECT DISTINCT c.trial_id FROM checkpoints c JOIN trials t ON t.id = c.trial_id WHERE t.study_id = ?
                """), arguments: [study.id]))
            let trials = try rows.map { row in
                TrialSnapshot(trial: try row.trial(location: path), metrics: MetricsHistory(curves: curves[row.id] ?? [:]),
                              hasCheckpoint: checkpointed.contains(row.id))
            }
            return StudySnapshot(study: study, trials: trials, oracleState: try oracleState(study: study.id))
        }
    }
}
