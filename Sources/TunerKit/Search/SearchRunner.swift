import Foundation
import Neural
import StudyStore
import Synchronization
import Tuning

/// The loop every search runs, whatever a trial is (a model trained by `Tuner`, a function, a
/// command): on `parallelTrials` threads, each with its own store connection, ask the oracle for a
/// trial, run it with heartbeats, record its outcome; retry or fail it on errors, stop after too many
/// failures in a row, recover trials whose worker died, and drop checkpoints no longer needed.
///
/// A computed result is stored even through a long database lock or a lost connection (`StoreRetry`). When the
/// process is interrupted (`SearchInterruption`), no new trial starts, the running ones are put back
/// to WAITING for a resume, and `run` throws `TunerError.interrupted`.
final class SearchRunner: Sendable {
    /// Runs one trial and returns its objective score (a non-finite score makes the oracle fail the trial).
    typealias TrialBody = @Sendable (TrialContext) throws -> TrialMeasurement

    private struct SharedState {
        var consecutiveFailures = 0
        var stopError: (any Error)?
        /// The trials put back because the search was interrupted.
        var requeued: [Int] = []
    }

    let storagePath: String
    let studyName: String
    let objective: Objective
    let seed: UInt64
    let options: SearchOptions
    let progress: SearchProgress
    private let body: TrialBody
    private let shared = Mutex(SharedState())
    /// The TensorBoard log of `options.tensorBoard`, if any.
    private let tensorBoard: TensorBoardSearchLog?

    init(storagePath: String, studyName: String, objective: Objective, seed: UInt64, options: SearchOptions,
         progress: SearchProgress, body: @escaping TrialBody) {
        self.storagePath = storagePath
        self.studyName = studyName
        self.objective = objective
        self.seed = seed
        self.options = options
        self.progress = progress
        self.body = body
        tensorBoard = options.tensorBoard.map { TensorBoardSearchLog(directory: $0, objective: objective) }
    }

    /// Runs until the oracle says the search is over.
    ///
    /// - Throws: `TunerError.interrupted` when the process got SIGINT / SIGTERM (after putting its
    ///   running trials back), `TunerError.tooManyConsecutiveFailures`, store errors (a full disk, a
    ///   lost database).
    func run() throws {
        if let tensorBoard {
            // An unusable folder is refused before any trial runs, when nothing can be lost; a write that
            // fails later (a full disk) is reported and the trials go on (`TensorBoardTrialSink`).
            do {
                try FileManager.default.createDirectory(atPath: tensorBoard.directory, withIntermediateDirectories: true)
            } catch {
                throw TunerError.invalidArgument(
                    name: "tensorBoard", message: "cannot create the TensorBoard folder \(tensorBoard.directory): \((error as NSError).localizedDescription)")
            }
        }
        let pump = HeartbeatPump(storagePath: storagePath, interval: options.heartbeatInterval, busyTimeout: options.busyTimeout,
                                 responseTimeout: options.responseTimeout)
        pump.start()
        defer { pump.stop() }
        if options.parallelTrials == 1 {
            try work(pump: pump)
        } else {
            // One BLAS thread per trial, held for the search: a concurrent search that asks for another
            // count (a seeded one that must repeat its numbers) waits rather than change it under us.
            BLAS.withThreadCount(1) { runParallel(pump: pump) }
        }
        // An interrupted search says so first: its exit status tells a script what happened.
        if let signal = SearchInterruption.signal {
            throw TunerError.interrupted(signal: signal, requeued: shared.withLock { $0.requeued })
        }
        if let error = shared.withLock({ $0.stopError }) { throw error }
    }

    /// Runs `options.parallelTrials` worker threads until each is done.
    private func runParallel(pump: HeartbeatPump) {
        // Real threads, not a shared pool: each trial must own a core for its whole run.
        let done = DispatchSemaphore(value: 0)
        for slot in 0..<options.parallelTrials {
            let thread = Thread { [self] in
                defer { done.signal() }
                do {
                    try work(pump: pump)
                } catch {
                    shared.withLock { if $0.stopError == nil { $0.stopError = error } }
                }
            }
            thread.name = "tuner-trial-\(slot)"
            thread.stackSize = 8 << 20
            thread.start()
        }
        for _ in 0..<options.parallelTrials { done.wait() }
    }

    private var shouldStop: Bool { SearchInterruption.isRequested || shared.withLock { $0.stopError != nil } }

    private func work(pump: HeartbeatPump) throws {
        let coordinator = try StoreRetry.untilStored("open the study", progress: progress) {
            try StudyCoordinator(storagePath: storagePath, studyName: studyName, busyTimeout: options.busyTimeout,
                                 responseTimeout: options.responseTimeout)
        }
        // The search's own pruner, else the one stored with the study (a study file's, `tuner create --pruner`).
        let pruner = try options.pruner ?? coordinator.storedPruner()
        try checkPruner(pruner, judges: coordinator.study.objectives)
        while !shouldStop {
            // A long lock held by another process pauses the loop; it does not end the search.
            _ = try StoreRetry.untilStored("look for abandoned trials", progress: progress) {
                try coordinator.recoverAbandonedTrials(staleAfter: options.staleAfter, maxRetries: options.maxRetriesPerTrial)
            }
            let next = try StoreRetry.untilStored("ask the oracle for the next trial", progress: progress) {
                try coordinator.nextTrial()
            }
            switch next {
            case .searchIsOver:
                // A running trial may still fail and be retried, or define parameters that reopen a
                // space that looked exhausted; only a search with nothing running is really over.
                guard try !coordinator.currentOracle().runningTrials.isEmpty else { return }
                Thread.sleep(forTimeInterval: 0.1)
            case .wait:
                Thread.sleep(forTimeInterval: 0.1)
            case .run(let trial, let record):
                try runTrial(trial, record: record, coordinator: coordinator, pump: pump, pruner: pruner)
            }
        }
    }

    private func runTrial(_ trial: Trial, record: StoredTrial, coordinator: StudyCoordinator, pump: HeartbeatPump,
                          pruner: (any TrialPruner)?) throws {
        let oracle = try coordinator.currentOracle()
        progress.trialStarted(trial, space: oracle.searchSpace, best: oracle.bestTrial)
        let board = TensorBoardTrialSink(log: tensorBoard, trial: trial, progress: progress)
        // A trial put back or taken over closes its run without an end; after `end` this does nothing.
        defer { board.close() }
        let started = Date()
        pump.register(trial: record.id, worker: coordinator.workerID)
        defer { pump.unregister(trial: record.id) }

        var attempt = 0
        var outcome: TrialOutcome
        var steps: [StepValue] = []
        var space: SearchSpace?
        var values: [String: HyperParameterValue]?
        // Each attempt's reporter; steps the storage could not take yet are stored before the result.
        var reporters: [StoredTrialReporter] = []
        while true {
            if let signal = SearchInterruption.signal {
                try putBack(trial, record: record, coordinator: coordinator, signal: signal)
                return
            }
            let reporter = StoredTrialReporter(
                trialNumber: trial.id, trialID: record.id, worker: coordinator.workerID, store: coordinator.store, studyID: coordinator.study.id,
                objective: objective, additionalObjectives: coordinator.study.definition.additionalObjectives, pruner: pruner,
                heartbeat: pump, progress: progress
            ) { [progress] step, metrics in
                progress.epochEnded(trial: trial.id, step: step, metrics: metrics)
                board.epoch(step: step, metrics: metrics)
            }
            reporters.append(reporter)
            // Kept outside the attempt so that a pruned trial records the parameters it defined too: a
            // study whose first trials are all pruned must still learn its space.
            var attemptParameters: HyperParameters?
            do {
                let hp = try HyperParameters(space: oracle.searchSpace, values: trial.values)
                attemptParameters = hp
                let context = TrialContext(
                    trial: trial, hyperParameters: hp, reporter: reporter,
                    seed: trialSeed(searchSeed: seed, trial: trial.id, execution: attempt * 100),
                    recordID: record.id, coordinator: coordinator, progress: progress)
                let measured = try body(context)
                space = hp.space
                values = hp.values
                steps = reporter.steps
                outcome = try measured.outcome(for: coordinator.study)
            } catch let stop as TrialStop {
                switch stop {
                case .pruned, .stopRequested:
                    // A stop asked from the dashboard ends the trial as the pruner would.
                    steps = reporter.steps
                    space = attemptParameters?.space
                    values = attemptParameters?.values
                    outcome = .pruned
                case .lostOwnership:
                    progress.trialLost(trial.id)
                    return
                case .interrupted(let signal):
                    try putBack(trial, record: record, coordinator: coordinator, signal: signal)
                    return
                }
            } catch {
                // A trial that failed because the search was interrupted (its command got the signal) did
                // not fail on its own: it runs again on resume.
                if let signal = SearchInterruption.signal {
                    try putBack(trial, record: record, coordinator: coordinator, signal: signal)
                    return
                }
                let reason = Self.describe(error)
                let retriable = !(error is TrialFailure)
                if retriable && attempt < options.maxRetriesPerTrial {
                    attempt += 1
                    progress.retrying(trial: trial.id, attempt: attempt, error: reason)
                    continue
                }
                steps = reporter.steps
                outcome = .failed(reason)
            }
            break
        }

        let ended: Trial
        do {
            // The outcome is computed: a database locked past the busy timeout, or a server out of reach
            // for a while, must not lose it, nor the learning curve it came from.
            for reporter in reporters { try reporter.storePendingSteps(waiting: true) }
            ended = try StoreRetry.untilStored("store the result of trial \(trial.id)", progress: progress) {
                try coordinator.finish(trial, record: record, outcome: outcome, steps: steps, space: space, values: values)
            }
        } catch StoreError.trialNotRunning, StoreError.trialOwnedByAnotherWorker {
            progress.trialLost(trial.id)
            return
        }
        let latest = try coordinator.currentOracle()
        let objectives = coordinator.study.objectives
        board.end(ended, space: latest.searchSpace, objectives: objectives)
        let front = objectives.count > 1 ? FrontSelection.firstFront(latest.trials.filter { $0.state == .complete }, objectives: objectives) : []
        progress.trialEnded(ended, duration: Date().timeIntervalSince(started), best: latest.bestTrial, objectives: objectives,
                            constraints: coordinator.study.constraints, front: front.filter { $0.objectiveValues?.isFeasible ?? false })
        try StoreRetry.untilStored("remove old checkpoints", progress: progress) {
            try pruneCheckpoints(coordinator: coordinator, oracle: latest, front: front)
        }

        if ended.state == .failed {
            let limit = options.maxConsecutiveFailedTrials
            shared.withLock { state in
                state.consecutiveFailures += 1
                if state.consecutiveFailures >= limit && state.stopError == nil {
                    state.stopError = TunerError.tooManyConsecutiveFailures(
                        count: state.consecutiveFailures, lastReason: ended.failureReason ?? "unknown")
                }
            }
        } else {
            shared.withLock { $0.consecutiveFailures = 0 }
        }
    }

    /// Puts an interrupted trial back to WAITING (no retry or worker death counted) and remembers it
    /// for the message; a trial another worker took over meanwhile is left to it.
    private func putBack(_ trial: Trial, record: StoredTrial, coordinator: StudyCoordinator, signal: Int32) throws {
        let requeued: Bool
        do {
            requeued = try StoreRetry.untilStored("put interrupted trial \(trial.id) back", progress: progress) {
                try coordinator.requeueInterrupted(trial, record: record, signal: signal)
            }
        } catch StoreError.trialNotRunning, StoreError.trialOwnedByAnotherWorker {
            progress.trialLost(trial.id)
            return
        }
        guard requeued else { return }
        shared.withLock { $0.requeued.append(trial.id) }
        progress.trialInterrupted(trial.id, signal: signal)
    }

    /// Removes the checkpoints of trials that are neither among the best `checkpointsKept`, nor on the
    /// Pareto front of a study with several objectives, nor running, nor possibly promoted by Hyperband,
    /// nor the parent of a running trial.
    ///
    /// On several objectives the best `checkpointsKept` alone would not do: which front members rank
    /// first (by hypervolume contribution) changes as the front grows, so the trial `bestModels` ends up
    /// asking for could have lost its weights earlier. A trial that leaves the front never returns to it,
    /// so keeping the whole front keeps every checkpoint a final ranking can name.
    /// `front` is the first front of the study's COMPLETE trials (`FrontSelection.firstFront`), empty for
    /// one objective.
    private func pruneCheckpoints(coordinator: StudyCoordinator, oracle: any Oracle, front: [Trial]) throws {
        var keep = Set(oracle.bestTrials(options.checkpointsKept).map(\.id))
        if options.checkpointsKept > 0 { keep.formUnion(front.map(\.id)) }
        keep.formUnion(oracle.trialsThatMayBePromoted)
        for trial in oracle.trials where trial.state == .running || trial.state == .waiting {
            keep.insert(trial.id)
            if let parent = trial.hyperband?.parentTrialID { keep.insert(parent) }
        }
        for (id, number) in try coordinator.store.trialsWithCheckpoints(study: coordinator.study.id) where !keep.contains(number) {
            CheckpointFiles(storagePath: storagePath).removeFiles(try coordinator.store.deleteCheckpoints(trial: id))
        }
    }

    /// The text stored as a failure reason.
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.isEmpty ? "\(type(of: error))" : text
    }
}
