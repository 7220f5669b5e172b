import Neural
import Testing

/// Gradients of every loss through the tape against finite differences, including weights and each
/// reduction, and second derivatives of the fused kernels through nested tapes.
@Suite struct LossGradientTests {
    private let targets = randomTensor([4, 3], seed: 21, lower: -1, upper: 1)
    private let predictions = randomTensor([4, 3], seed: 22, lower: -1.5, upper: 1.5)
    private let weights = Tensor([0.5, 1.5, 1.0, 2.0])

    @Test func regressionLossGradients() {
        for reduction in LossReduction.allCases {
            checkGradients([targets, predictions]) {
                Losses.MeanSquaredError(reduction: reduction)(yTrue: $0[0], yPred: $0[1], sampleWeight: weights)
            }
            checkGradients([targets, predictions], epsilon: 1e-3) {
                Losses.MeanAbsoluteError(reduction: reduction)(yTrue: $0[0], yPred: $0[1], sampleWeight: weights)
            }
            checkGradients([targets, predictions], epsilon: 1e-3) {
                Losses.Huber(delta: 0.7, reduction: reduction)(yTrue: $0[0], yPred: $0[1], sampleWeight: weights)
            }
        }
        // Targets [batch] against predictions [batch, 1], no weights.
        let column = randomTensor([4, 1], seed: 23, lower: -2, upper: 2)
        let flat = randomTensor([4], seed: 24, lower: -2, upper: 2)
        checkGradients([flat, column]) { Losses.MeanSquaredError()(yTrue: $0[0], yPred: $0[1]) }
        checkGradients([flat, column], epsilon: 1e-3) { Losses.Huber()(yTrue: $0[0], yPred: $0[1]) }
    }

    @Test func crossEntropyGradientsFromProbabilities() {
        // Rows that do not sum to 1: the normalization is part of the loss and of its gradient.
        let probabilities = randomTensor([4, 3], seed: 25, lower: 0.1, upper: 1)
        let labels = Tensor([2, 0, 1, 1])
        let soft = randomTensor([4, 3], seed: 26, lower: 0, upper: 1)
        for reduction in LossReduction.allCases {
            checkGradients([probabilities], epsilon: 1e-3) {
                Losses.SparseCategoricalCrossentropy(reduction: reduction)(
                    yTrue: labels, yPred: $0[0], sampleWeight: weights)
            }
            checkGradients([soft, probabilities], epsilon: 1e-3) {
                Losses.CategoricalCrossentropy(labelSmoothing: 0.1, reduction: reduction)(
                    yTrue: $0[0], yPred: $0[1], sampleWeight: weights)
            }
        }
        let binary = randomTensor([4, 3], seed: 27, lower: 0.1, upper: 0.9)
        checkGradients([soft, binary], epsilon: 1e-3) {
            Losses.BinaryCrossentropy(labelSmoothing: 0.2)(yTrue: $0[0], yPred: $0[1], sampleWeight: weights)
        }
    }

    @Test func crossEntropyGradientsFromLogits() {
        let logits = randomTensor([4, 3], seed: 28, lower: -3, upper: 3)
        let labels = Tensor([2, 0, 1, 1])
        let soft = randomTensor([4, 3], seed: 29, lower: 0, upper: 1)
        for reduction in [LossReduction.sumOverBatchSize, .sum, .none] {
            checkGradients([logits]) {
                Losses.SparseCategoricalCrossentropy(fromLogits: true, reduction: reduction)(
                    yTrue: labels, yPred: $0[0], sampleWeight: weights)
            }
            checkGradients([soft, logits]) {
                Losses.CategoricalCrossentropy(fromLogits: true, reduction: reduction)(
                    yTrue: $0[0], yPred: $0[1], sampleWeight: weights)
            }
            checkGradients([soft, logits]) {
                Losses.BinaryCrossentropy(fromLogits: true, reduction: reduction)(
                    yTrue: $0[0], yPred: $0[1], sampleWeight: weights)
            }
        }
    }

    /// Where a probability is clipped, its gradient is zero and finite (TensorFlow's clip rule).
    @Test func clippedProbabilitiesHaveZeroGradient() throws {
        let probabilities = Tensor([[0, 1], [0.25, 0.75]])
        let tape = GradientTape(persistent: true)
        let (sparse, binary) = tape.record {
            tape.watch(probabilities)
            return (Losses.SparseCategoricalCrossentropy(reduction: .sum)(Tensor([0, 1]), probabilities),
                    Losses.BinaryCrossentropy(reduction: .sum)(Tensor([[1, 0], [0, 1]]), probabilities))
        }
        let sparseGradient = try #require(try tape.gradient(of: sparse, wrt: probabilities))
        // Row 0 is clipped (p = 0 for label 0); row 1: 1 / s - 1 / p = 1 - 1 / 0.75.
        expectClose(sparseGradient, [0, 0, 1, 1 - 1 / 0.75], tolerance: 1e-5)
        let binaryGradient = try #require(try tape.gradient(of: binary, wrt: probabilities))
        #expect(binaryGradient.allFinite)
        #expect(binaryGradient.scalars[0] == 0 && binaryGradient.scalars[1] == 0)
    }

    /// The fused kernels' backward passes are recorded ops: Hessian-vector products work.
    @Test func fusedKernelsHaveSecondDerivatives() {
        let logits = randomTensor([3, 4], seed: 31, lower: -2, upper: 2)
        let soft = randomTensor([3, 4], seed: 32, lower: 0, upper: 1)
        let probabilities = randomTensor([3, 4], seed: 33, lower: 0.2, upper: 1)
        let labels = Tensor([1, 3, 0])
        let targets = randomTensor([3, 4], seed: 34)
        checkSecondOrderGradients(logits) { Losses.CategoricalCrossentropy(fromLogits: true)(soft, $0) }
        checkSecondOrderGradients(probabilities, epsilon: 1e-3) { Losses.CategoricalCrossentropy()(soft, $0) }
        checkSecondOrderGradients(probabilities, epsilon: 1e-3) { Losses.SparseCategoricalCrossentropy()(labels, $0) }
        // Squaring the per-sample losses makes the upstream gradient depend on the input too.
        checkSecondOrderGradients(probabilities, epsilon: 1e-3) { x in
            let losses = Losses.SparseCategoricalCrossentropy(reduction: .none)(labels, x)
            return losses * losses
        }
        checkSecondOrderGradients(logits) { x in
            let losses = Losses.CategoricalCrossentropy(fromLogits: true, reduction: .none)(soft, x)
            return losses * losses
        }
        checkSecondOrderGradients(probabilities, epsilon: 1e-3) { x in
            let losses = Losses.CategoricalCrossentropy(reduction: .none)(soft, x)
            return losses * losses
        }
        // Mixed second derivatives: how the gradient with respect to the probabilities moves with the targets.
        checkMixedSecondDerivative(targets: soft, probabilities: probabilities) { Losses.CategoricalCrossentropy()($0, $1) }
        checkMixedSecondDerivative(targets: soft, probabilities: logits) {
            Losses.CategoricalCrossentropy(fromLogits: true)($0, $1)
        }
        checkSecondOrderGradients(logits) { Losses.BinaryCrossentropy(fromLogits: true)(soft, $0) }
        checkSecondOrderGradients(probabilities * 0.8, epsilon: 1e-3) { Losses.BinaryCrossentropy()(soft, $0) }
        checkSecondOrderGradients(logits) { Losses.MeanSquaredError()(targets, $0) }
        checkSecondOrderGradients(logits) { Losses.Huber(delta: 5)(targets, $0) }
    }

    /// A loss inside a training step: the gradient of a dense layer's weights under the seed's
    /// `compile(loss="sparse_categorical_crossentropy")` matches finite differences.
    @Test func gradientThroughAModel() {
        let inputs = randomTensor([5, 3], seed: 35)
        let labels = Tensor([0, 2, 1, 1, 0])
        let kernel = randomTensor([3, 3], seed: 36)
        checkGradients([kernel], epsilon: 1e-3) { xs in
            Losses.SparseCategoricalCrossentropy()(labels, matmul(inputs, xs[0]).softmax())
        }
        checkGradients([kernel]) { xs in
            Losses.SparseCategoricalCrossentropy(fromLogits: true)(labels, matmul(inputs, xs[0]))
        }
    }
}

/// Checks `d/dt (gradient_p loss(t, p) · v)` from nested tapes against central finite differences in `t`.
private func checkMixedSecondDerivative(
    targets: Tensor, probabilities: Tensor, epsilon: Float = 1e-3,
    sourceLocation: SourceLocation = #_sourceLocation, _ loss: (Tensor, Tensor) -> Tensor
) {
    let direction = randomTensor(probabilities.shape, seed: 41)
    func gradientDotDirection(_ t: Tensor) -> Tensor? {
        let tape = GradientTape()
        let value = tape.record {
            tape.watch(probabilities)
            return loss(t, probabilities)
        }
        return (try? tape.gradient(of: value, wrt: probabilities)).flatMap { $0 }.map { ($0 * direction).sum() }
    }
    let outer = GradientTape()
    let dot = outer.record {
        outer.watch(targets)
        return gradientDotDirection(targets)
    }
    guard let dot, let analytic = try? outer.gradient(of: dot, wrt: targets) else {
        Issue.record("no mixed second derivative", sourceLocation: sourceLocation)
        return
    }
    for element in 0..<targets.scalarCount {
        var plus = targets.scalars, minus = targets.scalars
        plus[element] += epsilon
        minus[element] -= epsilon
        guard let high = gradientDotDirection(Tensor(shape: targets.shape, scalars: plus)),
              let low = gradientDotDirection(Tensor(shape: targets.shape, scalars: minus)) else { continue }
        let numeric = (Double(high.scalar) - Double(low.scalar)) / (2 * Double(epsilon))
        let value = Double(analytic.scalars[element])
        #expect(Swift.abs(value - numeric) <= 2e-2 * (1 + Swift.abs(numeric)),
                "element \(element): nested tapes \(value), finite difference \(numeric)", sourceLocation: sourceLocation)
    }
}
