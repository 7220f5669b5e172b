#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The full Hyperband plan for given arguments: for each bracket and round, how many trials run and
/// for how many epochs, with the true cost in trials and epochs.
///
/// The numbers follow Keras Tuner's formulas exactly. Promotions count as trials (as in Keras Tuner,
/// where a promoted configuration is a new trial), and `trainedEpochs` counts the epochs actually
/// trained when promoted trials continue from their parent's checkpoint (ours and Keras Tuner's
/// both continue from `initial_epoch`); `epochsFromScratch` is what retraining every trial from
/// epoch 0 would cost. For `maxEpochs` 10 and `factor` 3 one iteration is 30 trials and 120 trained
/// epochs, far from the "about 44" (`max_epochs * log_factor(max_epochs)^2`) of Keras Tuner's docs.
/// Failed trials and an exhausted space can only make a real search smaller.
public struct HyperbandSchedule: Hashable, Sendable {
    /// One round of a bracket.
    public struct Round: Hashable, Sendable {
        /// The round number within its bracket, from 0.
        public let round: Int
        /// Trials in the round (new configurations in round 0, promotions after).
        public let trials: Int
        /// The epoch each trial trains up to (Keras Tuner's `tuner/epochs`).
        public let epochs: Int
        /// The epoch each trial starts from (Keras Tuner's `tuner/initial_epoch`).
        public let initialEpoch: Int

        /// Epochs each trial trains: `epochs - initialEpoch`.
        public var epochsPerTrial: Int { epochs - initialEpoch }
        /// Epochs the round trains when promotions continue from checkpoints.
        public var trainedEpochs: Int { trials * epochsPerTrial }
        /// Epochs the round would train if every trial started from epoch 0.
        public var epochsFromScratch: Int { trials * epochs }
    }

    /// One bracket: successive halving from `rounds[0].trials` trials down to the last round.
    public struct Bracket: Hashable, Sendable {
        /// The bracket `s`, from `sMax` (most aggressive) down to 0 (no halving).
        public let bracket: Int
        /// Its rounds, first to last.
        public let rounds: [Round]

        /// Trials in the bracket, promotions included.
        public var trials: Int { rounds.reduce(0) { $0 + $1.trials } }
        /// Distinct configurations the bracket tries (its round 0).
        public var newConfigurations: Int { rounds.first?.trials ?? 0 }
        /// Epochs trained when promotions continue from checkpoints.
        public var trainedEpochs: Int { rounds.reduce(0) { $0 + $1.trainedEpochs } }
        /// Epochs trained if every trial started from epoch 0.
        public var epochsFromScratch: Int { rounds.reduce(0) { $0 + $1.epochsFromScratch } }
    }

    /// The most epochs a trial reaches (Keras Tuner's `max_epochs`).
    public let maxEpochs: Int
    /// The reduction factor between rounds (Keras Tuner's `factor`).
    public let factor: Int
    /// How many times the brackets are run (Keras Tuner's `hyperband_iterations`).
    public let iterations: Int
    /// The brackets of one iteration, in the order they run (from `sMax` down to 0).
    public let brackets: [Bracket]

    /// The schedule for Keras Tuner's arguments.
    ///
    /// - Throws: `OracleError.invalidArgument` when `maxEpochs < 1`, `factor < 2` or `iterations < 1`.
    public init(maxEpochs: Int, factor: Int = 3, iterations: Int = 1) throws(OracleError) {
        try Self.check(maxEpochs: maxEpochs, factor: factor, iterations: iterations)
        self.init(checkedMaxEpochs: maxEpochs, factor: factor, iterations: iterations)
    }

    /// The schedule for arguments already checked by `check`.
    init(checkedMaxEpochs maxEpochs: Int, factor: Int, iterations: Int) {
        self.maxEpochs = maxEpochs
        self.factor = factor
        self.iterations = iterations
        let arithmetic = HyperbandArithmetic(maxEpochs: maxEpochs, factor: factor)
        brackets = stride(from: arithmetic.largestBracket, through: 0, by: -1).map { bracket in
            Bracket(bracket: bracket, rounds: (0...bracket).map { round in
                Round(
                    round: round, trials: arithmetic.trials(bracket: bracket, round: round),
                    epochs: arithmetic.epochs(bracket: bracket, round: round),
                    initialEpoch: arithmetic.initialEpoch(bracket: bracket, round: round))
            })
        }
    }

    static func check(maxEpochs: Int, factor: Int, iterations: Int) throws(OracleError) {
        guard maxEpochs >= 1 else {
            throw .invalidArgument(name: "maxEpochs", message: "\(maxEpochs) is below 1; give the most epochs one model may train.")
        }
        guard factor >= 2 else {
            throw .invalidArgument(name: "factor", message: "\(factor) is below 2; Hyperband keeps 1/factor of the trials per round (3 is usual).")
        }
        guard iterations >= 1 else {
            throw .invalidArgument(name: "hyperbandIterations", message: "\(iterations) is below 1; run the brackets at least once.")
        }
    }

    /// Trials in one iteration, promotions included.
    public var trialsPerIteration: Int { brackets.reduce(0) { $0 + $1.trials } }
    /// Distinct configurations tried in one iteration.
    public var newConfigurationsPerIteration: Int { brackets.reduce(0) { $0 + $1.newConfigurations } }
    /// Epochs trained in one iteration when promotions continue from checkpoints.
    public var trainedEpochsPerIteration: Int { brackets.reduce(0) { $0 + $1.trainedEpochs } }
    /// Epochs one iteration would train if every trial started from epoch 0.
    public var epochsFromScratchPerIteration: Int { brackets.reduce(0) { $0 + $1.epochsFromScratch } }

    /// Trials over all iterations.
    public var totalTrials: Int { trialsPerIteration * iterations }
    /// Epochs trained over all iterations.
    public var totalTrainedEpochs: Int { trainedEpochsPerIteration * iterations }

    /// Keras Tuner's documented estimate of one iteration's epochs, `max_epochs * (log(max_epochs) / log(factor))^2`.
    public var kerasTunerDocumentedEpochEstimate: Double {
        let rounds = log(Double(maxEpochs)) / log(Double(factor))
        return Double(maxEpochs) * rounds * rounds
    }
}

extension HyperbandSchedule: CustomStringConvertible {
    /// A table of brackets and rounds with the totals, as in `docs/oracles.md`.
    public var description: String {
        var lines = ["Hyperband schedule: maxEpochs \(maxEpochs), factor \(factor), iterations \(iterations)",
                     "bracket  round  trials  epochs  from  trained"]
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: " ", count: Swift.max(width - text.count, 0)) + text
        }
        for bracket in brackets {
            for round in bracket.rounds {
                lines.append("\(pad(bracket.bracket, 7))  \(pad(round.round, 5))  \(pad(round.trials, 6))  \(pad(round.epochs, 6))  \(pad(round.initialEpoch, 4))  \(pad(round.trainedEpochs, 7))")
            }
        }
        lines.append("per iteration: \(trialsPerIteration) trials (\(newConfigurationsPerIteration) configurations), \(trainedEpochsPerIteration) epochs trained (\(epochsFromScratchPerIteration) if every trial restarted from epoch 0)")
        lines.append("total: \(totalTrials) trials, \(totalTrainedEpochs) epochs trained")
        return lines.joined(separator: "\n")
    }
}
