import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A seedable pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// The standard library's generator cannot be seeded; this one gives the same sequence for the same
/// seed on every machine, so the same seed gives the same initial weights, shuffles and trials. Its
/// floating-point helpers are defined here (not by the standard library's `random(in:using:)`, whose
/// algorithm may change between releases) for the same reason.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)
    private var spareNormal: Double?

    /// Creates a generator whose sequence is fully determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
        spareNormal = nil
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1.0p-24 }

    /// A uniform integer in `0..<bound` without modulo bias (Lemire's method). `bound` must be positive.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "SeededGenerator.nextInt(below:): bound must be positive, got \(bound)")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A standard normal sample (Box-Muller, the second value of each pair kept for the next call).
    public mutating func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        var u1 = nextDouble()
        while u1 <= Double.leastNormalMagnitude { u1 = nextDouble() }
        let u2 = nextDouble()
        let radius = (-2 * log(u1)).squareRoot()
        spareNormal = radius * sin(2 * Double.pi * u2)
        return radius * cos(2 * Double.pi * u2)
    }

    /// Shuffles `array` in place (Fisher-Yates with this generator's integers).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = nextInt(below: i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }
}

/// The generator that initializers, dropout and `fit`'s shuffling use when they are not given one,
/// like Keras's global seed. `GlobalRandom.seed(42)` makes everything after it reproducible.
///
/// Work running concurrently in one process (parallel trials, tests) would interleave its draws from
/// one process-wide stream; `GlobalRandom.withSeed(_:_:)` gives a task its own stream instead, so each
/// is reproducible on its own.
public enum GlobalRandom {
    private static let shared = Mutex(SeededGenerator(seed: 0x5EED))

    /// A stream owned by one task (and the child tasks it starts).
    private final class ScopedStream: Sendable {
        let generator: Mutex<SeededGenerator>
        init(seed: UInt64) { generator = Mutex(SeededGenerator(seed: seed)) }
    }

    @TaskLocal private static var scoped: ScopedStream?

    /// Restarts the process-wide sequence from `seed` (Keras's `keras.utils.set_random_seed`); inside
    /// ``withSeed(_:_:)`` it restarts that task's stream instead.
    public static func seed(_ seed: UInt64) {
        if let scoped {
            scoped.generator.withLock { $0 = SeededGenerator(seed: seed) }
        } else {
            shared.withLock { $0 = SeededGenerator(seed: seed) }
        }
    }

    /// Runs `body` with its own stream seeded by `seed`: everything `body` draws without an explicit
    /// generator (on this task) comes from that stream, untouched by concurrent work.
    public static func withSeed<R>(_ seed: UInt64, _ body: () throws -> R) rethrows -> R {
        try $scoped.withValue(ScopedStream(seed: seed)) { try body() }
    }

    /// Runs `body` with exclusive access to the current stream (the task's own, else the process-wide one).
    public static func withGenerator<R>(_ body: (inout SeededGenerator) -> R) -> R {
        if let scoped { return scoped.generator.withLock { body(&$0) } }
        return shared.withLock { generator in body(&generator) }
    }

    /// A new generator seeded from the current stream: for work that needs its own.
    public static func split() -> SeededGenerator {
        withGenerator { SeededGenerator(seed: $0.next()) }
    }
}
