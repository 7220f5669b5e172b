import Neural
import ReferenceWorkloads
import Testing

/// The reference MLP's custom loop learns, on small data made here.
@Suite struct ReferenceMLPTests {
    /// Two Gaussian blobs per class in 8 dimensions: a few epochs must fit them.
    private func blobs(count: Int, seed: UInt64) -> ClassificationData {
        var generator = SeededGenerator(seed: seed)
        var features: [Float] = [], labels: [Int] = []
        for index in 0..<count {
            let label = index % 3
            labels.append(label)
            for d in 0..<8 { features.append((d % 3 == label ? 2 : 0) + Float(generator.nextNormal()) * 0.5) }
        }
        return ClassificationData(features: Tensor(shape: [count, 8], scalars: features), labels: labels)
    }

    @Test func customLoopLearns() throws {
        let data = blobs(count: 600, seed: 3)
        var generator = SeededGenerator(seed: 9)
        let model = ReferenceMLP(sizes: [8, 16, 3], generator: &generator)
        let before = model.evaluate(data)
        for _ in 0..<5 { _ = try model.trainEpoch(data, batchSize: 32, learningRate: 0.1, generator: &generator) }
        let after = model.evaluate(data)
        #expect(after.loss < before.loss / 2)
        #expect(after.accuracy > 0.95)
    }

    @Test func sameSeedSameWeights() throws {
        var g1 = SeededGenerator(seed: 5), g2 = SeededGenerator(seed: 5)
        let a = ReferenceMLP(generator: &g1), b = ReferenceMLP(generator: &g2)
        #expect(a.parameterCount == 266_610)
        #expect(zip(a.variables, b.variables).allSatisfy { $0.value == $1.value })
    }

    @Test func flopCountMatchesTheModel() {
        var generator = SeededGenerator(seed: 1)
        let model = ReferenceMLP(generator: &generator)
        // forward 2·32·(784·300 + 300·100 + 100·10), the same for weight gradients, input gradients after layer 1.
        let layerMACs: [Double] = [784 * 300, 300 * 100, 100 * 10].map { Double(32 * $0) }
        let forward: Double = layerMACs.reduce(0, +)
        let expected: Double = 2 * (3 * forward - layerMACs[0])
        #expect(model.flopsPerStep(batchSize: 32) == expected)
    }
}
