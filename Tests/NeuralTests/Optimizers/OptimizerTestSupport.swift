import Neural
import Testing

/// The Swift twin of each Keras reference case, built through the public initializers.
enum ReferenceOptimizers {
    static func make(_ name: String) throws -> Optimizer? {
        switch name {
        case "sgd": return try SGD(learningRate: 0.1)
        case "sgd_momentum": return try SGD(learningRate: 0.1, momentum: 0.9)
        case "sgd_nesterov": return try SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
        case "sgd_weight_decay": return try SGD(learningRate: 0.1, weightDecay: 0.05)
        case "sgd_learning_rate_change": return try SGD(learningRate: 0.1)
        case "adam": return try Adam(learningRate: 0.1)
        case "adam_amsgrad": return try Adam(learningRate: 0.1, amsgrad: true)
        case "adam_custom": return try Adam(learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-3)
        case "adam_none_gradient": return try Adam(learningRate: 0.1)
        case "adamw": return try AdamW(learningRate: 0.1, weightDecay: 0.05)
        case "adamw_default_decay": return try AdamW(learningRate: 0.1)
        case "adamw_amsgrad": return try AdamW(learningRate: 0.1, weightDecay: 0.05, amsgrad: true)
        case "nadam": return try Nadam(learningRate: 0.1)
        case "nadam_custom": return try Nadam(learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-3)
        case "nadam_weight_decay": return try Nadam(learningRate: 0.1, weightDecay: 0.05)
        case "rmsprop_epsilon": return try RMSprop(learningRate: 0.05, epsilon: 0.01)
        case "rmsprop_weight_decay": return try RMSprop(learningRate: 0.05, weightDecay: 0.05)
        case "adagrad_weight_decay": return try Adagrad(learningRate: 0.2, weightDecay: 0.05)
        case "rmsprop": return try RMSprop(learningRate: 0.05)
        case "rmsprop_centered": return try RMSprop(learningRate: 0.05, centered: true)
        case "rmsprop_momentum": return try RMSprop(learningRate: 0.05, momentum: 0.9)
        case "rmsprop_centered_momentum":
            return try RMSprop(learningRate: 0.05, rho: 0.8, momentum: 0.5, centered: true)
        case "adagrad": return try Adagrad(learningRate: 0.2)
        case "adagrad_initial_accumulator":
            return try Adagrad(learningRate: 0.2, initialAccumulatorValue: 0.5, epsilon: 1e-3)
        case "clipnorm": return try SGD(learningRate: 0.1, clipnorm: 1.0)
        case "clipvalue": return try SGD(learningRate: 0.1, clipvalue: 0.5)
        case "global_clipnorm": return try SGD(learningRate: 0.1, globalClipnorm: 2.0)
        case "adam_global_clipnorm_none_gradient": return try Adam(learningRate: 0.1, globalClipnorm: 1.0)
        case "exponential_decay", "exponential_decay_staircase", "piecewise_constant_decay",
             "cosine_decay", "cosine_decay_warmup":
            guard let schedule = try schedule(name) else { return nil }
            return try SGD(learningRate: .schedule(schedule))
        case "adam_exponential_decay":
            return try Adam(learningRate: .schedule(try ExponentialDecay(initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5)))
        default: return nil
        }
    }

    static func schedule(_ name: String) throws -> (any LearningRateSchedule)? {
        switch name {
        case "exponential_decay":
            return try ExponentialDecay(initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5)
        case "exponential_decay_staircase":
            return try ExponentialDecay(initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5, staircase: true)
        case "exponential_decay_slow":
            return try ExponentialDecay(initialLearningRate: 0.01, decaySteps: 1000, decayRate: 0.96)
        case "piecewise_constant_decay":
            return try PiecewiseConstantDecay(boundaries: [1, 3], values: [0.1, 0.05, 0.01])
        case "cosine_decay":
            return try CosineDecay(initialLearningRate: 0.1, decaySteps: 4, alpha: 0.1)
        case "cosine_decay_warmup":
            return try CosineDecay(initialLearningRate: 0, decaySteps: 3, alpha: 0, warmupTarget: 0.1, warmupSteps: 2)
        case "cosine_decay_long":
            return try CosineDecay(initialLearningRate: 0.001, decaySteps: 10000)
        default: return nil
        }
    }
}

/// The two variables of the reference runs, at their starting values.
func referenceVariables() -> (matrix: Variable, vector: Variable) {
    (Variable(Tensor(shape: KerasOptimizerReference.matrixShape, scalars: KerasOptimizerReference.initialMatrix), name: "matrix"),
     Variable(Tensor(KerasOptimizerReference.initialVector), name: "vector"))
}

/// `g = 2 * v + c` in Float32, as the reference script computes it.
func referenceGradients(_ matrix: Variable, _ vector: Variable) -> (Tensor, Tensor) {
    let offsetMatrix = Tensor(shape: KerasOptimizerReference.matrixShape, scalars: KerasOptimizerReference.offsetMatrix)
    let offsetVector = Tensor(KerasOptimizerReference.offsetVector)
    return (2 * matrix.value + offsetMatrix, 2 * vector.value + offsetVector)
}

/// One reference step: gradients from the current values, the vector's dropped on the case's `nil` steps.
func referenceStep(
    _ optimizer: Optimizer, _ matrix: Variable, _ vector: Variable, step: Int, case reference: KerasOptimizerReference.Case
) throws {
    if let change = reference.setLearningRate, change.step == step { try optimizer.setLearningRate(change.value) }
    let (gMatrix, gVector) = referenceGradients(matrix, vector)
    let vectorGradient: Tensor? = reference.noneVectorSteps.contains(step) ? nil : gVector
    try optimizer.apply(gradients: [gMatrix, vectorGradient], to: [matrix, vector])
}

/// Runs a reference case and returns the learning rate used at each step and the values after it.
func runReference(
    _ optimizer: Optimizer, _ reference: KerasOptimizerReference.Case
) throws -> (learningRates: [Float], matrix: [[Float]], vector: [[Float]]) {
    let (matrix, vector) = referenceVariables()
    var rates: [Float] = [], matrices: [[Float]] = [], vectors: [[Float]] = []
    for step in 0..<KerasOptimizerReference.steps {
        if let change = reference.setLearningRate, change.step == step { try optimizer.setLearningRate(change.value) }
        rates.append(optimizer.currentLearningRate)
        try referenceStep(optimizer, matrix, vector, step: step, case: reference)
        matrices.append(matrix.value.scalars)
        vectors.append(vector.value.scalars)
    }
    return (rates, matrices, vectors)
}

/// The largest relative difference, `|a - e| / max(|e|, floor)`, over matching elements.
func maxRelativeError(_ actual: [[Float]], _ expected: [[Float]], floor: Float = 1e-30) -> Float {
    var worst: Float = 0
    for (rowA, rowE) in zip(actual, expected) {
        for (a, e) in zip(rowA, rowE) where a != e {
            worst = Swift.max(worst, abs(a - e) / Swift.max(abs(e), floor))
        }
    }
    return worst
}
