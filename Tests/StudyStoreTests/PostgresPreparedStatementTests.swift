import Foundation
import Testing
@testable import StudyStore
import Tuning
import TestSupport

/// The statements a claim and a finish send under the study's lock run as named prepared statements,
/// parsed and planned by the server once per connection (`PostgresStudyStorage.run(_:preparedAs:)`).
@Suite("PostgreSQL prepared statements")
struct PostgresPreparedStatementTests {
    private let state = OracleStateChanges(core: json(#"{"kind":"test"}"#), trials: [0: json(#"{"n":0}"#)])

    /// A fresh study with a saved oracle state, and a worker connection that has seen it.
    private func studyAndWorker() throws -> (storage: TestStorage, study: Int64, worker: PostgresStudyStorage) {
        let storage = try TestStorage(.postgres)
        let writer = try storage.open()
        let study = try writer.createStudy(try sampleStudy()).id
        try writer.saveOracleState(study: study, state)
        let worker = try #require(try storage.open() as? PostgresStudyStorage)
        #expect(try worker.oracleStateVersion(study: study) == 1)
        return (storage, study, worker)
    }

    /// A claim of trial `number` and its finish, each in its own transaction under the study's lock, as
    /// a worker does them.
    private func claimAndFinish(_ number: Int, study: Int64, worker: PostgresStudyStorage) throws -> StoredTrial {
        let claimed = try worker.write { (store: any StudyStorage) throws -> StoredTrial in
            _ = try store.oracleState(study: study, trialsSavedAfter: try store.oracleStateVersion(study: study))
            return try store.startTrial(study: study, number: number, worker: "w", hyperparameters: ["x": .float(Double(number))],
                                        hyperband: nil, oracleState: state, now: 1)
        }
        return try worker.write { (store: any StudyStorage) throws -> StoredTrial in
            _ = try store.oracleState(study: study, trialsSavedAfter: try store.oracleStateVersion(study: study))
            return try store.finishTrial(claimed.id, worker: "w", state: .complete, score: Double(number), values: nil,
                                         error: nil, oracleState: state, now: 2)
        }
    }

    @Test func theLockTheClaimAndTheFinishArePreparedOncePerConnection() throws {
        let (storage, study, worker) = try studyAndWorker()
        let first = try claimAndFinish(0, study: study, worker: worker)
        let second = try claimAndFinish(1, study: study, worker: worker)
        // A step's metrics, by the trial's worker (refused to another) and by no named worker.
        let running = try worker.startTrial(study: study, number: 2, worker: "w", hyperparameters: [:], hyperband: nil,
                                            oracleState: nil, now: 3)
        #expect(try worker.recordMetrics(trial: running.id, worker: "w", step: 1, values: ["loss": 0.5], now: 4) == nil)
        #expect(throws: StoreError.self) {
            try worker.recordMetrics(trial: running.id, worker: "other", step: 2, values: ["loss": 0.25], now: 5)
        }
        try worker.recordMetrics(trial: running.id, worker: nil, step: 3, values: ["loss": 0.125, "accuracy": 0.75], now: 6)
        let curves = try worker.metrics(trial: running.id).curves
        #expect(curves["loss"]?.map(\.step) == [1, 3] && curves["accuracy"]?.map(\.value) == [0.75])
        #expect(first.state == .complete && first.score == 0 && first.hyperparameters["x"] == .float(0))
        #expect(second.state == .complete && second.score == 1 && second.number == 1)
        // The server holds the three statements, prepared on this connection.
        let prepared = try worker.run("SELECT name FROM pg_prepared_statements ORDER BY name").map {
            try $0.value(0, String.self, location: worker.location)
        }
        let names = [EndRunningTrialStatement.name, StudyLockStatement.name, StartTrialStatement.name, RecordMetricsStatement.name]
        #expect(prepared == names.sorted())
        #expect(worker.preparedStatements == Set(names))
        // Two claims and two finishes, each saving the state once.
        #expect(try worker.oracleStateVersion(study: study) == 5)
        #expect(try storage.rowCount("trials") == 3)
    }

    @Test func aStatementWhosePreparationFailedIsPreparedAgainOnANewConnection() throws {
        let (storage, study, worker) = try studyAndWorker()
        // The lock statement cannot be prepared while its function is away.
        try storage.psql("ALTER FUNCTION tuner_lock_study(bigint, bigint) RENAME TO tuner_lock_study_away")
        #expect(throws: StoreError.self) {
            try worker.write { (store: any StudyStorage) throws in _ = try store.oracleState(study: study, trialsSavedAfter: 1) }
        }
        try storage.psql("ALTER FUNCTION tuner_lock_study_away(bigint, bigint) RENAME TO tuner_lock_study")
        // PostgresNIO keeps a failed preparation for its connection's life: the storage took a new one.
        let trial = try claimAndFinish(0, study: study, worker: worker)
        #expect(trial.state == .complete)
        #expect(worker.preparedStatements.contains(StudyLockStatement.name))
    }
}
