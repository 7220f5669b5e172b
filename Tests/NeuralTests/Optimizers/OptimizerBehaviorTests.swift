import Neural
import Testing

/// How optimizers apply updates: hand-computed steps, nil gradients, slots, weight decay, in-place
/// updates, and no tape recording.
@Suite struct OptimizerBehaviorTests {
    @Test func sgdWithMomentumByHand() throws {
        let w = Variable(Tensor([1, -2]))
        let optimizer = try SGD(learningRate: 0.5, momentum: 0.5)
        try optimizer.apply(gradients: [Tensor([2, 4])], to: [w])
        // m = 0.5 * 0 - 0.5 * g = [-1, -2]; w = w + m.
        #expect(optimizer.slot("momentum", for: w)?.value.scalars == [-1, -2])
        #expect(w.value.scalars == [0, -4])
        try optimizer.apply(gradients: [Tensor([2, 4])], to: [w])
        // m = 0.5 * [-1, -2] - [1, 2] = [-1.5, -3].
        #expect(w.value.scalars == [-1.5, -7])
        #expect(optimizer.slot("velocity", for: w) == nil)
        #expect(try SGD().slot("momentum", for: w) == nil)
    }

    @Test func adamFirstStepMovesByTheLearningRate() throws {
        // With bias correction, Adam's first step is lr * g / (|g| + epsilon') ≈ lr * sign(g).
        let w = Variable(Tensor([1, 1, 1]))
        let optimizer = try Adam(learningRate: 0.01)
        try optimizer.apply(gradients: [Tensor([3, -0.5, 100])], to: [w])
        expectClose(w.value, [0.99, 1.01, 0.99], tolerance: 1e-6)
        let momentum = try #require(optimizer.slot("momentum", for: w))
        let velocity = try #require(optimizer.slot("velocity", for: w))
        expectClose(momentum.value, [0.3, -0.05, 10])
        expectClose(velocity.value, [0.009, 0.00025, 10])
        #expect(!momentum.trainable && !velocity.trainable)
    }

    @Test func adagradStartsFromItsInitialAccumulator() throws {
        let w = Variable(Tensor([0]))
        let optimizer = try Adagrad(learningRate: 1, initialAccumulatorValue: 3, epsilon: 0)
        try optimizer.apply(gradients: [Tensor([1])], to: [w])
        // a = 3 + 1 = 4; w = 0 - 1 * 1 / sqrt(4).
        #expect(w.value.scalars == [-0.5])
        #expect(optimizer.slot("accumulator", for: w)?.value.scalars == [4])
    }

    @Test func nilGradientsSkipTheirVariable() throws {
        let a = Variable(Tensor([1, 2]), name: "a"), b = Variable(Tensor([3]), name: "b")
        let optimizer = try RMSprop(learningRate: 0.1, momentum: 0.5, centered: true)
        try optimizer.apply(gradients: [Tensor([1, 1]), nil], to: [a, b])
        #expect(b.value.scalars == [3])
        #expect(optimizer.slot("velocity", for: b) == nil)
        try optimizer.apply(gradients: [Tensor([1, 1]), Tensor([1])], to: [a, b])
        let velocity = try #require(optimizer.slot("velocity", for: b)).value
        try optimizer.apply(gradients: [Tensor([1, 1]), nil], to: [a, b])
        #expect(optimizer.slot("velocity", for: b)?.value == velocity)
        #expect(optimizer.iterations == 3)
        try optimizer.applyGradients([(gradient: nil, variable: a), (gradient: Tensor([2]), variable: b)])
        #expect(optimizer.iterations == 4)
    }

    @Test func weightDecayIsDecoupledAndCanExcludeVariables() throws {
        let gradient = Tensor([0.5, -0.25, 1])
        let start = Tensor([1, -2, 3])
        let decayed = Variable(start, name: "dense/kernel")
        let byVariable = Variable(start, name: "dense/kernel_2")
        let byName = Variable(start, name: "dense/bias")
        let plainReference = Variable(start)
        let optimizer = try AdamW(learningRate: 0.1, weightDecay: 0.5)
        optimizer.excludeFromWeightDecay(variables: [byVariable], names: ["bias"])
        #expect(optimizer.appliesWeightDecay(to: decayed))
        #expect(!optimizer.appliesWeightDecay(to: byVariable) && !optimizer.appliesWeightDecay(to: byName))
        let plain = try Adam(learningRate: 0.1)
        for _ in 0..<3 {
            try optimizer.apply(gradients: [gradient, gradient, gradient], to: [decayed, byVariable, byName])
            try plain.apply(gradients: [gradient], to: [plainReference])
        }
        #expect(byVariable.value == plainReference.value)
        #expect(byName.value == plainReference.value)
        #expect(decayed.value != plainReference.value)

        // One step by hand: decay first (w - w * wd * lr), then Adam's step of about lr * sign(g).
        let single = Variable(Tensor([2]))
        try AdamW(learningRate: 0.1, weightDecay: 0.5, epsilon: 0).apply(gradients: [Tensor([4])], to: [single])
        expectClose(single.value, [2 - 2 * 0.5 * 0.1 - 0.1], tolerance: 1e-6)
        #expect(try Adam().appliesWeightDecay(to: single) == false)
    }

    @Test func updatesHappenInPlace() throws {
        let w = Variable(Tensor(zeros: [64, 32]))
        let optimizer = try Nadam(learningRate: 0.01)
        let gradient = randomTensor([64, 32], seed: 3)
        try optimizer.apply(gradients: [gradient], to: [w])
        let address = w.updateInPlace { UInt(bitPattern: $0.baseAddress) }
        let momentumAddress = try #require(optimizer.slot("momentum", for: w)).updateInPlace { UInt(bitPattern: $0.baseAddress) }
        for _ in 0..<5 { try optimizer.apply(gradients: [gradient], to: [w]) }
        #expect(w.updateInPlace { UInt(bitPattern: $0.baseAddress) } == address)
        #expect(try #require(optimizer.slot("momentum", for: w)).updateInPlace { UInt(bitPattern: $0.baseAddress) } == momentumAddress)
    }

    @Test func updatesAreNotRecordedOnATape() throws {
        let w = Variable(Tensor([1, 2, 3]), name: "w")
        let optimizer = try Adam(learningRate: 0.1, globalClipnorm: 1)
        let tape = GradientTape(persistent: true)
        let lossAfter = try tape.record {
            let loss = (w.value * w.value).sum()
            let gradient = try #require(try tape.gradient(of: loss, wrt: w))
            #expect(gradient.scalars == [2, 4, 6])
            try optimizer.apply(gradients: [gradient], to: [w])
            return (w.value * w.value).sum()
        }
        // Only the model variable was watched: the optimizer read no trainable variable and its slots
        // are not trainable; the updated value is an ordinary new value for the tape.
        #expect(tape.watchedVariables.map(\.name) == ["w"])
        #expect(w.value.scalars != [1, 2, 3])
        let gradient = try #require(try tape.gradient(of: lossAfter, wrt: w))
        #expect(gradient.scalars == (2 * w.value).scalars)
    }

    @Test func variablesMayJoinLater() throws {
        let a = Variable(Tensor([1])), b = Variable(Tensor([1]))
        let optimizer = try Adam(learningRate: 0.1)
        try optimizer.apply(gradients: [Tensor([1])], to: [a])
        try optimizer.apply(gradients: [Tensor([1]), Tensor([1])], to: [a, b])
        #expect(optimizer.slot("momentum", for: b) != nil)
        #expect(b.value.scalars[0] < 1)
    }

    @Test func clippingByNormValueAndGlobalNorm() throws {
        let byNorm = try GradientClipping(clipnorm: 1)
        #expect(byNorm == .byNorm(1) && byNorm.clipnorm == 1 && byNorm.clipvalue == nil)
        // A long gradient takes the vectorized sum: 10,003 elements of 0.01 have norm 0.01 * sqrt(10,003).
        let long = try GradientClipping(clipnorm: 0.5).clip([Tensor(repeating: 0.01, shape: [10_003])])[0]
        let expectedElement = Float(0.01 * 0.5 / (0.01 * Double(10_003).squareRoot()))
        let worst = try #require(long).scalars.map { abs($0 - expectedElement) / expectedElement }.max() ?? 1
        #expect(worst < 1e-5)
        let clipped = byNorm.clip([Tensor([3, 4]), Tensor([0.3, 0.4]), nil, Tensor([0, 0])])
        expectClose(try #require(clipped[0]), [0.6, 0.8], tolerance: 1e-7)
        #expect(clipped[1]?.scalars == [0.3, 0.4])
        #expect(clipped[2] == nil)
        #expect(clipped[3]?.scalars == [0, 0])

        let byValue = try GradientClipping(clipvalue: 0.5)
        let values = byValue.clip([Tensor([-2, -0.25, 0.5, 7, .nan])])[0]?.scalars ?? []
        #expect(Array(values.prefix(4)) == [-0.5, -0.25, 0.5, 0.5])
        #expect(values.last?.isNaN == true)

        let global = try GradientClipping(globalClipnorm: 1)
        let both = global.clip([Tensor([3]), nil, Tensor([4])])
        expectClose(try #require(both[0]), [0.6], tolerance: 1e-7)
        expectClose(try #require(both[2]), [0.8], tolerance: 1e-7)
        #expect(global.clip([Tensor([0.3]), Tensor([0.4])]).map { $0?.scalars } == [[0.3], [0.4]])
        // A non-finite global norm poisons every gradient, as in Keras.
        #expect(global.clip([Tensor([.infinity]), Tensor([1])])[1]?.scalars.first?.isNaN == true)

        #expect(try GradientClipping() == .none)
        #expect(GradientClipping.none.clip([Tensor([100])])[0]?.scalars == [100])
    }

    @Test func schedulesByHand() throws {
        let exponential = try ExponentialDecay(initialLearningRate: 1, decaySteps: 10, decayRate: 0.5, staircase: true)
        #expect([0, 9, 10, 25].map { exponential($0) } == [1, 1, 0.5, 0.25])
        let piecewise = try PiecewiseConstantDecay(boundaries: [100, 200], values: [1, 0.5, 0.1])
        #expect([0, 100, 101, 200, 201, 10_000].map { piecewise($0) } == [1, 1, 0.5, 0.5, 0.1, 0.1])
        let cosine = try CosineDecay(initialLearningRate: 1, decaySteps: 100, alpha: 0.2)
        #expect(cosine(0) == 1)
        expectClose(Tensor(cosine(50)), [0.6], tolerance: 1e-6)
        #expect(cosine(100) == 0.2 && cosine(1000) == 0.2)
        let warm = try CosineDecay(initialLearningRate: 0, decaySteps: 10, warmupTarget: 1, warmupSteps: 4)
        #expect([0, 1, 2, 4].map { warm($0) } == [0, 0.25, 0.5, 1])
        #expect(warm(14) == 0 && warm(100) == 0)
        let rate: LearningRate = 0.5
        #expect(rate.value(atStep: 1000) == 0.5)
        #expect(LearningRate.schedule(piecewise).value(atStep: 150) == 0.5)
    }

    @Test func largeVariablesTrainAndStayFinite() throws {
        // A 784x300 kernel with Adam for a few steps: exercises the fused loop at MLP sizes.
        let w = Variable(randomTensor([784, 300], seed: 11))
        let optimizer = try Adam(learningRate: 0.001)
        let gradient = randomTensor([784, 300], seed: 12)
        for _ in 0..<5 { try optimizer.apply(gradients: [gradient], to: [w]) }
        #expect(w.value.allFinite)
        #expect(optimizer.iterations == 5)
    }
}
