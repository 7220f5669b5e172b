#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Draws used by the Gaussian-process component (fit restarts, training subsets, perturbations).
// Written here rather than taken from the standard library for the same reason as the rest of
// `TuningRandom`: the suggestions must not change when the library's algorithms do.

extension TuningRandom {
    /// A standard normal sample (Box-Muller; no spare value is cached so the state stays four words).
    mutating func normal() -> Double {
        var u1 = nextDouble()
        while u1 <= Double.leastNormalMagnitude { u1 = nextDouble() }
        let u2 = nextDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// `count` distinct indices from `0..<population`, in random order (partial Fisher-Yates).
    mutating func sample(_ count: Int, from population: Int) -> [Int] {
        var indices = Array(0..<population)
        let taken = Swift.min(count, population)
        for i in 0..<taken {
            let j = i + nextInt(below: population - i)
            indices.swapAt(i, j)
        }
        return Array(indices[0..<taken])
    }
}
