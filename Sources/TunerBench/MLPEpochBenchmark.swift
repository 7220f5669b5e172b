import Neural
import ReferenceWorkloads

/// Seed 002's MLP for one epoch (55,000 images, batch 32, SGD 0.01) as a custom loop on the tape:
/// forward, backward and update, with 1 and 2 BLAS threads.
struct MLPEpochBenchmark {
    let train: ClassificationData

    func run(report: (String, Double, String) -> Void) throws {
        for threads in [1, 2] {
            BLAS.setThreadCount(threads)
            var generator = SeededGenerator(seed: 1)
            let model = ReferenceMLP(generator: &generator)
            // Warm up caches, the allocator and BLAS's thread pool on a slice before timing.
            let warm = train.batch(ArraySlice(0..<Swift.min(3200, train.count)))
            let warmup = ClassificationData(features: warm.features, labels: warm.labels)
            _ = try model.trainEpoch(warmup, batchSize: 32, learningRate: 0.01, generator: &generator)
            var times: [Double] = []
            for _ in 0..<3 {
                times.append(try model.trainEpoch(train, batchSize: 32, learningRate: 0.01, generator: &generator).seconds)
            }
            let median = times.sorted()[1]
            let steps = Double((train.count + 31) / 32)
            report("mlp_epoch_\(threads)thread", median, "s")
            report("mlp_epoch_gflops_\(threads)thread", model.flopsPerStep(batchSize: 32) * steps / median / 1e9, "GFLOP/s")
        }
    }
}
