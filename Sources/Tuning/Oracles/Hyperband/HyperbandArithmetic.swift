#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keras Tuner's Hyperband formulas (keras_tuner/tuners/hyperband.py), computed with the same
/// floating-point operations so the same arguments give the same schedule, float quirks included.
struct HyperbandArithmetic: Hashable, Sendable {
    let maxEpochs: Int
    let factor: Int

    /// Keras Tuner's `_get_num_brackets`: how many times `maxEpochs` can be divided by `factor`
    /// (as a float) while staying at least 1 (`min_epochs`).
    var bracketCount: Int {
        var epochs = Double(maxEpochs)
        var brackets = 0
        while epochs >= 1 {
            epochs /= Double(factor)
            brackets += 1
        }
        return brackets
    }

    /// The most aggressive bracket, `s_max = bracketCount - 1`.
    var largestBracket: Int { bracketCount - 1 }

    /// Keras Tuner's `_get_size`: the number of trials in `round` of `bracket`,
    /// `ceil(ceil(1 + log(maxEpochs) / log(factor)) / (bracket + 1) * factor^(bracket - round))`.
    func trials(bracket: Int, round: Int) -> Int {
        // Python's math.log(x, base) is log(x) / log(base) with the C library's log.
        let lastBracketSize = (1 + log(Double(maxEpochs)) / log(Double(factor))).rounded(.up)
        let bracketEndSize = lastBracketSize / Double(bracket + 1)
        return Int((bracketEndSize * Double(power(factor, bracket - round))).rounded(.up))
    }

    /// Keras Tuner's `_get_epochs`: the epoch `round` of `bracket` trains up to,
    /// `ceil(maxEpochs / factor^(bracket - round))`.
    func epochs(bracket: Int, round: Int) -> Int {
        Int((Double(maxEpochs) / Double(power(factor, bracket - round))).rounded(.up))
    }

    /// The epoch `round` of `bracket` starts from: 0 for round 0, else the previous round's epochs.
    func initialEpoch(bracket: Int, round: Int) -> Int {
        round == 0 ? 0 : epochs(bracket: bracket, round: round - 1)
    }

    /// Integer power, as Python's `int ** int` (exact; the exponents here are tiny).
    private func power(_ base: Int, _ exponent: Int) -> Int {
        var result = 1
        for _ in 0..<Swift.max(exponent, 0) { result *= base }
        return result
    }
}
