#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Normalizes each example over `axis` (default: its features) to zero mean and unit variance, then
/// scales by `gamma` and shifts by `beta` (Keras's `LayerNormalization`, Ba et al. 2016):
/// `(x - mean) / sqrt(variance + epsilon) · gamma + beta`, the same in training and inference.
///
/// When the normalized axes are the last ones (the usual case) each example is normalized in one
/// pass while it is in cache (statistics, then normalize-scale-shift), and so is its gradient; when an
/// outer tape records the backward pass (second derivatives) it is made of tensor ops instead. Other
/// axes, and `rmsScaling`, are computed with tensor ops throughout.
public final class LayerNormalization: Layer, ConfigurationRepresentable {
    /// The axes normalized together (default `[-1]`); `gamma` and `beta` span them.
    public let axis: [Int]
    /// Added to the variance before the square root (default 1e-3).
    public let epsilon: Float
    /// Whether `beta` is added.
    public let center: Bool
    /// Whether the output is multiplied by `gamma`.
    public let scale: Bool
    /// Keras's `rms_scaling`: ignore `center` and `scale`, and return `x / sqrt(variance + epsilon) · gamma`.
    public let rmsScaling: Bool
    /// How `beta` starts (zeros).
    public let betaInitializer: any Initializer
    /// How `gamma` starts (ones).
    public let gammaInitializer: any Initializer
    /// A penalty on `beta` added to the model's losses.
    public let betaRegularizer: (any Regularizer)?
    /// A penalty on `gamma`.
    public let gammaRegularizer: (any Regularizer)?
    /// Applied to `beta` after each update.
    public let betaConstraint: (any Constraint)?
    /// Applied to `gamma` after each update.
    public let gammaConstraint: (any Constraint)?

    /// The learned scale, shaped like the normalized axes, when ``scale`` or ``rmsScaling``.
    public private(set) var gamma: Variable?
    /// The learned offset, shaped like the normalized axes, when ``center`` (and not ``rmsScaling``).
    public private(set) var beta: Variable?

    private var normalizedAxes: [Int] = []
    private var builtShape: [Int] = []

    /// Creates the layer with Keras's defaults; its weights are made on the first call.
    public init(
        axis: [Int] = [-1], epsilon: Float = 1e-3, center: Bool = true, scale: Bool = true, rmsScaling: Bool = false,
        betaInitializer: any Initializer = Zeros(), gammaInitializer: any Initializer = Ones(),
        betaRegularizer: (any Regularizer)? = nil, gammaRegularizer: (any Regularizer)? = nil,
        betaConstraint: (any Constraint)? = nil, gammaConstraint: (any Constraint)? = nil,
        inputShape: [Int]? = nil, name: String? = nil
    ) {
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rmsScaling = rmsScaling
        self.betaInitializer = betaInitializer
        self.gammaInitializer = gammaInitializer
        self.betaRegularizer = betaRegularizer
        self.gammaRegularizer = gammaRegularizer
        self.betaConstraint = betaConstraint
        self.gammaConstraint = gammaConstraint
        super.init(name: name, inputShape: inputShape)
    }

    /// Creates the layer normalizing over one axis.
    public convenience init(axis: Int, epsilon: Float = 1e-3, center: Bool = true, scale: Bool = true, name: String? = nil) {
        self.init(axis: [axis], epsilon: epsilon, center: center, scale: scale, name: name)
    }

    /// Makes `gamma` and `beta`, shaped like the normalized axes.
    /// - Throws: ``LayerError/invalidArgument(layer:message:)`` for an epsilon that is not positive, no
    ///   axes, an axis out of range, repeated, or the batch axis.
    public override func build(inputShape: [Int]) throws {
        guard epsilon > 0 && epsilon.isFinite else {
            throw LayerError.invalidArgument(layer: name, message: "epsilon must be positive, got \(epsilon)")
        }
        let rank = inputShape.count
        let resolved = axis.compactMap { try? Tensor.normalizedAxis($0, rank: rank, op: name) }.sorted()
        guard !axis.isEmpty, resolved.count == axis.count, Set(resolved).count == resolved.count,
              !resolved.contains(0) else {
            throw LayerError.invalidArgument(
                layer: name,
                message: "axis \(axis) must name distinct non-batch axes of inputs of shape \(inputShape)")
        }
        normalizedAxes = resolved
        builtShape = inputShape
        let parameterShape = resolved.map { inputShape[$0] }
        if scale || rmsScaling {
            gamma = addWeight(name: "gamma", shape: parameterShape, initializer: gammaInitializer,
                              regularizer: gammaRegularizer, constraint: gammaConstraint)
        }
        if center && !rmsScaling {
            beta = addWeight(name: "beta", shape: parameterShape, initializer: betaInitializer,
                             regularizer: betaRegularizer, constraint: betaConstraint)
        }
    }

    /// The normalized input.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` when the rank or the sizes of
    ///   the normalized axes differ from those the layer was built with.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard !normalizedAxes.isEmpty else { throw LayerError.notBuilt(layer: name, what: "call") }
        guard input.rank == builtShape.count, normalizedAxes.allSatisfy({ input.shape[$0] == builtShape[$0] }) else {
            let expected = builtShape.indices.map { normalizedAxes.contains($0) ? "\(builtShape[$0])" : "_" }
            throw LayerError.incompatibleInput(
                layer: name, expected: "[" + expected.joined(separator: ", ") + "]", got: input.shape)
        }
        let trailing = normalizedAxes == Array((input.rank - normalizedAxes.count)..<input.rank)
        if trailing && !rmsScaling && input.scalarCount > 0 {
            return fusedForward(input)
        }
        return tensorOpForward(input)
    }

    /// The normalized axes are the last ones: rows of `width` elements.
    private func fusedForward(_ x: Tensor) -> Tensor {
        let axes = normalizedAxes, epsilon = epsilon
        let parameterShape = axes.map { x.shape[$0] }
        let width = parameterShape.reduce(1, *), rows = x.scalarCount / width
        let gammaValue = gamma?.value, betaValue = beta?.value
        let recording = Tensor.isRecording
        let (result, cachedNormalized, inverseDeviation) = NormalizationKernels.rowNormalize(
            x, rows: rows, width: width, epsilon: epsilon, gamma: gammaValue, beta: betaValue, keepNormalized: recording)
        if recording, let cachedNormalized {
            let inputs = [x] + [gammaValue, betaValue].compactMap { $0 }
            let hasGamma = gammaValue != nil, hasBeta = betaValue != nil
            result.record(inputs: inputs) { g, needed in
                guard Tensor.isRecording else {
                    // First order only: one sweep per row with the forward pass's normalized input.
                    let (dx, sumProjection, sumG) = NormalizationKernels.rowBackward(
                        upstream: g, normalized: cachedNormalized, rows: rows, width: width, gamma: gammaValue,
                        inverseDeviation: inverseDeviation)
                    var gradients: [Tensor?] = [needed[0] ? dx : nil]
                    if hasGamma {
                        gradients.append(needed[gradients.count] ? Tensor(shape: parameterShape, scalars: sumProjection) : nil)
                    }
                    if hasBeta { gradients.append(needed[gradients.count] ? Tensor(shape: parameterShape, scalars: sumG) : nil) }
                    return gradients
                }
                // An outer tape records this backward pass (second derivatives): tensor ops, with the
                // statistics rebuilt from x so that the tape sees how they depend on it.
                let (mean, variance) = x.moments(alongAxes: axes, keepDims: true)
                let inverse = (variance + epsilon).rsqrt()
                let normalized = (x - mean) * inverse
                var gradients: [Tensor?] = []
                if needed[0] {
                    let scaled = gammaValue.map { g * $0 } ?? g
                    let meanScaled = scaled.mean(alongAxes: axes, keepDims: true)
                    let meanProjection = (scaled * normalized).mean(alongAxes: axes, keepDims: true)
                    gradients.append((scaled - meanScaled - normalized * meanProjection) * inverse)
                } else {
                    gradients.append(nil)
                }
                if hasGamma {
                    gradients.append(needed[gradients.count] ? (g * normalized).sum(toShape: parameterShape) : nil)
                }
                if hasBeta { gradients.append(needed[gradients.count] ? g.sum(toShape: parameterShape) : nil) }
                return gradients
            }
        }
        return result
    }

    /// Any axes, and RMS scaling: tensor ops, differentiated by the tape.
    private func tensorOpForward(_ x: Tensor) -> Tensor {
        let broadcastShape = x.shape.indices.map { normalizedAxes.contains($0) ? x.shape[$0] : 1 }
        let (mean, variance) = x.moments(alongAxes: normalizedAxes, keepDims: true)
        let inverse = (variance + epsilon).rsqrt()
        var output = rmsScaling ? x * inverse : (x - mean) * inverse
        if let gamma { output = output * gamma.value.reshaped(to: broadcastShape) }
        if let beta { output = output + beta.value.reshaped(to: broadcastShape) }
        return output
    }

    // MARK: - Configuration

    /// `"LayerNormalization"`.
    public static let typeName = "LayerNormalization"

    /// Axis, epsilon, center, scale, RMS scaling, initializers, regularizers and constraints, as Keras
    /// saves them (one axis as an integer, several as a list).
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["axis"] = axis.count == 1 ? .int(axis[0]) : .array(axis.map { .int($0) })
        configuration["epsilon"] = JSONValue(epsilon)
        configuration["center"] = .bool(center)
        configuration["scale"] = .bool(scale)
        configuration["rms_scaling"] = .bool(rmsScaling)
        configuration["beta_initializer"] = serialize(betaInitializer)
        configuration["gamma_initializer"] = serialize(gammaInitializer)
        configuration["beta_regularizer"] = betaRegularizer.map(serialize) ?? .null
        configuration["gamma_regularizer"] = gammaRegularizer.map(serialize) ?? .null
        configuration["beta_constraint"] = betaConstraint.map(serialize) ?? .null
        configuration["gamma_constraint"] = gammaConstraint.map(serialize) ?? .null
        return configuration
    }

    /// Rebuilds a saved layer; absent keys take Keras's defaults.
    /// - Throws: ``ConfigurationError`` naming the key at fault.
    public convenience init(configuration: Configuration) throws {
        // Typed as the protocol, so that `deserialize` looks for any initializer, not these types.
        let zeros: any Initializer = Zeros(), ones: any Initializer = Ones()
        self.init(
            axis: try configuration.axes("axis", in: Self.typeName, default: [-1]),
            epsilon: try configuration.float("epsilon", in: Self.typeName, default: 1e-3),
            center: configuration["center"]?.boolValue ?? true,
            scale: configuration["scale"]?.boolValue ?? true,
            rmsScaling: configuration["rms_scaling"]?.boolValue ?? false,
            betaInitializer: try deserialize(configuration["beta_initializer"], default: zeros),
            gammaInitializer: try deserialize(configuration["gamma_initializer"], default: ones),
            betaRegularizer: try deserializeOptional(configuration["beta_regularizer"], as: (any Regularizer).self),
            gammaRegularizer: try deserializeOptional(configuration["gamma_regularizer"], as: (any Regularizer).self),
            betaConstraint: try deserializeOptional(configuration["beta_constraint"], as: (any Constraint).self),
            gammaConstraint: try deserializeOptional(configuration["gamma_constraint"], as: (any Constraint).self),
            name: configuration["name"]?.stringValue)
        trainable = configuration["trainable"]?.boolValue ?? true
    }
}
