#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Normalizes each channel (the `axis` dimension) to zero mean and unit variance, then scales by
/// `gamma` and shifts by `beta` (Keras's `BatchNormalization`, Ioffe and Szegedy 2015).
///
/// While training (`training: true` and the layer ``trainable``) it uses the batch's mean and
/// population variance and updates the non-trainable moving statistics as Keras does:
/// `moving = moving · momentum + batch · (1 - momentum)`. Otherwise (evaluation, prediction, or a
/// frozen layer, as in Keras) it uses the moving statistics:
/// `gamma · (x - movingMean) / sqrt(movingVariance + epsilon) + beta`.
///
/// While training, the forward pass is two sweeps for the statistics (the mean, then the squared
/// deviations) and one fused normalize-scale-shift sweep; the gradient (through the batch statistics)
/// takes two more sweeps. When an outer tape records the backward pass (second derivatives), it is
/// made of tensor ops instead, so that it can be differentiated again.
///
/// ```swift
/// let model = Sequential([
///     Flatten(inputShape: [28, 28]),
///     BatchNormalization(),
///     Dense(units: 300, activation: .relu),
///     BatchNormalization(),
///     Dense(units: 10, activation: .softmax()),
/// ])
/// ```
public final class BatchNormalization: Layer, ConfigurationRepresentable {
    /// The channel axis that keeps its own statistics (default `-1`, the features).
    public let axis: Int
    /// The weight of the old moving statistics in each update, in [0, 1] (default 0.99).
    public let momentum: Float
    /// Added to the variance before the square root (default 1e-3).
    public let epsilon: Float
    /// Whether `beta` is added.
    public let center: Bool
    /// Whether the output is multiplied by `gamma`.
    public let scale: Bool
    /// How `beta` starts (zeros).
    public let betaInitializer: any Initializer
    /// How `gamma` starts (ones).
    public let gammaInitializer: any Initializer
    /// How the moving mean starts (zeros).
    public let movingMeanInitializer: any Initializer
    /// How the moving variance starts (ones).
    public let movingVarianceInitializer: any Initializer
    /// A penalty on `beta` added to the model's losses.
    public let betaRegularizer: (any Regularizer)?
    /// A penalty on `gamma`.
    public let gammaRegularizer: (any Regularizer)?
    /// Applied to `beta` after each update.
    public let betaConstraint: (any Constraint)?
    /// Applied to `gamma` after each update.
    public let gammaConstraint: (any Constraint)?

    /// The learned scale, `[channels]`, when ``scale``.
    public private(set) var gamma: Variable?
    /// The learned offset, `[channels]`, when ``center``.
    public private(set) var beta: Variable?
    /// The moving mean, `[channels]`, non-trainable.
    public private(set) var movingMean: Variable?
    /// The moving variance, `[channels]`, non-trainable.
    public private(set) var movingVariance: Variable?

    private var channelAxis = 0
    private var reductionAxes: [Int] = []
    private var builtRank = 0

    /// Creates the layer with Keras's defaults; its weights are made on the first call.
    public init(
        axis: Int = -1, momentum: Float = 0.99, epsilon: Float = 1e-3, center: Bool = true, scale: Bool = true,
        betaInitializer: any Initializer = Zeros(), gammaInitializer: any Initializer = Ones(),
        movingMeanInitializer: any Initializer = Zeros(), movingVarianceInitializer: any Initializer = Ones(),
        betaRegularizer: (any Regularizer)? = nil, gammaRegularizer: (any Regularizer)? = nil,
        betaConstraint: (any Constraint)? = nil, gammaConstraint: (any Constraint)? = nil,
        inputShape: [Int]? = nil, name: String? = nil
    ) {
        self.axis = axis
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.betaInitializer = betaInitializer
        self.gammaInitializer = gammaInitializer
        self.movingMeanInitializer = movingMeanInitializer
        self.movingVarianceInitializer = movingVarianceInitializer
        self.betaRegularizer = betaRegularizer
        self.gammaRegularizer = gammaRegularizer
        self.betaConstraint = betaConstraint
        self.gammaConstraint = gammaConstraint
        super.init(name: name, inputShape: inputShape)
    }

    /// Makes `gamma`, `beta`, the moving mean and the moving variance (in Keras's order), each of the
    /// size of the channel axis.
    /// - Throws: ``LayerError/invalidArgument(layer:message:)`` for a momentum outside [0, 1], an
    ///   epsilon that is not positive, or an axis that is out of range or the batch axis.
    public override func build(inputShape: [Int]) throws {
        guard momentum >= 0 && momentum <= 1 else {
            throw LayerError.invalidArgument(layer: name, message: "momentum must be in [0, 1], got \(momentum)")
        }
        guard epsilon > 0 && epsilon.isFinite else {
            throw LayerError.invalidArgument(layer: name, message: "epsilon must be positive, got \(epsilon)")
        }
        let rank = inputShape.count
        guard let normalized = try? Tensor.normalizedAxis(axis, rank: rank, op: name), normalized > 0 else {
            throw LayerError.invalidArgument(
                layer: name, message: "axis \(axis) must name a non-batch axis of inputs of shape \(inputShape)")
        }
        channelAxis = normalized
        builtRank = rank
        reductionAxes = (0..<rank).filter { $0 != normalized }
        let channels = inputShape[normalized]
        if scale {
            gamma = addWeight(name: "gamma", shape: [channels], initializer: gammaInitializer,
                              regularizer: gammaRegularizer, constraint: gammaConstraint)
        }
        if center {
            beta = addWeight(name: "beta", shape: [channels], initializer: betaInitializer,
                             regularizer: betaRegularizer, constraint: betaConstraint)
        }
        movingMean = addWeight(name: "moving_mean", shape: [channels], initializer: movingMeanInitializer, trainable: false)
        movingVariance = addWeight(name: "moving_variance", shape: [channels], initializer: movingVarianceInitializer,
                                   trainable: false)
    }

    /// The normalized input: with the batch statistics (and a moving-statistics update) while
    /// training a trainable layer, with the moving statistics otherwise.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` when the rank or the channel
    ///   count differs from the one the layer was built with.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard let movingMean, let movingVariance else { throw LayerError.notBuilt(layer: name, what: "call") }
        let channels = movingMean.shape[0]
        guard input.rank == builtRank, input.shape[channelAxis] == channels else {
            var expected = Array(repeating: "_", count: builtRank)
            if channelAxis < builtRank { expected[channelAxis] = "\(channels)" }
            throw LayerError.incompatibleInput(
                layer: name, expected: "[" + expected.joined(separator: ", ") + "]", got: input.shape)
        }
        if training && trainable && input.scalarCount > 0 {
            return trainingForward(input, channels: channels, movingMean: movingMean, movingVariance: movingVariance)
        }
        return inferenceForward(input, channels: channels, movingMean: movingMean.value,
                                movingVariance: movingVariance.value)
    }

    // MARK: - Forward passes

    /// The statistics' shape for broadcasting against the input: `[channels]` when the channel axis
    /// is the last one, otherwise the input shape with the other axes set to 1.
    private func statisticsShape(_ inputShape: [Int]) -> [Int] {
        channelAxis == inputShape.count - 1
            ? [inputShape[channelAxis]]
            : inputShape.indices.map { $0 == channelAxis ? inputShape[$0] : 1 }
    }

    private func trainingForward(_ x: Tensor, channels: Int, movingMean: Variable, movingVariance: Variable) -> Tensor {
        let layout = NormalizationKernels.ChannelLayout(shape: x.shape, axis: channelAxis)
        let (meanValues, varianceValues) = NormalizationKernels.channelMoments(x, layout: layout)
        let inverseDeviation = varianceValues.map { 1 / sqrtf($0 + epsilon) }
        let gammaValue = gamma?.value, betaValue = beta?.value
        let gammaValues = gammaValue?.scalars ?? [Float](repeating: 1, count: channels)
        let betaValues = betaValue?.scalars ?? [Float](repeating: 0, count: channels)
        var scaleValues = [Float](repeating: 0, count: channels), shiftValues = scaleValues
        var normalizedShift = scaleValues
        for c in 0..<channels {
            scaleValues[c] = gammaValues[c] * inverseDeviation[c]
            shiftValues[c] = betaValues[c] - meanValues[c] * scaleValues[c]
            normalizedShift[c] = -meanValues[c] * inverseDeviation[c]
        }
        let recording = Tensor.isRecording
        let (result, cachedNormalized) = NormalizationKernels.channelAffine(
            x, layout: layout, scale: scaleValues, shift: shiftValues,
            normalized: recording ? (inverseDeviation, normalizedShift) : nil)

        let keep = momentum
        movingMean.updateInPlace { moving in
            for c in 0..<channels { moving[c] = moving[c] * keep + meanValues[c] * (1 - keep) }
        }
        movingVariance.updateInPlace { moving in
            for c in 0..<channels { moving[c] = moving[c] * keep + varianceValues[c] * (1 - keep) }
        }

        if recording, let cachedNormalized {
            let statisticsShape = statisticsShape(x.shape)
            let keepDims = statisticsShape.count > 1
            let axes = reductionAxes, epsilon = epsilon, count = Float(x.scalarCount / channels)
            let inputs = [x] + [gammaValue, betaValue].compactMap { $0 }
            let hasGamma = gammaValue != nil, hasBeta = betaValue != nil
            let factorValues = scaleValues
            result.record(inputs: inputs) { g, needed in
                guard Tensor.isRecording else {
                    // First order only: two sweeps with the forward pass's normalized input.
                    let (dx, sumG, sumGX) = NormalizationKernels.channelBackward(
                        upstream: g, normalized: cachedNormalized, layout: layout, factor: factorValues)
                    var gradients: [Tensor?] = [needed[0] ? dx : nil]
                    if hasGamma { gradients.append(needed[gradients.count] ? Tensor(sumGX) : nil) }
                    if hasBeta { gradients.append(needed[gradients.count] ? Tensor(sumG) : nil) }
                    return gradients
                }
                // An outer tape records this backward pass (second derivatives): tensor ops, with the
                // statistics rebuilt from x so that the tape sees how they depend on it.
                let (mean, variance) = x.moments(alongAxes: axes, keepDims: keepDims)
                let inverse = (variance + epsilon).rsqrt()
                let normalized = (x - mean) * inverse
                let sumG = g.sum(alongAxes: axes, keepDims: keepDims)
                let sumGX = (g * normalized).sum(alongAxes: axes, keepDims: keepDims)
                var gradients: [Tensor?] = []
                if needed[0] {
                    let factor = gammaValue.map { $0.reshaped(to: statisticsShape) * inverse } ?? inverse
                    gradients.append((g - sumG / count - normalized * (sumGX / count)) * factor)
                } else {
                    gradients.append(nil)
                }
                if hasGamma { gradients.append(needed[gradients.count] ? sumGX.reshaped(to: [channels]) : nil) }
                if hasBeta { gradients.append(needed[gradients.count] ? sumG.reshaped(to: [channels]) : nil) }
                return gradients
            }
        }
        return result
    }

    private func inferenceForward(_ x: Tensor, channels: Int, movingMean: Tensor, movingVariance: Tensor) -> Tensor {
        let meanValues = movingMean.scalars
        let inverseDeviation = movingVariance.scalars.map { 1 / sqrtf($0 + epsilon) }
        let gammaValue = gamma?.value, betaValue = beta?.value
        let gammaValues = gammaValue?.scalars ?? [Float](repeating: 1, count: channels)
        let betaValues = betaValue?.scalars ?? [Float](repeating: 0, count: channels)
        var scaleValues = [Float](repeating: 0, count: channels), shiftValues = scaleValues
        for c in 0..<channels {
            scaleValues[c] = gammaValues[c] * inverseDeviation[c]
            shiftValues[c] = betaValues[c] - meanValues[c] * scaleValues[c]
        }
        let layout = NormalizationKernels.ChannelLayout(shape: x.shape, axis: channelAxis)
        let result = NormalizationKernels.channelAffine(x, layout: layout, scale: scaleValues, shift: shiftValues).output
        if Tensor.isRecording {
            let statisticsShape = statisticsShape(x.shape)
            let keepDims = statisticsShape.count > 1
            let axes = reductionAxes
            let inverse = Tensor(shape: statisticsShape, scalars: inverseDeviation)
            let center = movingMean.reshaped(to: statisticsShape)
            let inputs = [x] + [gammaValue, betaValue].compactMap { $0 }
            let hasGamma = gammaValue != nil, hasBeta = betaValue != nil
            result.record(inputs: inputs) { g, needed in
                // The moving statistics are constants here: the map is affine in x.
                var gradients: [Tensor?] = []
                if needed[0] {
                    let factor = gammaValue.map { $0.reshaped(to: statisticsShape) * inverse } ?? inverse
                    gradients.append(g * factor)
                } else {
                    gradients.append(nil)
                }
                if hasGamma {
                    gradients.append(needed[gradients.count]
                        ? (g * ((x - center) * inverse)).sum(alongAxes: axes, keepDims: keepDims).reshaped(to: [channels])
                        : nil)
                }
                if hasBeta {
                    gradients.append(needed[gradients.count]
                        ? g.sum(alongAxes: axes, keepDims: keepDims).reshaped(to: [channels]) : nil)
                }
                return gradients
            }
        }
        return result
    }

    // MARK: - Configuration

    /// `"BatchNormalization"`.
    public static let typeName = "BatchNormalization"

    /// Axis, momentum, epsilon, center, scale, initializers, regularizers and constraints, as Keras
    /// saves them (`synchronized` is always false: there is one device).
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["axis"] = .int(axis)
        configuration["momentum"] = JSONValue(momentum)
        configuration["epsilon"] = JSONValue(epsilon)
        configuration["center"] = .bool(center)
        configuration["scale"] = .bool(scale)
        configuration["beta_initializer"] = serialize(betaInitializer)
        configuration["gamma_initializer"] = serialize(gammaInitializer)
        configuration["moving_mean_initializer"] = serialize(movingMeanInitializer)
        configuration["moving_variance_initializer"] = serialize(movingVarianceInitializer)
        configuration["beta_regularizer"] = betaRegularizer.map(serialize) ?? .null
        configuration["gamma_regularizer"] = gammaRegularizer.map(serialize) ?? .null
        configuration["beta_constraint"] = betaConstraint.map(serialize) ?? .null
        configuration["gamma_constraint"] = gammaConstraint.map(serialize) ?? .null
        configuration["synchronized"] = .bool(false)
        return configuration
    }

    /// Rebuilds a saved layer; absent keys take Keras's defaults.
    /// - Throws: ``ConfigurationError`` naming the key at fault.
    public convenience init(configuration: Configuration) throws {
        let axes = try configuration.axes("axis", in: Self.typeName, default: [-1])
        guard axes.count == 1 else {
            throw configuration.invalid("axis", in: Self.typeName, expected: "a single integer")
        }
        // Typed as the protocol, so that `deserialize` looks for any initializer, not these types.
        let zeros: any Initializer = Zeros(), ones: any Initializer = Ones()
        self.init(
            axis: axes[0],
            momentum: try configuration.float("momentum", in: Self.typeName, default: 0.99),
            epsilon: try configuration.float("epsilon", in: Self.typeName, default: 1e-3),
            center: configuration["center"]?.boolValue ?? true,
            scale: configuration["scale"]?.boolValue ?? true,
            betaInitializer: try deserialize(configuration["beta_initializer"], default: zeros),
            gammaInitializer: try deserialize(configuration["gamma_initializer"], default: ones),
            movingMeanInitializer: try deserialize(configuration["moving_mean_initializer"], default: zeros),
            movingVarianceInitializer: try deserialize(configuration["moving_variance_initializer"], default: ones),
            betaRegularizer: try deserializeOptional(configuration["beta_regularizer"], as: (any Regularizer).self),
            gammaRegularizer: try deserializeOptional(configuration["gamma_regularizer"], as: (any Regularizer).self),
            betaConstraint: try deserializeOptional(configuration["beta_constraint"], as: (any Constraint).self),
            gammaConstraint: try deserializeOptional(configuration["gamma_constraint"], as: (any Constraint).self),
            name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
    }
}
