import Neural
import ReferenceWorkloads

/// A small Fashion-MNIST CNN trained with `fit` for one epoch on one BLAS thread: Conv2D 32 3x3 ReLU,
/// MaxPooling 2, Conv2D 64 3x3 ReLU, MaxPooling 2, Flatten, Dense 128 ReLU, Dense 10 softmax; Adam
/// (Keras defaults), sparse categorical cross-entropy, accuracy, batch 32, the 55,000 training images.
/// `Scripts/keras_cnn_epoch.py` is the same model in Keras for `make bench-compare`.
/// `cnn_epoch_1thread` runs on the default ``ConvolutionKernels/fast`` and ``PoolingKernels/fast``
/// kernels (oneDNN, the 2×2 pooling loops); `cnn_epoch_1thread_reference_pooling` is the same epoch
/// with the pooling on the `.reference` loops only, and `cnn_epoch_1thread_reference` with both on
/// `.reference` (im2col + sgemm and the general pooling loops, the path before issue 16), measured in
/// the same run for comparison.
struct CNNEpochBenchmark {
    let train: ClassificationData

    /// The three epochs' names, in the order they run.
    static let names = ["cnn_epoch_1thread", "cnn_epoch_1thread_reference_pooling", "cnn_epoch_1thread_reference"]

    /// Runs the epochs whose names `selected` accepts (all three by default).
    func run(report: (String, Double, String) -> Void, selected: (String) -> Bool = { _ in true }) throws {
        if selected(Self.names[0]) {
            try ConvolutionKernels.with(.fast) { try run(named: Self.names[0], report: report) }
        }
        if selected(Self.names[1]) {
            try ConvolutionKernels.with(.fast) {
                try PoolingKernels.with(.reference) { try run(named: Self.names[1], report: report) }
            }
        }
        if selected(Self.names[2]) {
            try ConvolutionKernels.with(.reference) {
                try PoolingKernels.with(.reference) { try run(named: Self.names[2], report: report) }
            }
        }
    }

    func run(named name: String, report: (String, Double, String) -> Void) throws {
        let images = train.features.reshaped(to: [train.count, 28, 28, 1])
        let labels = Tensor(shape: [train.count, 1], scalars: train.labels.map(Float.init))
        BLAS.setThreadCount(1)
        GlobalRandom.seed(1)
        let model = Sequential([
            Input(shape: [28, 28, 1]),
            Conv2D(filters: 32, kernelSize: 3, activation: .relu),
            MaxPooling2D(poolSize: 2),
            Conv2D(filters: 64, kernelSize: 3, activation: .relu),
            MaxPooling2D(poolSize: 2),
            Flatten(),
            Dense(units: 128, activation: .relu),
            Dense(units: 10, activation: .softmax()),
        ])
        try model.compile(optimizer: try Adam(), loss: Losses.SparseCategoricalCrossentropy(), metrics: ["accuracy"])
        let warm = Swift.min(1600, train.count)
        _ = try model.fit(images.gathering(atIndices: Array(0..<warm)), labels.gathering(atIndices: Array(0..<warm)),
                          batchSize: 32, epochs: 1, verbosity: .silent)
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            _ = try model.fit(images, labels, batchSize: 32, epochs: 1, verbosity: .silent)
        }
        report(name, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18, "s")
    }
}
