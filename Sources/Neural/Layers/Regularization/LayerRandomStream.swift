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

    /// `count` standard normal samples.
    mutating func normals(count: Int) -> [Float] {
        withGenerator { generator in
            [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count { buffer[i] = Float(generator.nextNormal()) }
                initialized = count
            }
        }
    }
}
