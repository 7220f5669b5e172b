import Foundation

/// How a search runs its trials: parallelism, failure handling, liveness and checkpoint retention.
public struct SearchOptions: Sendable {
    /// Trials run at once in this process, each on its own thread with one BLAS thread; by default one
    /// per core (`defaultParallelTrials`).
    public var parallelTrials: Int
    /// How many times a trial that throws (or whose worker died) is run again before it is FAILED.
    public var maxRetriesPerTrial: Int
    /// The search stops with an error after this many trials failed one after the other.
    public var maxConsecutiveFailedTrials: Int
    /// Seconds between heartbeats of a running trial.
    public var heartbeatInterval: Double
    /// A RUNNING trial with no heartbeat for this many seconds is taken to be abandoned.
    public var staleAfter: Double
    /// Seconds a worker's store call waits for another connection's lock before it reports the
    /// database locked. A finished trial's result is never dropped for that: it is kept in memory and
    /// stored again (with a line saying so) until the lock is released.
    public var busyTimeout: Double
    /// For a PostgreSQL storage, seconds a statement may go unanswered before the worker takes its
    /// connection for lost and connects again (a server behind a dead link never answers); nil for
    /// `busyTimeout` plus 30 s, so a lock wait never counts.
    public var responseTimeout: Double?
    /// How many of the best trials keep their checkpoints (besides those Hyperband may still promote).
    public var checkpointsKept: Int
    /// An optional pruner that stops unpromising trials early.
    public var pruner: (any TrialPruner)?
    /// How much the search prints.
    public var verbosity: SearchVerbosity
    /// Where progress lines go (standard output when nil).
    public var output: (@Sendable (String) -> Void)?
    /// A TensorBoard log folder the search writes each trial into as a run of its own, with the HParams
    /// plugin's metadata (``TensorBoardSearchLog``); nil for none. A write that fails there is reported
    /// as a warning and the trial goes on.
    public var tensorBoard: String?

    /// One trial per core the process may use (at least 1): what a search runs at once by default.
    public static var defaultParallelTrials: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Options with Keras Tuner's defaults but one: as many trials at once as the machine has cores
    /// (Keras Tuner runs one, and leaves the other cores idle on the small batches tuned models train
    /// on). No retries, stop after 3 failures in a row.
    public init(
        parallelTrials: Int = SearchOptions.defaultParallelTrials, maxRetriesPerTrial: Int = 0, maxConsecutiveFailedTrials: Int = 3,
        heartbeatInterval: Double = 5, staleAfter: Double = 60, busyTimeout: Double = 30, responseTimeout: Double? = nil,
        checkpointsKept: Int = 5,
        pruner: (any TrialPruner)? = nil, verbosity: SearchVerbosity = .trials,
        output: (@Sendable (String) -> Void)? = nil, tensorBoard: String? = nil
    ) {
        self.parallelTrials = parallelTrials
        self.maxRetriesPerTrial = maxRetriesPerTrial
        self.maxConsecutiveFailedTrials = maxConsecutiveFailedTrials
        self.heartbeatInterval = heartbeatInterval
        self.staleAfter = staleAfter
        self.busyTimeout = busyTimeout
        self.responseTimeout = responseTimeout
        self.checkpointsKept = checkpointsKept
        self.pruner = pruner
        self.verbosity = verbosity
        self.output = output
        self.tensorBoard = tensorBoard
    }

    /// Checks the ranges.
    ///
    /// - Throws: `TunerError.invalidArgument` naming the option.
    func validate() throws(TunerError) {
        guard parallelTrials >= 1 else { throw .invalidArgument(name: "parallelTrials", message: "must be at least 1, got \(parallelTrials)") }
        guard maxRetriesPerTrial >= 0 else { throw .invalidArgument(name: "maxRetriesPerTrial", message: "must be 0 or more, got \(maxRetriesPerTrial)") }
        guard maxConsecutiveFailedTrials >= 1 else {
            throw .invalidArgument(name: "maxConsecutiveFailedTrials", message: "must be at least 1, got \(maxConsecutiveFailedTrials)")
        }
        guard heartbeatInterval > 0, staleAfter > heartbeatInterval else {
            throw .invalidArgument(name: "staleAfter", message: "must exceed heartbeatInterval (\(heartbeatInterval) s), got \(staleAfter) s")
        }
        guard busyTimeout >= 0, busyTimeout.isFinite else {
            throw .invalidArgument(name: "busyTimeout", message: "must be 0 or more seconds, got \(busyTimeout)")
        }
        if let responseTimeout, !(responseTimeout > 0 && responseTimeout.isFinite) {
            throw .invalidArgument(name: "responseTimeout", message: "must be a positive number of seconds, got \(responseTimeout)")
        }
        guard checkpointsKept >= 0 else { throw .invalidArgument(name: "checkpointsKept", message: "must be 0 or more, got \(checkpointsKept)") }
        if let tensorBoard, tensorBoard.isEmpty {
            throw .invalidArgument(name: "tensorBoard", message: "is an empty path; give a folder or nil")
        }
    }
}

/// How much a search prints.
public enum SearchVerbosity: Sendable, Equatable {
    /// Nothing.
    case silent
    /// Keras Tuner's lines: each trial's hyperparameters, its completion, the best so far.
    case trials
    /// Also one line per epoch.
    case epochs
}
