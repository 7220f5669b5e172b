import Neural
import Testing

/// Invalid hyperparameters and misuse give typed errors with actionable messages.
@Suite struct OptimizerValidationTests {
    private func invalid(_ owner: String, _ name: String, _ value: String, _ requirement: String) -> OptimizerError {
        .invalidHyperparameter(owner: owner, name: name, value: value, requirement: requirement)
    }

    @Test func learningRatesMustBeFiniteAndNonNegative() {
        #expect(throws: invalid("sgd", "learningRate", "-0.1", "finite and >= 0")) { try SGD(learningRate: -0.1) }
        #expect(throws: invalid("adam", "learningRate", "nan", "finite and >= 0")) { try Adam(learningRate: .constant(.nan)) }
        #expect(throws: invalid("rmsprop", "learningRate", "inf", "finite and >= 0")) {
            try RMSprop(learningRate: .constant(.infinity))
        }
        #expect(throws: Never.self) { try Adagrad(learningRate: 0) }
    }

    @Test func momentsAndDecaysMustBeInRange() {
        #expect(throws: invalid("adam", "beta1", "1.0", "in [0, 1)")) { try Adam(beta1: 1) }
        #expect(throws: invalid("adam_w", "beta2", "-0.1", "in [0, 1)")) { try AdamW(beta2: -0.1) }
        #expect(throws: invalid("nadam", "beta1", "1.5", "in [0, 1)")) { try Nadam(beta1: 1.5) }
        #expect(throws: invalid("adam", "epsilon", "-1e-07", "finite and >= 0")) { try Adam(epsilon: -1e-7) }
        #expect(throws: invalid("sgd", "momentum", "1.5", "in [0, 1]")) { try SGD(momentum: 1.5) }
        #expect(throws: invalid("sgd", "momentum", "-0.5", "in [0, 1]")) { try SGD(momentum: -0.5) }
        #expect(throws: invalid("rmsprop", "rho", "1.0", "in [0, 1)")) { try RMSprop(rho: 1) }
        #expect(throws: invalid("rmsprop", "momentum", "2.0", "in [0, 1]")) { try RMSprop(momentum: 2) }
        #expect(throws: invalid("adagrad", "initialAccumulatorValue", "-0.1", "finite and >= 0")) {
            try Adagrad(initialAccumulatorValue: -0.1)
        }
        #expect(throws: invalid("adam_w", "weightDecay", "-0.01", "finite and >= 0")) { try AdamW(weightDecay: -0.01) }
        #expect(throws: invalid("sgd", "weightDecay", "nan", "finite and >= 0")) { try SGD(weightDecay: .nan) }
        #expect(throws: Never.self) { try SGD(momentum: 1) }
        #expect(throws: Never.self) { try Adam(beta1: 0, beta2: 0) }
    }

    @Test func onlyOneClippingAndItMustBePositive() {
        #expect(throws: OptimizerError.conflictingClipping(clipnorm: 1, clipvalue: 0.5, globalClipnorm: nil)) {
            try SGD(clipnorm: 1, clipvalue: 0.5)
        }
        #expect(throws: OptimizerError.conflictingClipping(clipnorm: nil, clipvalue: 0.5, globalClipnorm: 2)) {
            try Adam(clipvalue: 0.5, globalClipnorm: 2)
        }
        let requirement = "finite and > 0 (pass nil for no clipping)"
        #expect(throws: invalid("gradient clipping", "clipnorm", "0.0", requirement)) { try SGD(clipnorm: 0) }
        #expect(throws: invalid("gradient clipping", "clipvalue", "-1.0", requirement)) { try SGD(clipvalue: -1) }
        #expect(throws: invalid("gradient clipping", "globalClipnorm", "inf", requirement)) { try SGD(globalClipnorm: .infinity) }
        let message = OptimizerError.conflictingClipping(clipnorm: 1, clipvalue: 0.5, globalClipnorm: nil).description
        #expect(message.contains("only one of clipnorm, clipvalue and globalClipnorm"))
        #expect(message.contains("clipnorm=1.0") && message.contains("clipvalue=0.5") && message.contains("globalClipnorm=nil"))
    }

    @Test func schedulesCheckTheirParameters() {
        #expect(throws: invalid("ExponentialDecay", "decaySteps", "0", "> 0")) {
            try ExponentialDecay(initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5)
        }
        #expect(throws: invalid("ExponentialDecay", "initialLearningRate", "-1.0", "finite and >= 0")) {
            try ExponentialDecay(initialLearningRate: -1, decaySteps: 10, decayRate: 0.5)
        }
        #expect(throws: invalid("PiecewiseConstantDecay", "values", "2 values", "one more than the boundaries (2 boundaries)")) {
            try PiecewiseConstantDecay(boundaries: [10, 20], values: [0.1, 0.01])
        }
        #expect(throws: invalid("PiecewiseConstantDecay", "boundaries", "[20, 10]", "strictly increasing")) {
            try PiecewiseConstantDecay(boundaries: [20, 10], values: [0.1, 0.01, 0.001])
        }
        #expect(throws: invalid("CosineDecay", "alpha", "1.5", "in [0, 1]")) {
            try CosineDecay(initialLearningRate: 0.1, decaySteps: 100, alpha: 1.5)
        }
        #expect(throws: invalid("CosineDecay", "warmupSteps", "-3", ">= 0")) {
            try CosineDecay(initialLearningRate: 0.1, decaySteps: 100, warmupTarget: 1, warmupSteps: -3)
        }
    }

    @Test func learningRateCanBeSetUnlessScheduled() throws {
        let constant = try SGD(learningRate: 0.1)
        try constant.setLearningRate(0.05)
        #expect(constant.currentLearningRate == 0.05)
        #expect(throws: invalid("sgd", "learningRate", "-1.0", "finite and >= 0")) { try constant.setLearningRate(-1) }
        #expect(constant.currentLearningRate == 0.05)

        let schedule = try ExponentialDecay(initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5)
        let scheduled = try Adam(learningRate: .schedule(schedule))
        #expect(throws: OptimizerError.learningRateIsScheduled(optimizer: "adam")) { try scheduled.setLearningRate(0.01) }
        #expect(OptimizerError.learningRateIsScheduled(optimizer: "adam").description.contains("constant learning rate"))

        // A schedule may replace a constant; it is read at the current step count.
        let (matrix, vector) = referenceVariables()
        let (g1, g2) = referenceGradients(matrix, vector)
        try constant.apply(gradients: [g1, g2], to: [matrix, vector])
        try constant.apply(gradients: [g1, g2], to: [matrix, vector])
        constant.setLearningRate(schedule)
        #expect(constant.currentLearningRate == 0.025)
    }

    @Test func applyRejectsMismatchedGradientsBeforeChangingAnything() throws {
        let (matrix, vector) = referenceVariables()
        let optimizer = try Adam(learningRate: 0.1)
        let (g1, g2) = referenceGradients(matrix, vector)
        let before = (matrix.value, vector.value)

        #expect(throws: OptimizerError.gradientCountMismatch(gradients: 1, variables: 2)) {
            try optimizer.apply(gradients: [g1], to: [matrix, vector])
        }
        #expect(throws: OptimizerError.gradientShapeMismatch(index: 1, variable: "vector", variableShape: [3], gradientShape: [2, 3])) {
            try optimizer.apply(gradients: [g1, g1], to: [matrix, vector])
        }
        #expect(throws: OptimizerError.noGradients(variables: ["matrix", "vector"])) {
            try optimizer.apply(gradients: [nil, nil], to: [matrix, vector])
        }
        #expect(optimizer.iterations == 0)
        #expect(matrix.value == before.0 && vector.value == before.1)
        #expect(optimizer.slot("momentum", for: matrix) == nil)

        // An empty list is a no-op, as in Keras.
        try optimizer.apply(gradients: [], to: [])
        #expect(optimizer.iterations == 0)
        try optimizer.apply(gradients: [g1, g2], to: [matrix, vector])
        #expect(optimizer.iterations == 1)

        let shapeMessage = OptimizerError.gradientShapeMismatch(
            index: 1, variable: "vector", variableShape: [3], gradientShape: [2, 3]).description
        #expect(shapeMessage.contains("[2, 3]") && shapeMessage.contains("'vector'"))
    }
}
