import Foundation

/// Everything an oracle knows, as a `Codable` value: saving it and restoring it later continues the
/// search exactly (same random generator state, same strategy state, same trials).
public struct OracleState<Strategy: SearchStrategy>: Codable, Sendable {
    /// The version of this layout, checked on restore.
    public internal(set) var formatVersion: Int
    /// `Strategy.kind`, checked on restore.
    public internal(set) var kind: String
    /// The objective (the first, when there are several).
    public internal(set) var objective: Objective
    /// The objectives after the first, for a search on several (nil in states saved before they existed,
    /// and for one objective): a strategy that optimizes fronts reads their directions.
    public internal(set) var additionalObjectives: [Objective]?
    /// The budget of started trials.
    public internal(set) var maxTrials: Int?
    /// The seed the random generator started from.
    public internal(set) var seed: UInt64
    /// The search space.
    public internal(set) var space: SearchSpace
    /// The random generator, mid-sequence.
    public internal(set) var random: TuningRandom
    /// The strategy's own state.
    public internal(set) var strategy: Strategy
    /// Every trial, in ID order.
    public internal(set) var trials: [Trial]
    /// WAITING trials enqueued by hand, oldest first.
    public internal(set) var enqueued: [Trial.ID]
    /// WAITING trials handed back by `requeue`, oldest first.
    public internal(set) var requeued: [Trial.ID]
    /// The running trial of each worker.
    public internal(set) var runningByWorker: [String: Trial.ID]

    /// The current layout version.
    public static var currentFormatVersion: Int { 1 }

    /// The encoder used for states: sorted keys (so equal states give equal bytes) and non-finite
    /// numbers as strings (an intermediate loss may be NaN).
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The decoder matching `makeEncoder()`.
    static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// Checks the invariants a hand-edited or corrupt state could break.
    ///
    /// - Throws: `OracleError.stateKindMismatch` or `.stateDecodingFailed` saying which invariant fails.
    /// `trialOrderKnown` skips the one check that reads every trial, for a caller that placed each
    /// trial by its ID itself.
    func checkConsistency(trialOrderKnown: Bool = false) throws(OracleError) {
        guard kind == Strategy.kind else { throw .stateKindMismatch(expected: Strategy.kind, found: kind) }
        guard formatVersion == Self.currentFormatVersion else {
            throw .stateDecodingFailed("format version \(formatVersion) is not supported (this build reads \(Self.currentFormatVersion))")
        }
        if !trialOrderKnown {
            for (index, trial) in trials.enumerated() where trial.id != index + 1 {
                throw .stateDecodingFailed("trial IDs must be 1, 2, 3... in order; position \(index + 1) holds trial \(trial.id)")
            }
        }
        for id in enqueued + requeued where !(id >= 1 && id <= trials.count && trials[id - 1].state == .waiting) {
            throw .stateDecodingFailed("queued trial \(id) is not a WAITING trial")
        }
        for (worker, id) in runningByWorker where !(id >= 1 && id <= trials.count && trials[id - 1].state == .running) {
            throw .stateDecodingFailed("worker \(worker) is said to run trial \(id), which is not RUNNING")
        }
        if let maxTrials, maxTrials < 1 { throw .stateDecodingFailed("maxTrials \(maxTrials) is not positive") }
    }
}
