/// The seedable random generator of the oracles: xoshiro256** seeded through SplitMix64.
///
/// The oracles draw every random choice from this generator, and its whole state is `Codable`, so a
/// search saved and restored continues with exactly the numbers an uninterrupted run would have drawn.
/// The helpers (`nextDouble`, `nextInt(below:)`, `shuffle`) are defined here rather than taken from the
/// standard library, whose algorithms may change between releases and would change the suggestions.
public struct TuningRandom: RandomNumberGenerator, Hashable, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator whose sequence is fully determined by `seed` (any value, zero included).
    public init(seed: UInt64) {
        // SplitMix64 spreads even tiny or zero seeds over the whole state, which xoshiro needs
        // (an all-zero state would stay zero forever).
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = nextSplitMix()
        s1 = nextSplitMix()
        s2 = nextSplitMix()
        s3 = nextSplitMix()
    }

    /// Returns the next 64 random bits and advances the generator.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    /// Returns a uniform `Double` in `[0, 1)` with 53 random bits.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Returns a uniform integer in `0..<upperBound`, without modulo bias (Lemire's method).
    ///
    /// - Precondition: `upperBound > 0`; callers pass counts of non-empty collections.
    public mutating func nextInt(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "nextInt(below:) needs a positive bound, got \(upperBound)")
        let bound = UInt64(upperBound)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            // Reject the few low values that would make some results more likely than others.
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return Int(product.high)
    }

    /// Shuffles `elements` in place (Fisher–Yates, drawing with `nextInt(below:)`).
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else { return }
        for index in stride(from: elements.count - 1, to: 0, by: -1) {
            let other = nextInt(below: index + 1)
            if other != index { elements.swapAt(index, other) }
        }
    }

    private func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}

extension TuningRandom: Codable {
    private enum CodingKeys: String, CodingKey { case state }

    /// Restores a generator from the four state words written by `encode(to:)`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` if the state is not four 16-digit hexadecimal words
    ///   or is all zero (a state xoshiro can never reach).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let words = try container.decode([String].self, forKey: .state)
        let parsed = words.compactMap { UInt64($0, radix: 16) }
        guard parsed.count == 4, words.count == 4, parsed.contains(where: { $0 != 0 }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .state, in: container,
                debugDescription: "TuningRandom state must be four non-all-zero hexadecimal UInt64 words, got \(words)")
        }
        s0 = parsed[0]
        s1 = parsed[1]
        s2 = parsed[2]
        s3 = parsed[3]
    }

    /// Writes the four state words as hexadecimal strings.
    ///
    /// Strings rather than JSON numbers because many JSON readers (JavaScript, SQLite's JSON
    /// functions) turn integers above 2^53 into doubles and would corrupt the state.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let words = [s0, s1, s2, s3].map { word -> String in
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        try container.encode(words, forKey: .state)
    }
}
