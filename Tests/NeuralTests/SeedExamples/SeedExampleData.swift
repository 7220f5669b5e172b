import Neural

/// Small stand-ins for the seeds' data sets, made in the tests (the unit tests never load
/// Fashion-MNIST or California housing): the same shapes, far fewer samples.
enum SeedExampleData {
    /// Fashion-MNIST-like images: `[count, 28, 28]` pixels in [0, 1] and sparse labels `[count]`
    /// (0...9, as Keras's `y_train`). Class `k` is a bright band over rows `4 + 2k` and `5 + 2k`
    /// on a noisy background, so a small MLP separates the classes in a few epochs.
    static func fashionLike(count: Int, seed: UInt64 = 10) -> (x: Tensor, y: Tensor) {
        var generator = SeededGenerator(seed: seed)
        var pixels: [Float] = []
        pixels.reserveCapacity(count * 784)
        var labels: [Float] = []
        for index in 0..<count {
            let label = index % 10
            labels.append(Float(label))
            for row in 0..<28 {
                let band: Float = (row == 4 + 2 * label || row == 5 + 2 * label) ? 0.6 : 0
                for _ in 0..<28 { pixels.append(band + 0.4 * generator.nextFloat()) }
            }
        }
        return (Tensor(shape: [count, 28, 28], scalars: pixels), Tensor(labels))
    }

    /// California-housing-like regression: 8 features, `[count, 1]` targets.
    static func housing(count: Int, seed: UInt64 = 5) -> (x: Tensor, y: Tensor) {
        ModelTestData.regression(count: count, features: 8, seed: seed)
    }

    /// The first `count` rows.
    static func head(_ tensor: Tensor, _ count: Int) -> Tensor {
        tensor.gatheringRows(ArraySlice(0..<count))
    }

    /// Rows `range` (the seeds' `X_train_full[:-5000]`-style splits).
    static func rows(_ tensor: Tensor, _ range: Range<Int>) -> Tensor {
        tensor.gatheringRows(ArraySlice(range))
    }
}
