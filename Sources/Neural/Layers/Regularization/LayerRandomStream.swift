#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a noise layer draws its random numbers: its own generator when it was given a seed (so
/// that its noise repeats from run to run), otherwise the process-wide ``GlobalRandom``.
struct LayerRandomStream {
    private var own: SeededGenerator?

    init(seed: UInt64?) {
        own = seed.map { SeededGenerator(seed: $0) }
    }

    /// Runs `body` with the layer's generator, keeping its advanced state for the next call.
    mutating func withGenerator<R>(_ body: (inout SeededGenerator) -> R) -> R {
        if var generator = own {
            let result = body(&generator)
            own = generator
            return result
        }
        return GlobalRandom.withGenerator(body)
    }

    /// `count` standard normal samples, by Marsaglia's polar method in single precision: one
    /// logarithm and one square root per pair (no trigonometry), two uniforms from each 64-bit draw.
    /// Noise layers draw a sample per input element at every training step, so this is their cost.
    mutating func normals(count: Int) -> [Float] {
        withGenerator { generator in
            [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                var i = 0
                while i < count {
                    let bits = generator.next()
                    // 24 random bits each, mapped to (-1, 1).
                    let u = Float(Int32(truncatingIfNeeded: bits >> 40) - 0x80_0000) * 0x1.0p-23
                    let v = Float(Int32(truncatingIfNeeded: (bits >> 8) & 0xFF_FFFF) - 0x80_0000) * 0x1.0p-23
                    let s = u * u + v * v
                    guard s < 1 && s > 0 else { continue }
                    let factor = (-2 * logf(s) / s).squareRoot()
                    buffer[i] = u * factor
                    if i + 1 < count { buffer[i + 1] = v * factor }
                    i += 2
                }
                initialized = count
            }
        }
    }
}
