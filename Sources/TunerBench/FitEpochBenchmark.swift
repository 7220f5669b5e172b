import Neural
import ReferenceWorkloads

/// The same reference MLP trained with the Keras-style API: `Sequential` + `compile` + `fit`
/// (softmax output, sparse categorical cross-entropy, SGD 0.01, batch 32, accuracy metric), one
/// epoch, to set beside the raw custom loop of ``MLPEpochBenchmark``.
struct FitEpochBenchmark {
    let train: ClassificationData

    func run(report: (String, Double, String) -> Void) throws {
        let labels = Tensor(shape: [train.count, 1], scalars: train.labels.map(Float.init))
        for threads in [1, 2] {
            BLAS.setThreadCount(threads)
            GlobalRandom.seed(1)
            let model = Sequential([
                Input(shape: [784]),
                Dense(units: 300, activation: .relu),
                Dense(units: 100, activation: .relu),
                Dense(units: 10, activation: .softmax()),
            ])
            try model.compile(optimizer: try SGD(learningRate: 0.01), loss: Losses.SparseCategoricalCrossentropy(),
                              metrics: ["accuracy"])
            let warm = train.batch(ArraySlice(0..<Swift.min(3200, train.count)))
            let warmLabels = Tensor(shape: [warm.labels.count, 1], scalars: warm.labels.map(Float.init))
            _ = try model.fit(warm.features, warmLabels, batchSize: 32, epochs: 1, verbosity: .silent)
            var times: [Double] = []
            for _ in 0..<3 {
                let clock = ContinuousClock()
                let elapsed = try clock.measure {
                    _ = try model.fit(train.features, labels, batchSize: 32, epochs: 1, verbosity: .silent)
                }
                times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            }
            report("mlp_fit_epoch_\(threads)thread", times.sorted()[1], "s")
        }
    }
}
