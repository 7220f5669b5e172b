import Foundation

/// An oracle suggests the hyperparameters of each trial and learns from the results (Keras Tuner's
/// `Oracle`). It sees only hyperparameters and scores, never models.
///
/// The life of a trial: a worker calls `createTrial(workerID:)`, builds and trains the model with
/// `hyperParameters(for:)`, calls `reportIntermediate` after each epoch, and `endTrial` at the end.
/// Oracles are thread-safe: parallel workers may call them at once and never receive the same
/// configuration. `exportState()` writes everything as JSON; restoring it continues the search with
/// exactly the suggestions an uninterrupted run would have made.
public protocol Oracle: AnyObject, Sendable {
    /// The metric the search optimizes and its direction.
    var objective: Objective { get }
    /// The most trials to start (`nil`: until the strategy stops).
    var maxTrials: Int? { get }
    /// The seed of the oracle's random generator.
    var seed: UInt64 { get }
    /// The current search space.
    var searchSpace: SearchSpace { get }
    /// Every trial, in ID order.
    var trials: [Trial] { get }
    /// The RUNNING trials.
    var runningTrials: [Trial] { get }
    /// Trials whose last-epoch checkpoint (with optimizer state) a future trial may continue from;
    /// only Hyperband has any. Other checkpoints may be deleted once they are not among the best.
    var trialsThatMayBePromoted: [Trial.ID] { get }

    /// The trial with `id`, if any.
    func trial(_ id: Trial.ID) -> Trial?

    /// Changes the budget, for example to continue a finished search with more trials.
    ///
    /// - Throws: `OracleError.invalidArgument` when `maxTrials` is not positive.
    func setMaxTrials(_ maxTrials: Int?) throws(OracleError)

    /// Adds the parameters of `space` that the oracle does not know yet (found while building a trial's model).
    ///
    /// - Throws: `OracleError.invalidHyperParameters` when a known name is defined differently;
    ///   `.gridNeedsDiscreteParameter` when grid search meets a continuous float.
    func updateSpace(_ space: SearchSpace) throws(OracleError)

    /// The next trial for `workerID`: `.run(trial)` (now RUNNING), `.waitForRunningTrials`, or
    /// `.searchIsOver`. A worker that asks again without ending its running trial gets that trial back.
    func createTrial(workerID: String) -> TrialSuggestion

    /// Records the objective `value` at `step` (an epoch) of a running trial; a repeated step replaces the value.
    ///
    /// - Throws: `OracleError.unknownTrial` or `.trialNotRunning`.
    func reportIntermediate(trialID: Trial.ID, step: Int, value: Double) throws(OracleError)

    /// Ends a running trial and returns it as recorded. A `.complete` score that is NaN or infinite
    /// makes the trial FAILED.
    ///
    /// - Throws: `OracleError.unknownTrial` or `.trialNotRunning`.
    @discardableResult
    func endTrial(trialID: Trial.ID, outcome: TrialOutcome) throws(OracleError) -> Trial

    /// Adds to a running trial the values of parameters it defined while it ran (a batch size chosen
    /// in `fit`, say), which took their defaults, so the trial's record says what it really ran with.
    /// Values the trial already has, and names the space does not know, are left alone.
    ///
    /// - Throws: `OracleError.unknownTrial`, `.trialNotRunning`, or `.invalidHyperParameters` when a
    ///   value does not fit its parameter.
    func completeValues(trialID: Trial.ID, with values: [String: HyperParameterValue]) throws(OracleError)

    /// Hands a running trial back (for example after its worker died): it becomes WAITING, keeps its
    /// ID, values and Hyperband assignment, loses its intermediate values, and is the next trial given out.
    ///
    /// - Throws: `OracleError.unknownTrial` or `.trialNotRunning`.
    func requeue(trialID: Trial.ID) throws(OracleError)

    /// Queues a configuration to be tried before any suggestion; missing active parameters take their
    /// defaults. Returns the WAITING trial created.
    ///
    /// - Throws: `OracleError.invalidHyperParameters` when the values do not fit the search space.
    @discardableResult
    func enqueue(_ values: [String: HyperParameterValue]) throws(OracleError) -> Trial

    /// The `count` best COMPLETE trials, best first (ties: lower ID first).
    func bestTrials(_ count: Int) -> [Trial]

    /// The whole state as JSON, to store and later restore with the same oracle type's `init(restoringFrom:)`.
    ///
    /// - Throws: `OracleError.stateEncodingFailed` (not expected: every value is encodable).
    func exportState() throws(OracleError) -> Data

    /// The state without its trials and the trials changed since the last call (or since the oracle was
    /// made or restored), for a store that keeps trials apart; see `OracleStateChanges`.
    ///
    /// - Throws: `OracleError.stateEncodingFailed` (not expected).
    func exportChanges() throws(OracleError) -> OracleStateChanges

    /// Whether a trial changed since the last `exportChanges()`.
    var hasUnexportedChanges: Bool { get }

    /// Brings the oracle up to a store's state from the store's core and the trials it saved since this
    /// oracle's state was read or saved. Call it only when `hasUnexportedChanges` is false.
    ///
    /// - Throws: `OracleError.stateDecodingFailed` / `.stateKindMismatch`; the oracle is unchanged then.
    func applyStoredChanges(core: Data, trials: [Data]) throws(OracleError)
}

extension Oracle {
    /// The `HyperParameters` to hand the model-building code for `trial`.
    ///
    /// - Throws: `HyperParameterError` if the trial's values no longer fit the search space.
    public func hyperParameters(for trial: Trial) throws(HyperParameterError) -> HyperParameters {
        try HyperParameters(space: searchSpace, values: trial.values)
    }

    /// The best COMPLETE trial, if any.
    public var bestTrial: Trial? { bestTrials(1).first }
}
