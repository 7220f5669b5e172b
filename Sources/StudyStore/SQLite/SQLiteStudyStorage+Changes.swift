import Foundation
import GRDB

/// What changed since a cursor (`StudyChangeReading`): the cursor is the value of `change_counter`, which
/// the v4 triggers bump and copy into each trial or metric row they mark.
extension SQLiteStudyStorage {
    public func changeCursor() throws -> StudyChangeCursor {
        try reading { db in try currentCursor(db) }
    }

    /// Two indexed range reads in one read transaction: the study's trials marked after the cursor, and the
    /// metric rows marked after it (see the statements).
    public func changes(study id: Int64, since cursor: StudyChangeCursor) throws -> StudyChanges {
        guard let since = Int64(cursor.token), since >= 0 else {
            throw StoreError.invalidArgument(
                "\"\(cursor.token.prefix(40))\" is not a change cursor of the SQLite storage \(path); read a new one with changeCursor().")
        }
        return try reading { db in
            let rows = try TrialRow.fetchAll(db.cachedStatement(sql: Self.changedTrialsSQL), arguments: [id, since])
            var metrics: [MetricChange] = []
            let cursorRows = try Row.fetchCursor(db.cachedStatement(sql: Self.changedMetricsSQL), arguments: [since, id])
            while let row = try cursorRows.next() {
                metrics.append(MetricChange(
                    trialID: try row.decode(Int64.self, atIndex: 0), trialNumber: try row.decode(Int.self, atIndex: 1),
                    name: try row.decode(String.self, atIndex: 2),
                    point: MetricPoint(step: try row.decode(Int.self, atIndex: 3), value: try row.decode(Double?.self, atIndex: 4) ?? .nan)))
            }
            return StudyChanges(cursor: try currentCursor(db), trials: try rows.map { try $0.trial(location: path) }, metrics: metrics)
        }
    }

    /// The counter as a cursor.
    private func currentCursor(_ db: Database) throws -> StudyChangeCursor {
        let value = try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM change_counter WHERE id = 1")) ?? 0
        guard let cursor = StudyChangeCursor(token: String(value)) else {
            throw StoreError.decoding(path: path, detail: "change_counter holds \(value), not a count")
        }
        return cursor
    }

    /// The study's trials marked after a cursor (study id, cursor). `INDEXED BY`: otherwise SQLite may
    /// prefer the (study_id, number) index and read every trial of the study. (`StudyChanges` sorts them.)
    static let changedTrialsSQL = """
        SELECT \(TrialRow.columns.replacingOccurrences(of: "FROM trials t", with: "FROM trials t INDEXED BY trials_by_change"))
        WHERE t.study_id = ? AND t.change_seq > ?
        """

    /// The metric values marked after a cursor, of one study (cursor, study id): walked from the change
    /// index (`CROSS JOIN` keeps that order, so a study's metrics are never all read), each joined to its trial.
    static let changedMetricsSQL = """
        SELECT m.trial_id, t.number, m.name, m.step, m.value
        FROM trial_metrics m INDEXED BY trial_metrics_by_change CROSS JOIN trials t ON t.id = m.trial_id
        WHERE m.change_seq > ? AND t.study_id = ?
        """
}
