import Neural
import Testing

/// Logits of four examples over three classes, the last with large values; labels and expected losses
/// hand-computed as `logSumExp(row) - row[label]` (checked with NumPy).
private let logits = Tensor([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [-0.3, 0.2, 0.4], [1000, 1001, 999]])
private let labels = [0, 1, 2, 1]
private let expectedLosses: [Float] = [0.41703, 0.1531782, 0.8395462, 0.407606]

@Suite struct CrossEntropyTests {
    @Test func sparseSoftmaxCrossEntropyMatchesHandComputation() {
        expectClose(Tensor.sparseSoftmaxCrossEntropy(logits: logits, labels: labels), expectedLosses,
                    shape: [4], tolerance: 1e-5)
    }

    /// The tape's gradient is (softmax - onehot) scaled by the upstream gradient of each example.
    @Test func sparseSoftmaxCrossEntropyGradientIsSoftmaxMinusOneHot() throws {
        let tape = GradientTape()
        let losses = tape.record {
            tape.watch(logits)
            return Tensor.sparseSoftmaxCrossEntropy(logits: logits, labels: labels)
        }
        let upstream = Tensor([1, 2, 0.5, -1])
        let gradient = try #require(try tape.gradient(of: losses, wrt: [logits], outputGradient: upstream)[0])
        let softmax = logits.softmax().scalars
        var expected = [Float](repeating: 0, count: 12)
        for row in 0..<4 {
            for column in 0..<3 {
                let onehot: Float = column == labels[row] ? 1 : 0
                expected[row * 3 + column] = (softmax[row * 3 + column] - onehot) * upstream.scalars[row]
            }
        }
        expectClose(gradient, expected, shape: [4, 3], tolerance: 1e-6)
    }

    @Test func sparseSoftmaxCrossEntropyGradientsMatchFiniteDifferences() {
        let x = randomTensor([5, 4], seed: 51, lower: -2, upper: 2)
        let classes = [3, 0, 1, 3, 2]
        checkGradients([x]) { Tensor.sparseSoftmaxCrossEntropy(logits: $0[0], labels: classes) }
        checkGradients([x]) { Tensor.sparseSoftmaxCrossEntropy(logits: $0[0], labels: classes).mean() }
        checkGradients([x]) { xs in
            let losses = Tensor.sparseSoftmaxCrossEntropy(logits: xs[0], labels: classes)
            return losses * losses
        }
    }

    /// The recorded backward op is differentiable: Hessian-vector products through nested tapes.
    @Test func sparseSoftmaxCrossEntropySecondOrderGradients() {
        let x = randomTensor([3, 4], seed: 52, lower: -2, upper: 2)
        checkSecondOrderGradients(x) { Tensor.sparseSoftmaxCrossEntropy(logits: $0, labels: [1, 0, 3]) }
        checkSecondOrderGradients(x) { xs in
            let losses = Tensor.sparseSoftmaxCrossEntropy(logits: xs, labels: [2, 2, 0])
            return losses * losses
        }
    }

    @Test func sparseCategoricalCrossEntropyMatchesKeras() {
        let probabilities = Tensor([[0.7, 0.2, 0.1], [0, 1, 0], [0.25, 0.25, 0.5]])
        let losses = Tensor.sparseCategoricalCrossEntropy(probabilities: probabilities, labels: [0, 0, 2])
        // -log(0.7), -log(1e-7) (clipped from 0), -log(0.5).
        expectClose(losses, [0.3566749, 16.118095, 0.6931472], shape: [3], tolerance: 1e-5)
        let certain = Tensor.sparseCategoricalCrossEntropy(probabilities: probabilities, labels: [1, 1, 1])
        // -log(1 - 1e-7) in Float: a tiny positive loss, not log(1) = 0 and not negative.
        #expect(certain.scalars[1] > 0 && certain.scalars[1] < 2e-7)
        let looser = Tensor.sparseCategoricalCrossEntropy(probabilities: probabilities, labels: [1, 0, 2], epsilon: 1e-3)
        expectClose(looser, [1.609438, 6.907755, 0.6931472], tolerance: 1e-5)
    }

    @Test func sparseCategoricalCrossEntropyGradients() throws {
        let raw = randomTensor([4, 3], seed: 53, lower: 0.2, upper: 1)
        let probabilities = raw / raw.sum(alongAxis: 1, keepDims: true)
        checkGradients([probabilities], epsilon: 1e-3) {
            Tensor.sparseCategoricalCrossEntropy(probabilities: $0[0], labels: [2, 0, 1, 1])
        }
        checkSecondOrderGradients(probabilities, epsilon: 1e-3) {
            Tensor.sparseCategoricalCrossEntropy(probabilities: $0, labels: [2, 0, 1, 1])
        }
        // Where the clip is active the gradient is zero (and finite, even for a probability of 0).
        let clipped = Tensor([[0, 1], [0.5, 0.5]])
        let tape = GradientTape()
        let losses = tape.record {
            tape.watch(clipped)
            return Tensor.sparseCategoricalCrossEntropy(probabilities: clipped, labels: [0, 1])
        }
        let gradient = try #require(try tape.gradient(of: losses, wrt: clipped))
        #expect(gradient.scalars == [0, 0, 0, -2])
    }

    /// Softmax followed by the probability form equals the fused logits form.
    @Test func softmaxThenCategoricalEqualsFusedLogits() throws {
        let x = randomTensor([8, 5], seed: 54, lower: -3, upper: 3)
        let classes = [0, 4, 2, 1, 3, 3, 0, 2]
        let fused = Tensor.sparseSoftmaxCrossEntropy(logits: x, labels: classes)
        let composed = Tensor.sparseCategoricalCrossEntropy(probabilities: x.softmax(), labels: classes)
        expectClose(composed, fused.scalars, shape: [8], tolerance: 1e-5)
        for (a, b) in zip(composed.scalars, fused.scalars) { #expect(abs(a - b) <= 1e-5) }

        let tape = GradientTape(persistent: true)
        let (fusedMean, composedMean) = tape.record {
            tape.watch(x)
            return (Tensor.sparseSoftmaxCrossEntropy(logits: x, labels: classes).mean(),
                    Tensor.sparseCategoricalCrossEntropy(probabilities: x.softmax(), labels: classes).mean())
        }
        let fusedGradient = try #require(try tape.gradient(of: fusedMean, wrt: x))
        let composedGradient = try #require(try tape.gradient(of: composedMean, wrt: x))
        expectClose(composedGradient, fusedGradient.scalars, tolerance: 1e-5)
    }

    @Test func validateLabelsNamesTheLabelAndClassCount() {
        #expect(throws: Never.self) { try Tensor.validateLabels([0, 2, 1], classCount: 3) }
        do {
            try Tensor.validateLabels([0, 3, 1], classCount: 3)
            Issue.record("label 3 of 3 classes was accepted")
        } catch {
            #expect(error.description.contains("validateLabels"))
            #expect(error.description.contains("label 3"))
            #expect(error.description.contains("3 classes"))
        }
        #expect(throws: TensorError.self) { try Tensor.validateLabels([-1], classCount: 3) }
        #expect(throws: TensorError.self) { try Tensor.validateLabels([0], classCount: 0) }
    }

    @Test func outOfRangeLabelTrapsNamingTheOp() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.sparseSoftmaxCrossEntropy(logits: Tensor([[1, 2], [3, 4]]), labels: [0, 5])
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("sparseSoftmaxCrossEntropy"))
        #expect(message.contains("label 5 at position 1"))
        #expect(message.contains("2 classes"))
    }
}
