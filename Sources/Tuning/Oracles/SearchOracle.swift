import Foundation
import Synchronization

/// The oracle shared by every search strategy: it keeps the trials, the workers, the random
/// generator, the enqueued trials and the serialized state, and asks its `Strategy` what to try next.
///
/// Use it through its named forms: `RandomSearchOracle`, `GridSearchOracle`, `HyperbandOracle`,
/// `BayesianOptimizationOracle`, `TPEOracle`.
/// All methods are thread-safe; one lock serializes them, so a suggestion is computed with every
/// earlier trial already recorded and two workers never get the same configuration.
public final class SearchOracle<Strategy: SearchStrategy>: Oracle {
    private let protectedState: Mutex<OracleState<Strategy>>
    /// Configurations used by trials, derived from the trials (so it is never stored).
    private let triedConfigurations: Mutex<Set<[String: HyperParameterValue]>>
    /// Trials changed since the last `exportChanges()`: what the next one writes. Taken under
    /// `protectedState`'s lock, after it.
    private let changedTrials: Mutex<Set<Trial.ID>>

    /// The metric the search optimizes and its direction.
    public let objective: Objective
    /// The seed of the oracle's random generator.
    public let seed: UInt64

    /// An oracle running `strategy` on `searchSpace`.
    ///
    /// - Parameters:
    ///   - additionalObjectives: The objectives after `objective`, for a search on several (a strategy
    ///     that optimizes fronts reads them from `StrategyContext.objectives`).
    ///   - searchSpace: The space, usually collected by running the model-building code once on an
    ///     empty `HyperParameters`; it may also start empty and grow through `updateSpace`.
    ///   - maxTrials: The most trials to start; `nil` lets the strategy decide when to stop.
    ///   - seed: The seed of every random choice; the same seed and results give the same trials.
    /// - Throws: `OracleError.invalidArgument` for a non-positive `maxTrials`, or the strategy's
    ///   refusal of the space.
    public init(
        strategy: Strategy, objective: Objective, additionalObjectives: [Objective] = [], searchSpace: SearchSpace = SearchSpace(),
        maxTrials: Int? = nil, seed: UInt64 = 0
    ) throws(OracleError) {
        if let maxTrials, maxTrials < 1 {
            throw .invalidArgument(name: "maxTrials", message: "\(maxTrials) is not positive; give at least 1, or nil for no limit.")
        }
        try strategy.validate(searchSpace)
        let state = OracleState(
            formatVersion: OracleState<Strategy>.currentFormatVersion, kind: Strategy.kind, objective: objective,
            additionalObjectives: additionalObjectives.isEmpty ? nil : additionalObjectives, maxTrials: maxTrials, seed: seed, space: searchSpace, random: TuningRandom(seed: seed),
            strategy: strategy, trials: [], enqueued: [], requeued: [], runningByWorker: [:])
        self.objective = objective
        self.seed = seed
        protectedState = Mutex(state)
        triedConfigurations = Mutex([])
        changedTrials = Mutex([])
    }

    /// An oracle continuing from `state` exactly where it stopped. Every trial counts as changed: the
    /// first `exportChanges()` writes them all, since where `state` came from may not keep them apart.
    ///
    /// - Throws: `OracleError.stateKindMismatch` for another strategy's state, `.stateDecodingFailed`
    ///   for an inconsistent state.
    public convenience init(state: OracleState<Strategy>) throws(OracleError) {
        try self.init(state: state, changed: Set(state.trials.map(\.id)))
    }

    private init(state: OracleState<Strategy>, changed: Set<Trial.ID>) throws(OracleError) {
        try state.checkConsistency()
        objective = state.objective
        seed = state.seed
        triedConfigurations = Mutex(Set(state.trials.map(\.values)))
        protectedState = Mutex(state)
        changedTrials = Mutex(changed)
    }

    /// An oracle continuing from JSON written by `exportState()`.
    ///
    /// - Throws: `OracleError.stateDecodingFailed` for unreadable JSON, `.stateKindMismatch` for
    ///   another strategy's state.
    public convenience init(restoringFrom data: Data) throws(OracleError) {
        try self.init(state: try Self.decodeState(data))
    }

    /// An oracle continuing from the parts a store kept (`exportChanges()`, saved one after another):
    /// `core`, the state without its trials (or with all of them, from a whole state), and the latest JSON
    /// of each trial kept apart, which replaces the core's copy of that trial. Trials that came inside
    /// the core count as changed, so the next `exportChanges()` moves them apart.
    ///
    /// - Throws: `OracleError.stateDecodingFailed` for unreadable JSON or trials that leave a gap,
    ///   `.stateKindMismatch` for another strategy's state.
    public convenience init(restoringCore core: Data, trials: [Data]) throws(OracleError) {
        var state = try Self.decodeState(core)
        let inline = Set(state.trials.map(\.id))
        try Self.merge(Self.decodeTrials(trials), into: &state.trials)
        try self.init(state: state, changed: inline)
    }

    private static func decodeState(_ data: Data) throws(OracleError) -> OracleState<Strategy> {
        do {
            return try OracleState<Strategy>.makeDecoder().decode(OracleState<Strategy>.self, from: data)
        } catch {
            if let kind = Self.storedKind(in: data), kind != Strategy.kind {
                throw .stateKindMismatch(expected: Strategy.kind, found: kind)
            }
            throw .stateDecodingFailed(String(describing: error))
        }
    }

    private static func decodeTrials(_ trials: [Data]) throws(OracleError) -> [Trial] {
        let decoder = OracleState<Strategy>.makeDecoder()
        var decoded: [Trial] = []
        decoded.reserveCapacity(trials.count)
        for data in trials {
            do {
                decoded.append(try decoder.decode(Trial.self, from: data))
            } catch {
                throw .stateDecodingFailed("a stored trial: \(error)")
            }
        }
        return decoded
    }

    /// Puts each of `updates` in its place in `trials` (an update past the end extends it, without a gap),
    /// in place: a study's thousands of trials are not copied to change a few. `trials` is unchanged when
    /// it throws.
    private static func merge(_ updates: [Trial], into trials: inout [Trial]) throws(OracleError) {
        let sorted = updates.sorted { $0.id < $1.id }
        var count = trials.count
        for trial in sorted {
            guard trial.id >= 1 && trial.id <= count + 1 else {
                throw .stateDecodingFailed("trial \(trial.id) follows trial \(count): trials \(count + 1)...\(trial.id - 1) are missing")
            }
            if trial.id == count + 1 { count += 1 }
        }
        for trial in sorted {
            if trial.id <= trials.count {
                trials[trial.id - 1] = trial
            } else {
                trials.append(trial)
            }
        }
    }

    private static func storedKind(in data: Data) -> String? {
        try? JSONDecoder().decode(StoredKind.self, from: data).kind
    }

    /// A copy of the whole state.
    public var state: OracleState<Strategy> {
        protectedState.withLock { $0 }
    }

    /// The whole state as sorted-key JSON.
    ///
    /// - Throws: `OracleError.stateEncodingFailed` (not expected).
    public func exportState() throws(OracleError) -> Data {
        let snapshot = state
        do {
            return try OracleState<Strategy>.makeEncoder().encode(snapshot)
        } catch {
            throw .stateEncodingFailed(String(describing: error))
        }
    }

    /// The state without its trials and each trial changed since the last call (or since the oracle
    /// was made), as JSON; see `OracleStateChanges`. The changes count as exported once returned.
    ///
    /// - Throws: `OracleError.stateEncodingFailed` (not expected).
    public func exportChanges() throws(OracleError) -> OracleStateChanges {
        let (snapshot, changed) = protectedState.withLock { state in
            (state, changedTrials.withLock { changed in
                defer { changed = [] }
                return changed
            })
        }
        let encoder = OracleState<Strategy>.makeEncoder()
        do {
            var core = snapshot
            core.trials = []
            var trials: [Trial.ID: Data] = [:]
            for id in changed { trials[id] = try encoder.encode(snapshot.trials[id - 1]) }
            return OracleStateChanges(core: try encoder.encode(core), trials: trials)
        } catch {
            // Not exported after all: the next call tries them again.
            changedTrials.withLock { $0.formUnion(changed) }
            throw .stateEncodingFailed(String(describing: error))
        }
    }

    /// Whether a trial changed since the last `exportChanges()`.
    public var hasUnexportedChanges: Bool {
        protectedState.withLock { _ in changedTrials.withLock { !$0.isEmpty } }
    }

    /// Brings the oracle up to what a store holds now, given the core it holds and the trials it saved
    /// since this oracle's state was saved or read: each given trial replaces the oracle's copy, the
    /// core replaces the rest. Call it only without unexported changes (`hasUnexportedChanges`), which
    /// the stored state would not have.
    ///
    /// - Throws: `OracleError.stateDecodingFailed` for unreadable JSON or an inconsistent result,
    ///   `.stateKindMismatch` for another strategy's state; the oracle is unchanged then.
    public func applyStoredChanges(core: Data, trials: [Data]) throws(OracleError) {
        var updated = try Self.decodeState(core)
        let updates = try Self.decodeTrials(trials)
        try protectedState.withLock { (state) throws(OracleError) in
            guard updated.kind == state.kind, updated.objective == state.objective,
                  updated.additionalObjectives ?? [] == state.additionalObjectives ?? [], updated.seed == state.seed else {
                throw .stateDecodingFailed("the stored state belongs to another study (objective or seed differ)")
            }
            let whole = !updated.trials.isEmpty
            if whole {
                try Self.merge(updates, into: &updated.trials)
                try updated.checkConsistency()
            } else {
                // The oracle's own trials, moved rather than copied (thousands of them, for a few
                // changes); put back as they were if the changed state does not hold together.
                let count = state.trials.count
                let replaced = updates.filter { $0.id <= count }.map { state.trials[$0.id - 1] }
                updated.trials = state.trials
                state.trials = []
                do throws(OracleError) {
                    try Self.merge(updates, into: &updated.trials)
                    // Only what the changes can break: `merge` kept the trials in order.
                    try updated.checkConsistency(trialOrderKnown: true)
                } catch {
                    var trials = updated.trials
                    updated.trials = []
                    trials.removeSubrange(min(count, trials.count)...)
                    for trial in replaced { trials[trial.id - 1] = trial }
                    state.trials = trials
                    throw error
                }
            }
            let inline = whole ? Set(updated.trials.map(\.id)) : []
            triedConfigurations.withLock { tried in
                if whole {
                    tried = Set(updated.trials.map(\.values))
                } else {
                    for trial in updates { tried.insert(trial.values) }
                }
            }
            changedTrials.withLock { $0 = inline }
            state = updated
        }
    }

    /// The most trials to start (`nil`: until the strategy stops).
    public var maxTrials: Int? { protectedState.withLock { $0.maxTrials } }

    /// The current search space.
    public var searchSpace: SearchSpace { protectedState.withLock { $0.space } }

    /// Every trial, in ID order.
    public var trials: [Trial] { protectedState.withLock { $0.trials } }

    /// The RUNNING trials.
    public var runningTrials: [Trial] { protectedState.withLock { $0.trials.filter { $0.state == .running } } }

    /// Trials whose last-epoch checkpoint a future (Hyperband) trial may continue from.
    public var trialsThatMayBePromoted: [Trial.ID] {
        protectedState.withLock { state in
            state.strategy.trialsThatMayBePromoted(Self.makeContext(for: state, tried: []))
        }
    }

    /// The trial with `id`, if any.
    public func trial(_ id: Trial.ID) -> Trial? {
        protectedState.withLock { id >= 1 && id <= $0.trials.count ? $0.trials[id - 1] : nil }
    }

    /// Changes the budget of started trials.
    ///
    /// - Throws: `OracleError.invalidArgument` when `maxTrials` is not positive.
    public func setMaxTrials(_ maxTrials: Int?) throws(OracleError) {
        if let maxTrials, maxTrials < 1 {
            throw .invalidArgument(name: "maxTrials", message: "\(maxTrials) is not positive; give at least 1, or nil for no limit.")
        }
        protectedState.withLock { $0.maxTrials = maxTrials }
    }

    /// Adds the parameters of `space` the oracle does not know yet.
    ///
    /// - Throws: `OracleError.invalidHyperParameters` when a known name is defined differently, or the
    ///   strategy's refusal of the merged space; the space is unchanged then.
    public func updateSpace(_ space: SearchSpace) throws(OracleError) {
        try protectedState.withLock { (state) throws(OracleError) in
            var merged = state.space
            let added: [String]
            do throws(HyperParameterError) {
                added = try merged.merge(space)
            } catch {
                throw .invalidHyperParameters(error)
            }
            guard !added.isEmpty else { return }
            try state.strategy.validate(merged)
            state.space = merged
            state.strategy.spaceDidChange(merged)
        }
    }

    /// The next trial for `workerID`; see `Oracle.createTrial(workerID:)`.
    public func createTrial(workerID: String) -> TrialSuggestion {
        protectedState.withLock { state in
            triedConfigurations.withLock { tried in
                createTrial(workerID: workerID, state: &state, tried: &tried)
            }
        }
    }

    private func createTrial(
        workerID: String, state: inout OracleState<Strategy>, tried: inout Set<[String: HyperParameterValue]>
    ) -> TrialSuggestion {
        if let id = state.runningByWorker[workerID], state.trials[id - 1].state == .running {
            return .run(state.trials[id - 1])
        }
        if !state.requeued.isEmpty {
            let id = state.requeued.removeFirst()
            return .run(start(id, workerID: workerID, state: &state))
        }
        if let maxTrials = state.maxTrials, state.trials.count(where: { $0.state != .waiting }) >= maxTrials {
            return .searchIsOver
        }

        // The context takes the trials and the tried set by move, so neither is copied per suggestion.
        var context = Self.makeContext(for: state, tried: tried)
        state.trials = []
        tried = []
        let decision = state.strategy.nextTrial(&context)
        state.trials = context.trials
        tried = context.tried
        state.random = context.random
        state.enqueued = context.enqueued

        switch decision {
        case .suggest(let values, let hyperband):
            let id: Trial.ID
            if let enqueuedID = context.takenEnqueuedID {
                id = enqueuedID
                state.trials[id - 1].values = values
            } else {
                id = state.trials.count + 1
                state.trials.append(Trial(id: id, values: values, state: .waiting))
            }
            state.trials[id - 1].hyperband = hyperband
            tried.insert(values)
            return .run(start(id, workerID: workerID, state: &state))
        case .wait:
            return .waitForRunningTrials
        case .stop:
            return .searchIsOver
        }
    }

    private func start(_ id: Trial.ID, workerID: String, state: inout OracleState<Strategy>) -> Trial {
        changedTrials.withLock { _ = $0.insert(id) }
        state.trials[id - 1].state = .running
        state.trials[id - 1].workerID = workerID
        state.runningByWorker[workerID] = id
        return state.trials[id - 1]
    }

    private static func makeContext(for state: OracleState<Strategy>, tried: Set<[String: HyperParameterValue]>) -> StrategyContext {
        StrategyContext(
            space: state.space, objective: state.objective, additionalObjectives: state.additionalObjectives ?? [],
            trials: state.trials, random: state.random,
            tried: tried, enqueued: state.enqueued, takenEnqueuedID: nil)
    }

    /// Records the objective `value` at `step` of a running trial.
    ///
    /// - Throws: `OracleError.unknownTrial` or `.trialNotRunning`.
    public func reportIntermediate(trialID: Trial.ID, step: Int, value: Double) throws(OracleError) {
        try protectedState.withLock { (state) throws(OracleError) in
            let index = try Self.runningIndex(of: trialID, in: state)
            var values = state.trials[index].intermediateValues
            values.removeAll { $0.step == step }
            let position = values.firstIndex { $0.step > step } ?? values.endIndex
            values.insert(StepValue(step: step, value: value), at: position)
            state.trials[index].intermediateValues = values
            changedTrials.withLock { _ = $0.insert(trialID) }
        }
    }

    /// Ends a running trial and returns it as recorded.
    ///
    /// - Throws: `OracleError.unknownTrial` or `.trialNotRunning`.
    @discardableResult
    public func endTrial(trialID: Trial.ID, outcome: TrialOutcome) throws(OracleError) -> Trial {
        try protectedState.withLock { (state) throws(OracleError) -> Trial in
            let index = try Self.runningIndex(of: trialID, in: state)
            switch outcome {
            case .complete(let score) where score.isFinite:
                state.trials[index].state = .complete
                state.trials[index].score = score
            case .complete(let score):
                state.trials[index].state = .failed
                state.trials[index].failureReason = "the objective \(state.objective.name) was \(score)"
            case .completeWith(let values):
                if let (position, value) = values.firstNonFiniteObjective {
                    state.trials[index].state = .failed
                    state.trials[index].failureReason = "objective \(position + 1) (of \(values.objectives.count)) was \(value)"
                } else if let first = values.objectives.first {
                    state.trials[index].state = .complete
                    state.trials[index].score = first
                    state.trials[index].objectiveValues = values
                } else {
                    state.trials[index].state = .failed
                    state.trials[index].failureReason = "the trial ended with no objective value"
                }
            case .pruned:
                state.trials[index].state = .pruned
            case .failed(let reason):
                state.trials[index].state = .failed
                state.trials[index].failureReason = reason
            }
            if let worker = state.trials[index].workerID, state.runningByWorker[worker] == trialID {
                state.runningByWorker[worker] = nil
            }
            changedTrials.withLock { _ = $0.insert(trialID) }
            let ended = state.trials[index]
            let context = Self.makeContext(for: state, tried: [])
            state.strategy.trialDidEnd(ended, context: context)
            return ended
        }
    }

    /// Adds the values a running trial defined while it ran; see `Oracle.completeValues(trialID:with:)`.
    ///
    /// - Throws: `OracleError.unknownTrial`, `.trialNotRunning`, `.invalidHyperParameters`.
    public func completeValues(trialID: Trial.ID, with values: [String: HyperParameterValue]) throws(OracleError) {
        try protectedState.withLock { (state) throws(OracleError) in
            let index = try Self.runningIndex(of: trialID, in: state)
            var completed = state.trials[index].values
            for (name, value) in values where completed[name] == nil {
                guard let spec = state.space[name] else { continue }
                guard let normalized = spec.normalized(value) else {
                    throw .invalidHyperParameters(.invalidValue(name: name, value: value, definition: spec.description))
                }
                completed[name] = normalized
            }
            guard completed != state.trials[index].values else { return }
            state.trials[index].values = completed
            changedTrials.withLock { _ = $0.insert(trialID) }
            // The full configuration counts as tried, so it is not suggested again.
            triedConfigurations.withLock { _ = $0.insert(completed) }
        }
    }

    /// Hands a running trial back as WAITING; it is the next trial given out.
    ///
    /// - Throws: `OracleError.unknownTrial` or `.trialNotRunning`.
    public func requeue(trialID: Trial.ID) throws(OracleError) {
        try protectedState.withLock { (state) throws(OracleError) in
            let index = try Self.runningIndex(of: trialID, in: state)
            if let worker = state.trials[index].workerID, state.runningByWorker[worker] == trialID {
                state.runningByWorker[worker] = nil
            }
            state.trials[index].state = .waiting
            state.trials[index].workerID = nil
            state.trials[index].intermediateValues = []
            state.requeued.append(trialID)
            changedTrials.withLock { _ = $0.insert(trialID) }
        }
    }

    /// Queues a configuration to be tried before any suggestion; see `Oracle.enqueue(_:)`.
    ///
    /// - Throws: `OracleError.invalidHyperParameters` when the values do not fit the search space.
    @discardableResult
    public func enqueue(_ values: [String: HyperParameterValue]) throws(OracleError) -> Trial {
        try protectedState.withLock { (state) throws(OracleError) -> Trial in
            let checked: [String: HyperParameterValue]
            do throws(HyperParameterError) {
                checked = try state.space.validated(values)
            } catch {
                throw .invalidHyperParameters(error)
            }
            let trial = Trial(id: state.trials.count + 1, values: checked, state: .waiting)
            state.trials.append(trial)
            state.enqueued.append(trial.id)
            changedTrials.withLock { _ = $0.insert(trial.id) }
            triedConfigurations.withLock { _ = $0.insert(checked) }
            return trial
        }
    }

    /// The `count` best COMPLETE trials, best first (ties: lower ID first). Trials that ended with
    /// several values or constraint values are ranked by fronts (`FrontSelection`: feasible fronts
    /// first, then hypervolume contribution), so an infeasible trial is never best and a front's members
    /// come before what they dominate (checkpoint retention keeps what `bestModels` may ask for).
    public func bestTrials(_ count: Int) -> [Trial] {
        protectedState.withLock { state in
            let objective = state.objective
            let completed = state.trials.filter { $0.state == .complete }
            if completed.contains(where: { $0.objectiveValues != nil }) {
                let objectives = [objective] + (state.additionalObjectives ?? [])
                return Array(FrontSelection.ranked(completed, objectives: objectives, count: count).prefix(Swift.max(count, 0)))
            }
            let ranked = completed.sorted { first, second in
                let a = first.score ?? 0
                let b = second.score ?? 0
                if a != b { return objective.isBetter(a, than: b) }
                return first.id < second.id
            }
            return Array(ranked.prefix(Swift.max(count, 0)))
        }
    }

    private static func runningIndex(of id: Trial.ID, in state: OracleState<Strategy>) throws(OracleError) -> Int {
        guard id >= 1 && id <= state.trials.count else { throw .unknownTrial(id) }
        let trial = state.trials[id - 1]
        guard trial.state == .running else { throw .trialNotRunning(id, state: trial.state) }
        return id - 1
    }
}

/// Reads only the `kind` of a stored state, to say which oracle wrote it when it cannot be decoded.
private struct StoredKind: Decodable {
    let kind: String
}
