import Foundation
import GRDB
import JSONValues
import StudyStore
import Tuning

/// Every migration of this version of the store, in order: the old layer's three, then GRDB's.
let currentMigrations = LegacyFile.names + ["v4-change-tracking", "v5-steering", "v6-oracle-trials", "v7-study-lock", "v8-several-objectives",
                                            "v9-study-lock-catch-up"]

/// The search space of `sampleStudy`: one integer parameter.
func sampleSpace() throws -> SearchSpace {
    try SearchSpace([.int("n_hidden", min: 0, max: 8)])
}

/// A study with the usual fields, for tests that do not care about them.
func sampleStudy(_ name: String = "mnist") throws -> NewStudy {
    NewStudy(name: name, objective: .maximize("val_accuracy"), oracleKind: "random",
             oracleConfiguration: .object(["max_trials": .int(10), "seed": .int(42)]), searchSpace: try sampleSpace())
}

/// A Hyperband assignment (the type has no public memberwise initializer: it is made by the oracle).
func hyperbandAssignment(bracket: Int, round: Int, epochs: Int = 2, initialEpoch: Int = 0,
                         parent: Int? = nil) throws -> HyperbandAssignment {
    var fields: [String: Any] = ["iteration": 0, "bracket": bracket, "round": round, "epochs": epochs,
                                 "initialEpoch": initialEpoch]
    if let parent { fields["parentTrialID"] = parent }
    return try JSONDecoder().decode(HyperbandAssignment.self, from: JSONSerialization.data(withJSONObject: fields))
}

/// JSON text as the bytes an oracle's `exportState()` returns.
func json(_ text: String) -> Data { Data(text.utf8) }

/// JSON text as a whole oracle state to save (`OracleStateChanges(wholeState:)`).
func whole(_ text: String) -> OracleStateChanges { OracleStateChanges(wholeState: json(text)) }

/// A saved oracle state's core as text.
func text(_ state: SavedOracleState?) -> String? { state.map { String(decoding: $0.core, as: UTF8.self) } }

/// A plain GRDB connection to a store's file, beside the storage, for looking at (or damaging) its
/// tables the way another program would.
func rawConnection(_ path: String) throws -> DatabaseQueue {
    var configuration = Configuration()
    configuration.busyMode = .timeout(5)
    return try DatabaseQueue(path: path, configuration: configuration)
}

/// How many rows `table` holds.
func rowCount(_ path: String, _ table: String) throws -> Int {
    try rawConnection(path).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 }
}

/// The metric points of one curve as (step, value) pairs, for comparing.
func points(_ history: MetricsHistory, _ name: String) -> [MetricPoint] { history[name] ?? [] }
