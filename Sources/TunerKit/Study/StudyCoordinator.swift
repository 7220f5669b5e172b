import Foundation
import StudyStore
import Tuning

/// One worker's view of a stored study: its own store connection and a cached oracle restored from the
/// stored state. Every oracle decision runs inside an IMMEDIATE transaction that first brings the cached
/// oracle up to the stored version, so workers in other threads or processes always decide on the
/// latest state and never hand out the same trial twice.
///
/// Not `Sendable`: a worker thread makes its own.
final class StudyCoordinator {
    let store: any StudyStorage
    let study: StoredStudy
    let kind: OracleSettings.Kind
    /// Who this coordinator works as; for ask-and-tell, a new identity per asked trial (`nextTrial()`).
    private(set) var worker: WorkerIdentity
    /// Whether it hands trials to programs outside (`tuner ask`, `StudyAskTell`), not to its own thread.
    let external: Bool
    private var cached: (oracle: any Oracle, version: Int)?
    /// A change whose COMMIT was sent when the connection was lost: it may have landed. The next try of
    /// the same change looks first (see `nextTrial()` and `finish`).
    private var uncertainCommit: UncertainCommit?

    /// What an uncertain COMMIT was about.
    private enum UncertainCommit: Equatable {
        /// Starting the next trial for this worker.
        case claim
        /// Ending the trial with this row id.
        case finish(Int64)
    }

    /// Opens `storagePath` for a new worker of this process and finds the study; each store call
    /// waits up to `busyTimeout` seconds for another connection's lock, and a server's answer up to
    /// `responseTimeout` (see `SearchOptions.responseTimeout`).
    ///
    /// - Throws: `StoreError` (`.studyNotFound`, file errors), `TunerError.unknownOracleKind`.
    init(storagePath: String, studyName: String, external: Bool = false, busyTimeout: Double = SearchOptions().busyTimeout,
         responseTimeout: Double? = nil) throws {
        store = try openStudyStorage(storagePath, busyTimeout: busyTimeout, responseTimeout: responseTimeout)
        study = try store.requireStudy(named: studyName)
        guard let kind = OracleSettings.Kind(rawValue: study.oracleKind) else {
            throw TunerError.unknownOracleKind(study: studyName, kind: study.oracleKind)
        }
        self.kind = kind
        self.external = external
        worker = external ? .external() : .next()
        if !external { worker.markLive() }
    }

    deinit { worker.retire() }

    var workerID: String { worker.description }

    /// The current oracle, read outside a transaction (for results; may be a moment old).
    func currentOracle() throws -> any Oracle {
        try store.read { _ in try upToDateOracle() }
    }

    /// Runs `body` with the up-to-date oracle inside one IMMEDIATE transaction; `body` saves the oracle
    /// state through the store calls it makes. On any error the transaction rolls back and the cache is
    /// dropped (the in-memory oracle may have changed).
    ///
    /// `beforeOracle` runs first in the same transaction, before the oracle's state is read: changes that
    /// need no oracle (a told trial's learning curve) go there, ahead of the study's lock (PostgreSQL),
    /// which reading the state takes and every waiting worker queues on.
    func transact<T>(beforeOracle: (any StudyStorage) throws -> Void = { _ in },
                     _ body: (any Oracle, any StudyStorage) throws -> T) throws -> T {
        do {
            return try store.write { store in
                try beforeOracle(store)
                let oracle = try upToDateOracle()
                let result = try body(oracle, store)
                cached = (oracle, try store.oracleStateVersion(study: study.id) ?? 0)
                return result
            }
        } catch {
            cached = nil
            throw error
        }
    }

    /// The cached oracle brought up to the stored version: unchanged when no other worker saved since,
    /// else given the core and the trials saved after the cached version (a few, whatever the study's
    /// size), else restored whole.
    private func upToDateOracle() throws -> any Oracle {
        let version = try store.oracleStateVersion(study: study.id)
        if let cached, !cached.oracle.hasUnexportedChanges {
            if cached.version == version { return cached.oracle }
            if let record = try store.oracleState(study: study.id, trialsSavedAfter: cached.version) {
                try cached.oracle.applyStoredChanges(core: record.core, trials: record.orderedTrials)
                self.cached = (cached.oracle, record.version)
                return cached.oracle
            }
        }
        guard let record = try store.oracleState(study: study.id) else {
            throw TunerError.missingOracleState(study: study.name)
        }
        let oracle = try OracleSettings.restoreOracle(kind: kind, core: record.core, trials: record.orderedTrials)
        cached = (oracle, record.version)
        return oracle
    }

    /// What the oracle says this worker should do next.
    enum NextTrial {
        case run(Trial, StoredTrial)
        case wait
        case searchIsOver
    }

    /// Asks the oracle for the next trial and marks it RUNNING for this worker, in one transaction. After
    /// a try whose connection was lost, a trial that try did start (its COMMIT landed unanswered) is
    /// returned first, so it runs rather than waits for its heartbeat to go stale.
    func nextTrial() throws -> NextTrial {
        if uncertainCommit == .claim {
            let landed = try landedClaim()
            uncertainCommit = nil
            if let landed { return landed }
        }
        // Each asked trial is its own external worker's: the oracle hands a worker the trial it is
        // already running, and an asking program may hold several.
        if external { worker = .external() }
        do {
            return try startNextTrial()
        } catch let failure as StoreError {
            if case .connectionLost = failure { uncertainCommit = .claim }
            throw failure
        }
    }

    /// The trial RUNNING for this worker, if a claim whose connection was lost landed. A coordinator asks
    /// for a trial only when it runs none, so any such trial is that claim.
    private func landedClaim() throws -> NextTrial? {
        try transact { oracle, store in
            guard let record = try store.runningTrials(study: study.id).first(where: { $0.worker == workerID }),
                  let trial = oracle.trial(record.number), trial.state == .running
            else { return nil }
            return .run(trial, record)
        }
    }

    private func startNextTrial() throws -> NextTrial {
        try transact { oracle, store in
            let enqueued = try enqueueRequestedTrials(oracle: oracle, store: store)
            switch oracle.createTrial(workerID: workerID) {
            case .run(let trial):
                let record = try store.startTrial(
                    study: study.id, number: trial.id, worker: workerID, hyperparameters: trial.values,
                    hyperband: trial.hyperband, oracleState: try oracle.exportChanges())
                return .run(trial, record)
            case .waitForRunningTrials:
                if enqueued { try store.saveOracleState(study: study.id, try oracle.exportChanges()) }
                return .wait
            case .searchIsOver:
                // Enqueued past the budget: they wait in the oracle for a search given more trials.
                if enqueued { try store.saveOracleState(study: study.id, try oracle.exportChanges()) }
                return .searchIsOver
            }
        }
    }

    /// Enqueues in the oracle the trials users asked for (the dashboard's form, `StudyStorage.requestTrial`)
    /// and settles each request with the trial's number, or as rejected with the reason when its values no
    /// longer fit the space — inside the claim's transaction, whose locks make this worker the only one
    /// that takes them, so each request becomes one trial, once. The oracle serves enqueued trials before
    /// any suggestion, so the claim that follows runs the oldest. Returns whether any was enqueued (the
    /// caller then saves the oracle state).
    private func enqueueRequestedTrials(oracle: any Oracle, store: any StudyStorage) throws -> Bool {
        var enqueued = false
        for request in try store.pendingTrialRequests(study: study.id) {
            do {
                let trial = try oracle.enqueue(request.hyperparameters)
                try store.settleTrialRequest(request.id, as: .enqueued(trial: trial.id))
                enqueued = true
            } catch let error as OracleError {
                try store.settleTrialRequest(request.id, as: .rejected(reason: error.description))
            }
        }
        return enqueued
    }

    /// Ends a trial in the oracle and the store together: the space found while building is merged,
    /// the objective's steps replayed, the outcome recorded. Returns the trial as the oracle recorded it.
    /// After a try whose connection was lost, a result that try did store (its COMMIT landed unanswered)
    /// is returned as stored, not refused as "not running".
    ///
    /// - Throws: `StoreError.trialNotRunning` / `.trialOwnedByAnotherWorker` when the trial was taken
    ///   away (stale), `OracleError` when the space found conflicts with the stored one.
    func finish(_ trial: Trial, record: StoredTrial, outcome: TrialOutcome, steps: [StepValue], space: SearchSpace?,
                values: [String: HyperParameterValue]?) throws -> Trial {
        let mayHaveLanded = uncertainCommit == .finish(record.id)
        uncertainCommit = nil
        do {
            return try transact { oracle, store in
                if mayHaveLanded, let landed = try landedFinish(of: trial, record: record, oracle: oracle, store: store) {
                    return landed
                }
                return try end(trial, record: record, outcome: outcome, steps: steps, space: space, values: values,
                               oracle: oracle, store: store)
            }
        } catch let failure as StoreError {
            if case .connectionLost = failure { uncertainCommit = .finish(record.id) }
            throw failure
        }
    }

    /// The trial as stored, if this worker's earlier try ended it: it is finished, still this worker's,
    /// and no worker death was counted since it was claimed (settling an abandoned trial counts one).
    private func landedFinish(of trial: Trial, record: StoredTrial, oracle: any Oracle, store: any StudyStorage) throws -> Trial? {
        let stored = try store.requireTrial(id: record.id)
        guard stored.state.isFinished, stored.worker == workerID, stored.workerDeaths == record.workerDeaths,
              let ended = oracle.trial(trial.id), ended.state.isFinished
        else { return nil }
        return ended
    }

    /// Ends the trial for `finish`, inside its transaction.
    private func end(_ trial: Trial, record: StoredTrial, outcome: TrialOutcome, steps: [StepValue], space: SearchSpace?,
                     values: [String: HyperParameterValue]?, oracle: any Oracle, store: any StudyStorage) throws -> Trial {
        do {
            return try endInOracleAndStore(trial, record: record, outcome: outcome, steps: steps, space: space, values: values,
                                           oracle: oracle, store: store)
        } catch let refusal as OracleError {
            // A trial another worker settled while this one was cut off or frozen is no longer ours: the
            // oracle (which has it ended already) refuses it, and the store's words say why (the search
            // loop takes them as "lost"). Looked up only then: the finish's update checks it anyway, and
            // every statement under the study's lock delays every other worker.
            let stored = try store.requireTrial(id: record.id)
            guard stored.state == .running else { throw StoreError.trialNotRunning(id: record.id, state: stored.state.rawValue) }
            guard stored.worker == workerID else {
                throw StoreError.trialOwnedByAnotherWorker(id: record.id, owner: stored.worker ?? "none", caller: workerID)
            }
            throw refusal
        }
    }

    /// `end`'s changes: the values and space found, the steps, the outcome, in the oracle and the store.
    private func endInOracleAndStore(_ trial: Trial, record: StoredTrial, outcome: TrialOutcome, steps: [StepValue],
                                     space: SearchSpace?, values: [String: HyperParameterValue]?, oracle: any Oracle,
                                     store: any StudyStorage) throws -> Trial {
        if let values, values != trial.values {
            try store.updateTrialHyperparameters(record.id, values)
        }
        var spaceChanged = false
        if let space, space != oracle.searchSpace {
            try oracle.updateSpace(space)
            spaceChanged = true
        }
        if let values, values != trial.values {
            try oracle.completeValues(trialID: trial.id, with: values)
        }
        for step in steps where step.value.isFinite {
            try oracle.reportIntermediate(trialID: trial.id, step: step.step, value: step.value)
        }
        let ended = try oracle.endTrial(trialID: trial.id, outcome: outcome)
        try store.finishTrial(
            record.id, worker: workerID, state: ended.state, score: ended.score, values: ended.objectiveValues,
            error: ended.failureReason, oracleState: try oracle.exportChanges())
        if spaceChanged {
            try store.updateStudy(study.id, searchSpace: oracle.searchSpace)
        }
        return ended
    }

    /// Puts a trial this worker was running back to WAITING because the search was interrupted, in the
    /// oracle and the store together, without counting a retry or a worker death: a resume runs it again.
    /// A trial a stop was asked for (the dashboard) ends PRUNED instead. Returns whether it was re-queued.
    ///
    /// - Throws: `StoreError.trialNotRunning` / `.trialOwnedByAnotherWorker` when it is no longer ours.
    @discardableResult
    func requeueInterrupted(_ trial: Trial, record: StoredTrial, signal: Int32) throws -> Bool {
        try transact { oracle, store in
            // A trial a user asked to stop is not run again on resume only to be stopped at its first
            // step: it ends PRUNED, as the stop would have ended it at its next step.
            if try store.requireTrial(id: record.id).stopRequestedAt != nil {
                let ended = try oracle.endTrial(trialID: trial.id, outcome: .pruned)
                try store.finishTrial(record.id, worker: workerID, state: ended.state, score: ended.score, error: nil,
                                      oracleState: try oracle.exportChanges())
                return false
            }
            if oracle.trial(trial.id)?.state == .running { try oracle.requeue(trialID: trial.id) }
            try store.requeueInterruptedTrial(
                record.id, worker: workerID, reason: "interrupted by \(SearchInterruption.name(of: signal))",
                oracleState: try oracle.exportChanges())
            return true
        }
    }

    /// Fails or re-queues RUNNING trials whose worker is gone: its heartbeat is older than `staleAfter`
    /// seconds, or it ran in a process on this host that has exited. Each such end counts as a worker
    /// death of the trial; it runs again while it has retries left (`maxRetries`), so a trial whose
    /// worker died `maxRetries + 1` times is FAILED with "worker died N times while running this
    /// trial" and is never run again; so is a trial a user asked to stop (`requestStop`), at once.
    /// Returns the trials settled.
    @discardableResult
    func recoverAbandonedTrials(staleAfter: Double, maxRetries: Int) throws -> [StoredTrial] {
        let now = Date().timeIntervalSince1970
        func abandoned(_ trial: StoredTrial) -> String? {
            // Trials handed to other programs (`tuner ask`) end only when they are told.
            if trial.worker?.hasPrefix(WorkerIdentity.externalPrefix) == true { return nil }
            if let name = trial.worker, let identity = WorkerIdentity(parsing: name) {
                if identity.processIsGone { return "worker \"\(name)\" exited while running it" }
                // A late heartbeat of a worker of this process means a long lock, not a death.
                if identity.isLiveInThisProcess { return nil }
            }
            let last = trial.heartbeatAt ?? trial.startedAt ?? trial.createdAt
            if now - last > staleAfter {
                return "worker \"\(trial.worker ?? "?")\" sent no heartbeat for \(Int(now - last)) s (limit \(Int(staleAfter)) s)"
            }
            return nil
        }
        // A cheap read first: most calls find nothing.
        guard try store.runningTrials(study: study.id).contains(where: { abandoned($0) != nil }) else { return [] }
        return try transact { oracle, store in
            var settled: [StoredTrial] = []
            for trial in try store.runningTrials(study: study.id) {
                guard let cause = abandoned(trial) else { continue }
                let deaths = trial.workerDeaths + 1
                var reason = "worker died \(deaths) time\(deaths == 1 ? "" : "s") while running this trial (last: \(cause))"
                // A trial a user asked to stop is not run again only to be stopped at its first step.
                let stopAsked = trial.stopRequestedAt != nil
                if stopAsked { reason += "; a stop had been asked for it, so it is not run again" }
                let requeue = trial.retries < maxRetries && !stopAsked
                if oracle.trial(trial.number)?.state == .running {
                    if requeue {
                        try oracle.requeue(trialID: trial.number)
                    } else {
                        try oracle.endTrial(trialID: trial.number, outcome: .failed(reason))
                    }
                }
                settled.append(try store.settleAbandonedTrial(
                    trial.id, requeue: requeue, reason: reason, oracleState: try oracle.exportChanges()))
            }
            return settled
        }
    }
}
