import Foundation
import PostgresNIO

/// Reading the PostgreSQL store's rows into the SQLite store's row shapes (`StudyRow`, `TrialRow`): both
/// backends hold the same JSON text and words (`StoredFieldCoding` encodes them), so one decoder turns them
/// into the domain's types and names a damaged field the same way.
enum PostgresRows {
    /// The columns every study query selects, in `study(_:location:)`'s order.
    static let studyColumns = """
        id, name, objective_name, direction, oracle_kind, oracle_config, search_space, created_at, note, additional_objectives,
        metric_constraints FROM studies
        """

    /// The columns every trial query selects (with its study's name, for messages), in `trial(_:location:)`'s order.
    static let trialColumns = trialColumns(of: "trials")

    /// `trialColumns` of the rows `source` names: a table, or a data-modifying `WITH` query's name whose
    /// `RETURNING *` gives the rows a statement just wrote, so a write and its read-back are one round trip.
    static func trialColumns(of source: String) -> String {
        "\(trialColumnList) FROM \(source) t JOIN studies s ON s.id = t.study_id"
    }

    /// The trial columns alone, of the rows `t` joined with their study `s`.
    static let trialColumnList = """
        t.id, t.study_id, s.name, t.number, t.state, t.hyperparameters, t.score, t.worker, t.heartbeat_at, t.started_at,
        t.ended_at, t.error, t.hyperband, t.retries, t.worker_deaths, t.created_at, t.stop_requested_at, t.trial_values
        """

    /// A row of `studyColumns` as a study; `.damagedData` when a stored field does not decode.
    static func study(_ row: PostgresRandomAccessRow, location: String) throws -> StoredStudy {
        try StudyRow(
            id: row.value(0, location: location), name: row.value(1, location: location),
            objectiveName: row.value(2, location: location), direction: row.value(3, location: location),
            oracleKind: row.value(4, location: location), oracleConfig: row.value(5, location: location),
            searchSpace: row.value(6, location: location), createdAt: row.value(7, location: location),
            note: row.value(8, location: location), additionalObjectives: row.value(9, location: location),
            metricConstraints: row.value(10, location: location)
        ).study(location: location)
    }

    /// A row of `trialColumns` as the SQLite store's row record (decoded to a trial by `trial(_:location:)`).
    /// The columns start at `first` when a statement returns others before them.
    static func trialRow(_ row: PostgresRandomAccessRow, from first: Int = 0, location: String) throws(StoreError) -> TrialRow {
        let f = first
        return try TrialRow(
            id: row.value(f, location: location), studyID: row.value(f + 1, location: location),
            studyName: row.value(f + 2, location: location), number: row.value(f + 3, location: location),
            state: row.value(f + 4, location: location), hyperparameters: row.value(f + 5, location: location),
            score: row.value(f + 6, location: location), trialValues: row.value(f + 17, location: location), worker: row.value(f + 7, location: location),
            heartbeatAt: row.value(f + 8, location: location), startedAt: row.value(f + 9, location: location),
            endedAt: row.value(f + 10, location: location), error: row.value(f + 11, location: location),
            hyperband: row.value(f + 12, location: location), retries: row.value(f + 13, location: location),
            workerDeaths: row.value(f + 14, location: location), createdAt: row.value(f + 15, location: location),
            stopRequestedAt: row.value(f + 16, location: location))
    }

    /// A row of `trialColumns` (starting at column `first`) as a trial; `.damagedData` when a stored field
    /// does not decode. A COMPLETE trial without a score reads as NaN, as in the SQLite store (a NaN score
    /// itself is stored as NaN).
    static func trial(_ row: PostgresRandomAccessRow, from first: Int = 0, location: String) throws -> StoredTrial {
        try trialRow(row, from: first, location: location).trial(location: location)
    }
}
