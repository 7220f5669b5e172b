import Foundation
import StudyStore
import Synchronization
import Testing
import TunerKit
import Tuning
import TestSupport

/// Issue 14: on PostgreSQL, a dropped connection or a server restart is survived, not reported. The
/// running trial keeps training while the server is away, its steps and result are stored once it is
/// back, and no trial runs twice — even when the answer to a COMMIT that landed was lost.
@Suite("Searches through lost connections", .serialized)
struct LostConnectionTests {
    /// How many times each trial number ran, and the lines the search printed.
    final class Record: Sendable {
        let runs = Mutex<[Int: Int]>([:])
        let lines = Mutex<[String]>([])

        func ran(_ trial: Int) { runs.withLock { $0[trial, default: 0] += 1 } }
        var output: @Sendable (String) -> Void { { [self] line in lines.withLock { $0.append(line) } } }
    }

    static let steps = 5

    /// Reports `steps` steps of a quadratic, `pause` seconds apart, and returns the loss.
    static func objective(record: Record, pause: Double, onStep: @escaping @Sendable (Int, Int) -> Void = { _, _ in })
        -> TrialObjective {
        { hp, reporter in
            let x = try hp.float("x", min: -1, max: 1)
            record.ran(reporter.trialNumber)
            for step in 0..<steps {
                Thread.sleep(forTimeInterval: pause)
                onStep(reporter.trialNumber, step)
                try reporter.report(step: step, metrics: ["loss": x * x + Double(steps - step)])
            }
            return ["loss": x * x]
        }
    }

    /// Checks what every such search must end with: the budget, every trial COMPLETE, each run once, and
    /// each learning curve whole.
    static func expectWholeStudy(storage: String, study: String, trials budget: Int, record: Record) throws {
        let snapshot = try openStudyStorage(storage).snapshot(study: study)
        #expect(snapshot.trials.count == budget)
        #expect(snapshot.trials.allSatisfy { $0.state == .complete },
                "\(snapshot.trials.map { "\($0.number) \($0.state) \($0.error ?? "")" })")
        let runs = record.runs.withLock { $0 }
        #expect(runs.count == budget && runs.values.allSatisfy { $0 == 1 }, "runs per trial: \(runs)")
        for trial in snapshot.trials {
            #expect(trial.metrics["loss"]?.map(\.step) == Array(0..<steps), "trial \(trial.number): \(trial.metrics)")
        }
        let configurations = Set(snapshot.trials.map { $0.hyperparameters["x"]?.doubleValue ?? .nan })
        #expect(configurations.count == budget)
    }

    /// The server stops while a trial trains and comes back 1.5 s later: the trial's steps and result
    /// wait in memory and are stored, the heartbeats resume; nothing fails or runs twice.
    @Test func aSearchOutlivesAServerRestart() throws {
        let server = try PostgresServer.start()
        let storage = server.url(database: try server.createDatabase())
        let record = Record()
        let restarted = Atomic<Bool>(false)
        let back = DispatchSemaphore(value: 0)
        let runner = StudyRunner(
            definition: StudyDefinition(name: "restart", objective: .minimize("loss"), oracle: .randomSearch(maxTrials: 10), seed: 4),
            storage: storage,
            options: SearchOptions(parallelTrials: 1, heartbeatInterval: 0.2, staleAfter: 20, busyTimeout: 2, responseTimeout: 5,
                                   verbosity: .silent, output: record.output))
        try runner.optimize(Self.objective(record: record, pause: 0.05) { trial, step in
            guard trial == 3, step == 1, !restarted.exchange(true, ordering: .relaxed) else { return }
            // The outage, from another thread: this trial goes on training meanwhile.
            Thread {
                do {
                    try server.stop()
                    Thread.sleep(forTimeInterval: 1.5)
                    try server.startAgain()
                } catch {
                    Issue.record("could not restart the server: \(error)")
                }
                back.signal()
            }.start()
        })
        let didRestart = restarted.load(ordering: .relaxed)
        #expect(didRestart, "trial 3 never reached its second step")
        if didRestart { back.wait() }
        try Self.expectWholeStudy(storage: storage, study: "restart", trials: 10, record: record)
        let lines = record.lines.withLock { $0 }
        #expect(lines.contains { $0.contains("lost the connection") && $0.contains("nothing is lost") }, "\(lines)")
        #expect(!lines.joined().contains(server.password))
    }

    /// The COMMITs that start trial 2 and that store trial 3's result both land after the worker gave up
    /// waiting for their answer (a deferred trigger sleeps past the response timeout inside them). The
    /// worker must run trial 2 (not leave it RUNNING for a stale heartbeat to fail) and take trial 3's
    /// stored result as stored (not as "taken over by another worker").
    @Test func aClaimAndAResultWhoseAnswersAreLostCountOnce() throws {
        let server = try PostgresServer.shared()
        let database = try server.createDatabase()
        defer { server.dropDatabase(database) }
        let storage = server.url(database: database)
        let record = Record()
        let armed = Atomic<Bool>(false)
        let runner = StudyRunner(
            definition: StudyDefinition(name: "lost-answers", objective: .minimize("loss"), oracle: .randomSearch(maxTrials: 5), seed: 5),
            storage: storage,
            options: SearchOptions(heartbeatInterval: 0.2, staleAfter: 30, busyTimeout: 5, responseTimeout: 0.7,
                                   verbosity: .silent, output: record.output))
        try runner.optimize(Self.objective(record: record, pause: 0.01) { trial, step in
            // Armed during trial 1 (the schema exists by then): the next RUNNING insert and the next
            // COMPLETE update each sleep 2 s inside their COMMIT.
            guard trial == 1, step == 0, !armed.exchange(true, ordering: .relaxed) else { return }
            do {
                try server.psql("""
                    CREATE TABLE slow_commits (state text);
                    INSERT INTO slow_commits VALUES ('RUNNING'), ('COMPLETE');
                    CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        -- A new trial started (not a heartbeat's update), or trial 3's result.
                        DELETE FROM slow_commits WHERE state = NEW.state
                            AND ((TG_OP = 'INSERT' AND NEW.state = 'RUNNING') OR (NEW.state = 'COMPLETE' AND NEW.number = 3));
                        IF FOUND THEN PERFORM pg_sleep(2); END IF;
                        RETURN NULL;
                    END $$;
                    CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT OR UPDATE ON trials DEFERRABLE INITIALLY DEFERRED
                        FOR EACH ROW EXECUTE FUNCTION slow_commit();
                    """, database: database)
            } catch {
                Issue.record("could not add the trigger: \(error)")
            }
        })
        #expect(try server.psql("SELECT count(*) FROM slow_commits", database: database) == "0",
                "both slow COMMITs must have happened")
        try Self.expectWholeStudy(storage: storage, study: "lost-answers", trials: 5, record: record)
        let lines = record.lines.withLock { $0 }
        #expect(lines.filter { $0.contains("did not answer within 0.7 s") }.count >= 2, "\(lines)")
    }
}
