import Neural

/// Small data sets the model tests make themselves.
enum ModelTestData {
    /// Three Gaussian blobs in `features` dimensions, labels as Float class indices `[count, 1]`.
    static func blobs(count: Int, features: Int = 8, seed: UInt64 = 3) -> (x: Tensor, y: Tensor) {
        var generator = SeededGenerator(seed: seed)
        var values: [Float] = [], labels: [Float] = []
        for index in 0..<count {
            let label = index % 3
            labels.append(Float(label))
            for d in 0..<features { values.append((d % 3 == label ? 2 : 0) + Float(generator.nextNormal()) * 0.5) }
        }
        return (Tensor(shape: [count, features], scalars: values), Tensor(shape: [count, 1], scalars: labels))
    }

    /// A noisy linear regression `y = x · w + 0.5` with `[count, 1]` targets.
    static func regression(count: Int, features: Int = 8, seed: UInt64 = 5) -> (x: Tensor, y: Tensor) {
        var generator = SeededGenerator(seed: seed)
        let x = Tensor(randomNormal: [count, features], generator: &generator)
        let w = Tensor(randomNormal: [features, 1], generator: &generator)
        let noise = Tensor(randomNormal: [count, 1], standardDeviation: 0.05, generator: &generator)
        return (x, matmul(x, w) + 0.5 + noise)
    }
}
