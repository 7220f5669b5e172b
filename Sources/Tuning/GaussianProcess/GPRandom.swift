#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Gaussian-process component's own seedable generator (xoshiro256**, seeded through SplitMix64).
///
/// Internal on purpose: the public seeded generator of the tuning module is `TuningRandom`; this one
/// exists so the component can be built and tested on its own and will be unified with it later. Its
/// whole state is four words and `Codable`, so a `BayesianOptimizer` saved to JSON resumes with exactly
/// the same random stream. Floating-point and integer helpers are written here rather than taken from
/// the standard library, whose `random(in:using:)` algorithms may change between releases.
struct GPRandom: RandomNumberGenerator, Codable, Sendable, Hashable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator whose sequence is fully determined by `seed`.
    init(seed: UInt64) {
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

    mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform Double in [0, 1) with 53 random bits.
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform integer in `0..<bound` without modulo bias (Lemire's method); `bound` must be positive.
    mutating func index(below bound: Int) -> Int {
        precondition(bound > 0, "GPRandom.index(below:): bound must be positive, got \(bound)")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A standard normal sample (Box-Muller; no spare value is cached so the state stays four words).
    mutating func normal() -> Double {
        var u1 = uniform()
        while u1 <= Double.leastNormalMagnitude { u1 = uniform() }
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// `count` distinct indices from `0..<population`, in random order (partial Fisher-Yates).
    mutating func sample(_ count: Int, from population: Int) -> [Int] {
        var indices = Array(0..<population)
        let taken = Swift.min(count, population)
        for i in 0..<taken {
            let j = i + index(below: population - i)
            indices.swapAt(i, j)
        }
        return Array(indices[0..<taken])
    }
}
