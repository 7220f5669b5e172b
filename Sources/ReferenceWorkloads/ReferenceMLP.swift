import Neural

/// Seed 002's Fashion-MNIST classifier: 784-300-100-10, ReLU hidden layers, softmax output, sparse
/// categorical cross-entropy, plain SGD; written as seed 000's custom training loop on the tape.
///
/// The output layer produces logits and the loss applies softmax and cross-entropy in one fused,
/// stable op: the same function and gradient as a softmax layer followed by the loss, minus a pass.
public final class ReferenceMLP {
    /// One fully connected layer: weight `[in, out]`, bias `[out]`, and its activation.
    public struct Layer {
        /// `[inputs, units]`, Glorot-uniform initialized as in Keras.
        public let weight: Variable
        /// `[units]`, zeros.
        public let bias: Variable
        /// Applied in the same pass as the bias.
        public let activation: FusedActivation
    }

    /// The layers, input first.
    public let layers: [Layer]

    /// Creates the network with Keras's default initialization (Glorot uniform weights, zero biases).
    public init(sizes: [Int] = [784, 300, 100, 10], generator: inout SeededGenerator) {
        var layers: [Layer] = []
        for index in 0..<(sizes.count - 1) {
            let (fanIn, fanOut) = (sizes[index], sizes[index + 1])
            let limit = (6 / Float(fanIn + fanOut)).squareRoot()
            let weight = Tensor(randomUniform: [fanIn, fanOut], lower: -limit, upper: limit, generator: &generator)
            layers.append(Layer(
                weight: Variable(weight, name: "dense_\(index)/kernel"),
                bias: Variable(Tensor(zeros: [fanOut]), name: "dense_\(index)/bias"),
                activation: index == sizes.count - 2 ? .identity : .relu))
        }
        self.layers = layers
    }

    /// Every trainable variable, in layer order (weight, bias, weight, bias, ...).
    public var variables: [Variable] { layers.flatMap { [$0.weight, $0.bias] } }

    /// The parameter count (266,610 for the seed's sizes).
    public var parameterCount: Int { variables.reduce(0) { $0 + $1.shape.reduce(1, *) } }

    /// The logits for a batch `[batch, 784]`.
    public func logits(_ x: Tensor) -> Tensor {
        layers.reduce(x) { h, layer in
            Tensor.dense(h, weight: layer.weight.value, bias: layer.bias.value, activation: layer.activation)
        }
    }

    /// One step of seed 000's loop: forward on a tape, gradients, and an in-place SGD update.
    /// Returns the batch's mean loss and how many predictions were right.
    public func trainStep(features: Tensor, labels: [Int], learningRate: Float) throws -> (loss: Float, correct: Int) {
        let tape = GradientTape()
        var logits = Tensor(0)
        let loss = tape.record {
            logits = self.logits(features)
            return Tensor.sparseSoftmaxCrossEntropy(logits: logits, labels: labels).mean()
        }
        let variables = self.variables
        let gradients = try tape.gradient(of: loss, wrt: variables)
        for (variable, gradient) in zip(variables, gradients) {
            guard let gradient else { continue }
            variable.assignSub(gradient, scaledBy: learningRate)
        }
        return (loss.scalar, Self.correctPredictions(logits: logits, labels: labels))
    }

    /// Mean loss and accuracy over `data`, in batches, without a tape.
    public func evaluate(_ data: ClassificationData, batchSize: Int = 1000) -> (loss: Float, accuracy: Float) {
        var totalLoss: Double = 0
        var correct = 0
        let indices = Array(0..<data.count)
        for start in stride(from: 0, to: data.count, by: batchSize) {
            let (x, y) = data.batch(indices[start..<min(start + batchSize, data.count)])
            let logits = self.logits(x)
            totalLoss += Double(Tensor.sparseSoftmaxCrossEntropy(logits: logits, labels: y).sum().scalar)
            correct += Self.correctPredictions(logits: logits, labels: y)
        }
        return (Float(totalLoss / Double(data.count)), Float(correct) / Float(data.count))
    }

    /// How many rows of `logits` have their largest value at the label.
    public static func correctPredictions(logits: Tensor, labels: [Int]) -> Int {
        let classes = logits.shape[logits.rank - 1]
        return logits.withUnsafeBufferPointer { p in
            var correct = 0
            for (row, label) in labels.enumerated() {
                var best = 0
                for c in 1..<classes where p[row * classes + c] > p[row * classes + best] { best = c }
                if best == label { correct += 1 }
            }
            return correct
        }
    }

    /// FLOPs of one training step (forward, weight gradients, input gradients of all but the first
    /// layer), counting a multiply-add as two: what the GFLOP/s figure divides by.
    public func flopsPerStep(batchSize: Int) -> Double {
        var flops = 0.0
        for (index, layer) in layers.enumerated() {
            let macs = Double(batchSize * layer.weight.shape[0] * layer.weight.shape[1])
            flops += 2 * macs * (index == 0 ? 2 : 3)
        }
        return flops
    }
}

/// Per-epoch figures of a training loop.
public struct EpochResult: Sendable {
    /// Mean training loss over the epoch's batches.
    public var loss: Float
    /// Training accuracy over the epoch.
    public var accuracy: Float
    /// Wall-clock seconds of the epoch's training steps.
    public var seconds: Double
    /// Batches run.
    public var steps: Int
}

extension ReferenceMLP {
    /// One epoch over `data` in shuffled batches; `onStep(step, steps, runningLoss, runningAccuracy)`
    /// is called after each batch (for a progress bar).
    public func trainEpoch(
        _ data: ClassificationData, batchSize: Int, learningRate: Float, generator: inout SeededGenerator,
        onStep: (Int, Int, Float, Float) -> Void = { _, _, _, _ in }
    ) throws -> EpochResult {
        var order = Array(0..<data.count)
        generator.shuffle(&order)
        let steps = (data.count + batchSize - 1) / batchSize
        var lossSum: Double = 0
        var correct = 0, seen = 0
        let clock = ContinuousClock()
        let start = clock.now
        for step in 0..<steps {
            let range = (step * batchSize)..<min((step + 1) * batchSize, data.count)
            let (x, y) = data.batch(order[range])
            let (loss, right) = try trainStep(features: x, labels: y, learningRate: learningRate)
            lossSum += Double(loss)
            correct += right
            seen += y.count
            onStep(step + 1, steps, Float(lossSum / Double(step + 1)), Float(correct) / Float(seen))
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return EpochResult(loss: Float(lossSum / Double(steps)), accuracy: Float(correct) / Float(seen),
                           seconds: seconds, steps: steps)
    }
}
