import Foundation
import Testing
@testable import StudyStore
import TestSupport

/// A PostgreSQL connection that goes away — ended by the server, cut by a restart, or silent past the
/// response timeout — fails the call with `StoreError.connectionLost`, rolls back what that call's
/// transaction had done, and is replaced at the next call: the storage value stays usable.
@Suite("PostgreSQL reconnection", .serialized)
struct PostgresReconnectionTests {
    /// A study on `store` with `count` WAITING trials.
    static func makeStudy(_ store: PostgresStudyStorage, trials count: Int) throws -> StoredStudy {
        let study = try store.createStudy(try sampleStudy())
        for index in 0..<count { try store.insertTrial(study: study.id, hyperparameters: ["n_hidden": .int(index)]) }
        return study
    }

    /// A fresh database on the shared server and a storage on it; the caller drops the database.
    static func freshStore(responseTimeout: Double? = nil) throws -> (server: PostgresServer, database: String, store: PostgresStudyStorage) {
        let server = try PostgresServer.shared()
        let database = try server.createDatabase()
        return (server, database, try PostgresStudyStorage(connectionString: server.url(database: database), responseTimeout: responseTimeout))
    }

    /// Ends every connection to `database` from the server's side, as a restart or an administrator does.
    static func endConnections(_ server: PostgresServer, database: String) throws {
        for pid in try server.backends(database: database) {
            try server.psql("SELECT pg_terminate_backend(\(pid))", database: "postgres")
        }
    }

    /// Calls `body` until it does not throw `.connectionLost` (at most `tries` times), returning its
    /// value and how many calls lost their connection.
    static func afterReconnecting<T>(tries: Int = 50, _ body: () throws -> T) throws -> (value: T, lost: Int) {
        var lost = 0
        while true {
            do {
                return (try body(), lost)
            } catch StoreError.connectionLost where lost < tries {
                lost += 1
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
    }

    @Test func aConnectionTheServerEndsIsReplacedAtTheNextCall() throws {
        let (server, database, store) = try Self.freshStore()
        defer { server.dropDatabase(database) }
        let study = try Self.makeStudy(store, trials: 3)
        #expect(try server.backends(database: database).count == 1)
        try Self.endConnections(server, database: database)

        // The first call may still meet the dead connection (and says so); one after it works again.
        let (trials, lost) = try Self.afterReconnecting { try store.trials(study: study.id) }
        #expect(trials.count == 3)
        #expect(lost <= 1)
        #expect(try server.backends(database: database).count == 1, "one connection, not one per try")
    }

    @Test func aTransactionWhoseConnectionIsLostIsRolledBackAndTheStoreGoesOn() throws {
        let (server, database, store) = try Self.freshStore()
        defer { server.dropDatabase(database) }
        let study = try Self.makeStudy(store, trials: 1)
        var caught: StoreError?
        do {
            try store.write { store in
                try store.insertTrial(study: study.id, hyperparameters: ["n_hidden": .int(5)])
                try Self.endConnections(server, database: database)
                try store.insertTrial(study: study.id, hyperparameters: ["n_hidden": .int(6)])
            }
        } catch let error as StoreError {
            caught = error
        }
        guard case .connectionLost(let location, _) = caught else {
            Issue.record("expected connectionLost, got \(String(describing: caught))")
            return
        }
        #expect(location == store.location)
        #expect(!String(describing: caught).contains(server.password))
        let (trials, _) = try Self.afterReconnecting { try store.trials(study: study.id) }
        #expect(trials.count == 1, "the lost transaction's insert must be rolled back")
        try store.insertTrial(study: study.id, hyperparameters: ["n_hidden": .int(7)])
        #expect(try store.trials(study: study.id).count == 2)
    }

    @Test func aServerThatDoesNotAnswerInTimeIsTakenForLost() throws {
        let (server, database, store) = try Self.freshStore(responseTimeout: 0.5)
        defer { server.dropDatabase(database) }
        let study = try Self.makeStudy(store, trials: 1)
        let started = Date()
        #expect {
            try store.run("SELECT pg_sleep(5)")
        } throws: { error in
            guard case StoreError.connectionLost(_, let detail) = error else { return false }
            return detail.contains("did not answer within 0.5 s")
        }
        #expect(Date().timeIntervalSince(started) < 4, "the call must give up at the response timeout")
        #expect(try store.trials(study: study.id).count == 1)
    }

    /// A COMMIT whose answer never comes may have landed: the store says the connection was lost, and the
    /// change is there. (A deferred trigger sleeps past the response timeout inside the COMMIT; the server
    /// finishes it after the client gave up.) Callers that must know look, as the search loop does.
    @Test func aCommitWhoseAnswerIsLostMayHaveLanded() throws {
        let (server, database, store) = try Self.freshStore(responseTimeout: 0.5)
        defer { server.dropDatabase(database) }
        let study = try Self.makeStudy(store, trials: 1)
        try server.psql("""
            CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_sleep(1.5); RETURN NULL; END $$;
            CREATE CONSTRAINT TRIGGER slow_commit AFTER UPDATE ON trials DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW EXECUTE FUNCTION slow_commit();
            """, database: database)
        #expect(throws: StoreError.self) { try store.claimNextTrial(study: study.id, worker: "w") }
        try server.psql("DROP TRIGGER slow_commit ON trials", database: database)
        Thread.sleep(forTimeInterval: 1.5)
        let (trials, _) = try Self.afterReconnecting { try store.trials(study: study.id) }
        #expect(trials.map(\.state) == [.running])
        #expect(trials.first?.worker == "w")
    }

    /// A restart: calls made while the server is down fail with `.connectionLost` (never `.cannotOpen`,
    /// which would say the storage string is wrong); once it is back, the same storage value works.
    @Test func aRestartedServerIsReachedAgain() throws {
        let server = try PostgresServer.start()
        let database = try server.createDatabase()
        let store = try PostgresStudyStorage(connectionString: server.url(database: database), busyTimeout: 1, responseTimeout: 5)
        let study = try Self.makeStudy(store, trials: 2)
        try server.stop()
        for _ in 0..<2 {
            #expect {
                try store.trials(study: study.id)
            } throws: { error in
                if case StoreError.connectionLost = error { return true }
                return false
            }
        }
        try server.startAgain()
        let (trials, lost) = try Self.afterReconnecting { try store.trials(study: study.id) }
        #expect(trials.count == 2)
        #expect(lost <= 1)
        _ = try store.claimNextTrial(study: study.id, worker: "w")
        #expect(try store.trials(study: study.id, states: [.running]).count == 1)
    }
}
