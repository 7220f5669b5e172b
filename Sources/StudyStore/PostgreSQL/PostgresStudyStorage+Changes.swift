import Foundation
import PostgresNIO

/// What changed since a cursor (`StudyChangeReading`): the cursor is a snapshot (`pg_current_snapshot()`,
/// `xmin:xmax:xip,...`); a row changed after it is one whose stamp (`change_xid`, the id of the transaction
/// that last wrote it, set by the v4 triggers) that snapshot did not see.
extension PostgresStudyStorage {
    public func changeCursor() throws -> StudyChangeCursor {
        try reading { try currentCursor() }
    }

    /// Three statements in one REPEATABLE READ transaction: the new cursor, then the study's trials and
    /// metric rows whose stamp the old snapshot did not see, each an index range read from the old
    /// snapshot's xmin (`trials_by_change`, `trial_metrics_by_change`). The cursor is read first, so that
    /// even inside a READ COMMITTED write transaction nothing after it is missed (a change may come twice).
    public func changes(study id: Int64, since cursor: StudyChangeCursor) throws -> StudyChanges {
        guard Self.isSnapshot(cursor.token) else {
            throw StoreError.invalidArgument(
                "\"\(cursor.token.prefix(40))\" is not a change cursor of the PostgreSQL storage \(location); read a new one with changeCursor().")
        }
        let since = cursor.token
        return try reading {
            let next = try currentCursor()
            let trials = try run("""
                SELECT \(unescaped: PostgresRows.trialColumns)
                WHERE t.study_id = \(id) AND t.change_xid >= pg_snapshot_xmin(\(since)::pg_snapshot)
                    AND NOT pg_visible_in_snapshot(t.change_xid, \(since)::pg_snapshot)
                ORDER BY t.number
                """).map { try PostgresRows.trial($0, location: location) }
            let metrics = try run("""
                SELECT m.trial_id, t.number, m.name, m.step, m.value FROM trial_metrics m JOIN trials t ON t.id = m.trial_id
                WHERE t.study_id = \(id) AND m.change_xid >= pg_snapshot_xmin(\(since)::pg_snapshot)
                    AND NOT pg_visible_in_snapshot(m.change_xid, \(since)::pg_snapshot)
                """).map { row in
                let value: Double? = try row.value(4, location: location)
                return MetricChange(trialID: try row.value(0, location: location), trialNumber: try row.value(1, location: location),
                                    name: try row.value(2, location: location),
                                    point: MetricPoint(step: try row.value(3, location: location), value: value ?? .nan))
            }
            return StudyChanges(cursor: next, trials: trials, metrics: metrics)
        }
    }

    /// The transaction's snapshot as a cursor.
    private func currentCursor() throws -> StudyChangeCursor {
        let text: String? = try run("SELECT pg_current_snapshot()::text").first?.value(0, location: location)
        guard let text, let cursor = StudyChangeCursor(token: text) else {
            throw StoreError.decoding(path: location, detail: "pg_current_snapshot() returned \(text ?? "nothing"), not a snapshot")
        }
        return cursor
    }

    /// Whether `token` is a snapshot as PostgreSQL writes one: `xmin:xmax:` and the transactions in
    /// progress, comma-separated, with 1 ≤ xmin ≤ each of them (ascending) < xmax ≥ xmin — PostgreSQL's own
    /// rules, checked here so that text a client made up gets `.invalidArgument`, not the server's parse error.
    static func isSnapshot(_ token: String) -> Bool {
        let parts = token.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let xmin = UInt64(parts[0]), let xmax = UInt64(parts[1]), xmin >= 1, xmin <= xmax
        else { return false }
        if parts[2].isEmpty { return true }
        var previous = xmin
        for item in parts[2].split(separator: ",", omittingEmptySubsequences: false) {
            guard let xid = UInt64(item), xid >= previous, xid < xmax else { return false }
            previous = xid
        }
        return true
    }
}
