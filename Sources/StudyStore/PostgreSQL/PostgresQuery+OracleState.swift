import Foundation
import PostgresNIO
import Tuning

/// Saving an oracle state as part of another statement: a claim's insert or a finish's update and the
/// state it changed go to the server in one round trip, under the study's lock (every statement under
/// it delays every waiting worker).
extension PostgresQuery.StringInterpolation {
    /// Appends the `WITH` queries `saved` (the core, its version raised by one; `RETURNING version`) and
    /// `saved_trials` (each changed trial, stamped with that version) for `changes` of `study`; with no
    /// changes, a `saved` of no rows. With `ifRowsIn`, the state is saved only when that earlier `WITH`
    /// query wrote a row (a finish's update that matched its trial). Stored trials that `changes`
    /// replaces must be deleted before (`PostgresStudyStorage.storeOracleState` does).
    mutating func appendInterpolation(savingOracleState changes: OracleStateChanges?, study: Int64, now: Double,
                                      ifRowsIn guardQuery: String? = nil) {
        guard let changes else {
            appendLiteral("saved AS (SELECT NULL::bigint AS version WHERE false)")
            return
        }
        let numbers = changes.trials.keys.sorted().map { Int64($0) }
        let states = numbers.map { String(decoding: changes.trials[Int($0)] ?? Data(), as: UTF8.self) }
        appendLiteral("saved AS (INSERT INTO oracle_state (study_id, state, version, updated_at) SELECT ")
        appendInterpolation(study)
        appendLiteral(", ")
        appendInterpolation(String(decoding: changes.core, as: UTF8.self))
        appendLiteral(", 1, ")
        appendInterpolation(now)
        // The name is the store's own constant, never a value from outside.
        appendLiteral(guardQuery.map { " WHERE EXISTS (SELECT 1 FROM \($0))" } ?? "")
        appendLiteral("""

                ON CONFLICT (study_id) DO UPDATE SET state = excluded.state, version = oracle_state.version + 1,
                    updated_at = excluded.updated_at
                RETURNING version
            ), saved_trials AS (
                INSERT INTO oracle_trials (study_id, number, state, version)
                SELECT
            """)
        appendLiteral(" ")
        appendInterpolation(study)
        appendLiteral(", t.number, t.state, saved.version FROM saved, unnest(")
        appendInterpolation(numbers)
        appendLiteral("::bigint[], ")
        appendInterpolation(states)
        appendLiteral("""
            ::text[]) AS t(number, state)
                ON CONFLICT (study_id, number) DO UPDATE SET state = excluded.state, version = excluded.version
            )
            """)
    }
}
