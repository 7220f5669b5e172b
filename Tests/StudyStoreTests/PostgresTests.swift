import Foundation
import Testing
import StudyStore
import Tuning
import TestSupport

/// Connection strings: what they name, and that a malformed one is refused without being repeated.
@Suite("PostgreSQL locations")
struct PostgresLocationTests {
    @Test func aFullConnectionStringIsParsed() throws {
        let location = try PostgresLocation(parsing: "postgresql://tuner:s3cret@db.example.org:6543/studies")
        #expect(location.user == "tuner" && location.password == "s3cret")
        #expect(location.host == "db.example.org" && location.port == 6543 && location.database == "studies")
        #expect(location.socketDirectory == nil)
        #expect(location.redacted == "postgresql://tuner@db.example.org:6543/studies")
        #expect(location.description == location.redacted)
    }

    @Test func theShortSchemeAMissingPortAndAMissingPasswordAreAccepted() throws {
        let location = try PostgresLocation(parsing: "postgres://alice@localhost/tuning")
        #expect(location.user == "alice" && location.password == nil && location.host == "localhost")
        #expect(location.port == 5432 && location.database == "tuning")
        #expect(location.redacted == "postgresql://alice@localhost:5432/tuning")
        #expect(PostgresLocation.isConnectionString("postgres://a@b/c"))
        #expect(PostgresLocation.isConnectionString("POSTGRESQL://a@b/c"))
        #expect(!PostgresLocation.isConnectionString("tuner.sqlite"))
        #expect(!PostgresLocation.isConnectionString("postgres.sqlite"))
    }

    @Test func percentEncodedPartsAreDecoded() throws {
        let location = try PostgresLocation(parsing: "postgresql://us%40er:p%40ss%3Aw%2Frd%20%25@127.0.0.1:5432/my%20db")
        #expect(location.user == "us@er")
        #expect(location.password == "p@ss:w/rd %")
        #expect(location.database == "my db")
        #expect(!location.redacted.contains("p@ss") && !location.redacted.contains("p%40ss"))
    }

    @Test func anIPv6HostAndAUnixSocketFolder() throws {
        let v6 = try PostgresLocation(parsing: "postgresql://u:p@[::1]:5433/d")
        #expect(v6.host == "::1" && v6.port == 5433)
        #expect(v6.redacted == "postgresql://u@[::1]:5433/d")
        let socket = try PostgresLocation(parsing: "postgresql://u@/d?host=/var/run/postgresql&port=5433")
        #expect(socket.socketDirectory == "/var/run/postgresql" && socket.port == 5433 && socket.host.isEmpty)
        #expect(socket.redacted == "postgresql://u@/d?host=/var/run/postgresql&port=5433")
        #expect(try PostgresLocation(parsing: "postgresql://u@h/d?sslmode=disable").tlsMode == .disable)
        #expect(try PostgresLocation(parsing: "postgresql://u@h/d").tlsMode == .prefer)
        let verified = try PostgresLocation(parsing: "postgresql://u@h/d?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        #expect(verified.tlsMode == .verifyFull && verified.rootCertificatePath == "/etc/ca.pem")
    }

    @Test(arguments: [
        "postgresql://host:5432/db",                 // no user
        "postgresql://user:pw@host:5432",            // no database
        "postgresql://user:pw@host:5432/",           // empty database
        "postgresql://user:pw@host:99999/db",        // port out of range
        "postgresql://user:pw@host:port/db",         // port not a number
        "postgresql://user:pw@/db",                  // no host
        "postgresql://user:p%zzw@host/db",           // bad percent escape
        "postgresql://user:pw@host/db?sslmode=allow",   // libpq's, but not PostgresNIO's: refused, not guessed
        "postgresql://user:pw@host/db?sslmode=bogus",
        "postgresql://user:pw@host/db?sslrootcert=ca.pem",   // relative
        "postgresql://user:pw@host/db?application_name=x",
        "postgresql://user:pw@[::1/db",
        "mysql://user:pw@host/db",
    ])
    func malformedStringsAreRefusedWithoutRepeatingThem(_ string: String) throws {
        do {
            _ = try PostgresLocation(parsing: string)
            Issue.record("\(string) was accepted")
        } catch {
            guard case .invalidArgument(let message) = error else { Issue.record("got \(error)"); return }
            #expect(message.contains("postgresql://USER:PASSWORD@HOST:PORT/DATABASE"))
            #expect(!message.contains("pw@") && !message.contains(":pw"), "the message repeats the password: \(message)")
        }
    }
}

/// The PostgreSQL conformer against a real server (`PostgresServer`): what only a server shows.
@Suite("PostgreSQL storage")
struct PostgresStorageTests {
    @Test func openStudyStoragePicksPostgreSQLForBothSchemes() throws {
        let storage = try TestStorage(.postgres)
        let store = try storage.open()
        #expect(store is PostgresStudyStorage)
        #expect(store.location == storage.location)
        let short = storage.connectionString.replacingOccurrences(of: "postgresql://", with: "postgres://")
        #expect(try openStudyStorage(short) is PostgresStudyStorage)
    }

    /// The benchmark's durable server keeps PostgreSQL's defaults for the disk, the tests' server does not
    /// wait for it: `store_throughput_postgres_durable` measures what it says.
    @Test func aDurableServerWaitsForTheDiskAndTheTestServerDoesNot() throws {
        let durable = try PostgresServer.start(durable: true)
        for setting in ["fsync", "synchronous_commit", "full_page_writes"] {
            #expect(try durable.psql("SHOW \(setting)", database: "postgres") == "on")
            #expect(try PostgresServer.shared().psql("SHOW \(setting)", database: "postgres") == "off")
        }
    }

    /// A wrong password, a database that does not exist, or no server: `.cannotOpen` naming the server,
    /// never the password.
    @Test func loginFailuresNameTheServerButNeverThePassword() throws {
        let storage = try TestStorage(.postgres)
        let password = try #require(storage.password)
        let server = try PostgresServer.shared()
        let wrong = "postgresql://tuner:not-\(password.prefix(3))-it@127.0.0.1:\(server.port)/postgres"
        let missing = storage.connectionString.replacingOccurrences(of: "/t_", with: "/missing_")
        let closedPort = "postgresql://tuner:\(password.prefix(4))@127.0.0.1:1/postgres"
        for string in [wrong, missing, closedPort] {
            do {
                _ = try openStudyStorage(string)
                Issue.record("opened \(string)")
            } catch {
                guard let error = error as? StoreError, case .cannotOpen(let location, _) = error else {
                    Issue.record("got \(error)")
                    continue
                }
                #expect(location.hasPrefix("postgresql://tuner@127.0.0.1:"))
                #expect(!error.description.contains(password) && !error.description.contains(String(password.prefix(4))))
                #expect(!"\(error)".contains(String(password.prefix(4))))
            }
        }
    }

    /// PostgreSQL's `double precision` keeps NaN: it is stored as NaN, not NULL.
    @Test func nanIsStoredAsNaN() throws {
        let storage = try TestStorage(.postgres)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        let trial = try store.insertTrial(study: study.id, state: .running, worker: "w")
        try store.recordMetrics(trial: trial.id, step: 0, values: ["loss": .nan])
        try store.finishTrial(trial.id, worker: "w", state: .complete, score: .nan)
        #expect(try storage.scalar("SELECT score::text FROM trials") == "NaN")
        #expect(try storage.scalar("SELECT value::text FROM trial_metrics") == "NaN")
        #expect(try store.requireTrial(id: trial.id).score?.isNaN == true)
    }

    /// A study's lock held by another connection past the busy timeout fails the call with `.locked`,
    /// rolled back; once the lock is gone the same call works.
    @Test func aLockHeldPastTheTimeoutGivesLocked() throws {
        let storage = try TestStorage(.postgres)
        let holder = try storage.open()
        let study = try holder.createStudy(try sampleStudy())
        let waiter = try storage.open(busyTimeout: 0.2)
        try holder.write { holder in
            try holder.saveOracleState(study: study.id, json(#"{"n":1}"#))
            let start = Date()
            #expect(throws: StoreError.locked(path: storage.location, timeoutSeconds: 0.2)) {
                try waiter.insertTrial(study: study.id, oracleState: whole(#"{"n":2}"#))
            }
            #expect(Date().timeIntervalSince(start) >= 0.15)
            // Readers go on.
            #expect(try waiter.trials(study: study.id).isEmpty)
        }
        try waiter.insertTrial(study: study.id, oracleState: whole(#"{"n":2}"#))
        #expect(try waiter.oracleState(study: study.id)?.version == 2)
        #expect(try waiter.trials(study: study.id).count == 1)
    }

    /// A database migrated by a newer tuner is refused and left as it was.
    @Test func aDatabaseWithAnUnknownMigrationIsRefused() throws {
        let storage = try TestStorage(.postgres)
        _ = try storage.open()
        try storage.psql("INSERT INTO tuner_migrations (name, applied_at) VALUES ('v99-from-the-future', 0)")
        do {
            _ = try storage.open()
            Issue.record("opened a database of a newer version")
        } catch {
            guard let error = error as? StoreError, case .decoding(_, let detail) = error else { Issue.record("got \(error)"); return }
            #expect(detail.contains("v99-from-the-future") && detail.contains("upgrade the tuner"))
        }
        #expect(try storage.rowCount("tuner_migrations") == currentMigrations.count + 1)
    }
}

/// Taking a study's lock brings the oracle state's trials saved since the version the connection saw
/// last (`tuner_lock_study(study, since)`), kept for the catch-up read that usually follows; it answers
/// only that question, and only before anything else ran in the transaction.
@Suite("PostgreSQL study lock catch-up")
struct PostgresStudyLockCatchUpTests {
    /// One trial part of an oracle state, numbered.
    private func part(_ number: Int) -> OracleStateChanges {
        OracleStateChanges(core: json(#"{"kind":"test"}"#), trials: [number: json(#"{"n":\#(number)}"#)])
    }

    @Test func theLockAnswersOnlyTheCatchUpItRead() throws {
        let storage = try TestStorage(.postgres)
        let writer = try storage.open()
        let worker = try storage.open()
        let study = try writer.createStudy(try sampleStudy()).id
        try writer.saveOracleState(study: study, part(0))
        // The worker saw version 1, then two more saves land.
        #expect(try worker.oracleStateVersion(study: study) == 1)
        try writer.saveOracleState(study: study, part(1))
        try writer.saveOracleState(study: study, part(2))
        try worker.write { (worker: any StudyStorage) throws in
            #expect(try worker.oracleStateVersion(study: study) == 3)
            // Questions about other versions than the one the lock read get their own answers.
            #expect(try worker.oracleState(study: study, trialsSavedAfter: 2)?.trials.keys.sorted() == [2])
            #expect(try worker.oracleState(study: study, trialsSavedAfter: 1)?.trials.keys.sorted() == [1, 2])
            #expect(try worker.oracleState(study: study, trialsSavedAfter: 0)?.trials.keys.sorted() == [0, 1, 2])
        }
        // Nothing new since the version seen: no trials.
        try worker.write { (worker: any StudyStorage) throws in
            let saved = try worker.oracleState(study: study, trialsSavedAfter: 3)
            #expect(saved?.version == 3 && saved?.trials == [:])
        }
        try writer.saveOracleState(study: study, part(3))
        try worker.write { (worker: any StudyStorage) throws in
            // Answered by the lock statement itself.
            let saved = try worker.oracleState(study: study, trialsSavedAfter: 3)
            #expect(saved?.version == 4 && saved?.trials.keys.sorted() == [3])
            #expect(text(saved) == #"{"kind":"test"}"#)
            // After this transaction's own save, the same question sees that save too.
            try worker.saveOracleState(study: study, part(4))
            let after = try worker.oracleState(study: study, trialsSavedAfter: 3)
            #expect(after?.version == 5 && after?.trials.keys.sorted() == [3, 4])
        }
        try writer.saveOracleState(study: study, part(5))
        // A catch-up read after another statement in the transaction is read again, not served stale.
        try worker.write { (worker: any StudyStorage) throws in
            #expect(try worker.oracleStateVersion(study: study) == 6)
            try worker.saveOracleState(study: study, part(6))
            let saved = try worker.oracleState(study: study, trialsSavedAfter: 5)
            #expect(saved?.version == 7 && saved?.trials.keys.sorted() == [5, 6])
        }
        #expect(try writer.oracleState(study: study)?.trials.keys.sorted() == Array(0...6))
    }
}

/// What a claim and a finish send while they hold the study's lock: every waiting worker waits for each
/// of these statements (`PostgresStudyStorage.studyLockHolds`, which `tuner-bench store_throughput` reports).
@Suite("PostgreSQL study lock holds")
struct PostgresStudyLockHoldTests {
    @Test func aClaimAndAFinishEachHoldTheLockForThreeStatements() throws {
        let storage = try TestStorage(.postgres)
        let other = try storage.open()
        let study = try other.createStudy(try sampleStudy()).id
        let state = OracleStateChanges(core: json(#"{"kind":"test"}"#), trials: [0: json(#"{"n":0}"#)])
        try other.saveOracleState(study: study, state)
        let worker = try #require(try storage.open() as? PostgresStudyStorage)
        #expect(worker.studyLockHolds == PostgresStudyStorage.StudyLockHolds())
        // The version of the state the worker's oracle holds, as `StudyCoordinator` keeps it.
        var cached = 0

        /// One transaction as a worker's claim or finish: the state's version, the trials saved since the
        /// cached one when another worker saved, then `change`; returns what it held the lock for.
        func transact(_ change: (any StudyStorage) throws -> Void) throws -> PostgresStudyStorage.StudyLockHolds {
            let before = worker.studyLockHolds
            try worker.write { (store: any StudyStorage) throws in
                if try store.oracleStateVersion(study: study) != cached {
                    #expect(try store.oracleState(study: study, trialsSavedAfter: cached) != nil)
                }
                try change(store)
                cached = try #require(try store.oracleStateVersion(study: study))
            }
            return worker.studyLockHolds.since(before)
        }
        /// Claims trial `number` and finishes it, another worker saving the state before each.
        func claimAndFinish(_ number: Int) throws -> (claim: PostgresStudyStorage.StudyLockHolds, finish: PostgresStudyStorage.StudyLockHolds) {
            try other.saveOracleState(study: study, state)
            var trial: StoredTrial?
            let claim = try transact { store in
                trial = try store.startTrial(study: study, number: number, worker: "w", hyperparameters: [:], hyperband: nil,
                                             oracleState: state, now: 1)
            }
            try other.saveOracleState(study: study, state)
            let id = try #require(trial?.id)
            let finish = try transact { store in
                try store.finishTrial(id, worker: "w", state: .complete, score: 1, values: nil, error: nil, oracleState: state, now: 2)
            }
            return (claim, finish)
        }
        // A connection's first lock does not bring the catch-up (it has not seen the state): apart, one more.
        let first = try claimAndFinish(0)
        #expect(first.claim.transactions == 1 && first.claim.statements == 4)
        // Then: the lock with the catch-up, the insert or the update with the oracle state, COMMIT.
        let second = try claimAndFinish(1)
        #expect(second.claim.transactions == 1 && second.claim.statements == 3 && second.claim.seconds > 0)
        #expect(second.finish.transactions == 1 && second.finish.statements == 3 && second.finish.seconds > 0)
        #expect(PostgresStudyStorage.processStudyLockHolds.statements >= worker.studyLockHolds.statements)

        // A write that takes no study lock counts nothing.
        let counted = worker.studyLockHolds
        try worker.write { (store: any StudyStorage) throws in try store.updateStudyNote(study, StudyNote()) }
        #expect(worker.studyLockHolds == counted)
    }
}
