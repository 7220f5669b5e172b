import Foundation
import PostgresNIO
import Tuning

/// A statement the PostgreSQL store prepares once per connection (`PostgresStudyStorage.run(_:preparedAs:)`):
/// one of the few sent at every claim or finish while the study's lock is held. Its text is the one
/// the store's own query builder makes (`sql`, built once from placeholder values), so a call whose
/// query has another text (another shape) simply runs unprepared, and the prepared one is always the
/// statement the builder meant; its values are the call's query's bound values, in the same order.
protocol PreparedStoreStatement: PostgresPreparedStatement where Row == PostgresRow {
    /// The statement with the values a query of its text bound.
    init(binds: PostgresBindings)
    /// The values bound.
    var binds: PostgresBindings { get }
}

extension PreparedStoreStatement {
    func makeBindings() -> PostgresBindings { binds }

    func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
}

/// The placeholder oracle state the prepared statements' texts are built with: one changed trial (the
/// trials and their states are bound as two arrays, so any number gives the same text).
private let placeholderOracleState = OracleStateChanges(core: Data("{}".utf8), trials: [0: Data("{}".utf8)])

/// The study's lock with the catch-up (`PostgresStudyStorage.lockStudyQuery(_:since:)`).
struct StudyLockStatement: PreparedStoreStatement {
    static let name = "tuner_lock_study_since"
    static let sql = PostgresStudyStorage.lockStudyQuery(0, since: 0).sql
    let binds: PostgresBindings
}

/// A claim's insert of its new RUNNING trial with the oracle state (`PostgresStudyStorage.startTrialQuery`).
struct StartTrialStatement: PreparedStoreStatement {
    static let name = "tuner_start_trial"
    static let sql = PostgresStudyStorage.startTrialQuery(
        study: 0, number: 0, values: "{}", worker: "", assignment: nil, oracleState: placeholderOracleState, now: 0).sql
    let binds: PostgresBindings
}

/// A finish's update of its trial with the oracle state (`PostgresStudyStorage.endRunningTrialQuery`).
struct EndRunningTrialStatement: PreparedStoreStatement {
    static let name = "tuner_end_running_trial"
    static let sql = PostgresStudyStorage.endRunningTrialQuery(
        0, worker: "", state: .complete, score: nil, values: nil, error: nil, study: 0, oracleState: placeholderOracleState,
        now: 0).sql
    let binds: PostgresBindings
}

/// A step's metrics with the trial's ownership check (`PostgresStudyStorage.recordMetricsQuery`): not under
/// the study's lock, but sent at every step of every trial (and by `tell` for a trial told its final
/// value alone).
struct RecordMetricsStatement: PreparedStoreStatement {
    static let name = "tuner_record_metrics"
    static let sql = PostgresStudyStorage.recordMetricsQuery(trial: 0, worker: nil, step: 0, names: [], values: [], now: 0).sql
    let binds: PostgresBindings
}

/// A told final value with its curve's read (`PostgresStudyStorage.recordFinalValueQuery`): not under the
/// study's lock, but sent by every `tell` of a trial told its final value alone.
struct RecordFinalValueStatement: PreparedStoreStatement {
    static let name = "tuner_record_final_value"
    static let sql = PostgresStudyStorage.recordFinalValueQuery(trial: 0, worker: "", metric: "", value: 0, now: 0).sql
    let binds: PostgresBindings
}

/// A task executor whose jobs the thread that waits for the task runs itself (`run`): PostgresNIO runs
/// prepared statements through async calls only, and the store's calls block their thread. A task on
/// Swift's global executor would need a free thread of its small pool, which callers on that pool (tests,
/// async programs) may all be blocking, waiting for it; here the waiting thread is the one that runs it,
/// woken once per step as it is by `EventLoopFuture.wait()`.
final class WaitingThreadExecutor: TaskExecutor, @unchecked Sendable {
    /// Guards `jobs` and `finished`, and wakes the waiting thread.
    private let condition = NSCondition()
    /// Steps of the task ready to run.
    private var jobs: [UnownedJob] = []
    /// Whether the task returned or threw.
    private var finished = false

    private init() {}

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Notes that the task ended and wakes the waiting thread.
    private func markFinished() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    /// Runs `operation` as a task whose every step runs on this thread, and returns what it returned.
    static func run<Value: Sendable>(_ operation: @escaping @Sendable () async throws -> Value) throws -> Value {
        let executor = WaitingThreadExecutor()
        let outcome = OutcomeBox<Value>()
        Task(executorPreference: executor) {
            do {
                outcome.result = .success(try await operation())
            } catch {
                outcome.result = .failure(error)
            }
            executor.markFinished()
        }
        while true {
            executor.condition.lock()
            while executor.jobs.isEmpty && !executor.finished { executor.condition.wait() }
            let ready = executor.jobs
            executor.jobs = []
            let done = executor.finished
            executor.condition.unlock()
            for job in ready { job.runSynchronously(on: executor.asUnownedTaskExecutor()) }
            if done && ready.isEmpty { break }
        }
        guard let result = outcome.result else {
            throw StoreError.decoding(path: "", detail: "a prepared statement's task ended without an answer")
        }
        return try result.get()
    }

    /// The task's result, written by the task (on the waiting thread) and read once it ended.
    private final class OutcomeBox<Value>: @unchecked Sendable {
        var result: Result<Value, any Error>?
    }
}
