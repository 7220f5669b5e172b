import Neural

/// Fashion-MNIST-shaped data made here (no download): 28 × 28 images whose class is a brighter pair of
/// rows (row 4 + 2·label), over noise from a fixed generator, labels 0–9 in turn.
enum FashionLikeData {
    static func make(count: Int, seed: UInt64) -> (x: Tensor, y: Tensor) {
        var state = seed
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24)
        }
        var pixels: [Float] = []
        pixels.reserveCapacity(count * 784)
        var labels: [Float] = []
        for index in 0..<count {
            let label = index % 10
            labels.append(Float(label))
            for row in 0..<28 {
                let band: Float = (row == 4 + 2 * label || row == 5 + 2 * label) ? 0.6 : 0
                for _ in 0..<28 { pixels.append(band + 0.4 * next()) }
            }
        }
        return (Tensor(shape: [count, 28, 28], scalars: pixels), Tensor(labels))
    }
}
