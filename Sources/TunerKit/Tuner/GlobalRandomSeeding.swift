import Neural

/// Runs a trial's code with the core's random stream seeded for that trial, so that whatever the
/// objective draws from `GlobalRandom` is reproducible.
enum GlobalRandomSeeding {
    static func run<T>(seed: UInt64, _ body: () throws -> T) throws -> T {
        try GlobalRandom.withSeed(seed, body)
    }
}
