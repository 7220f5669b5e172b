/// A loss function with Keras 3 semantics: per-sample losses, optional sample weights, and a reduction.
///
/// Conforming types compute one loss per sample in ``perSampleLoss(yTrue:yPred:)`` (Keras's `call`);
/// calling the loss (``callAsFunction(yTrue:yPred:sampleWeight:)``) first matches the ranks of the
/// targets and predictions (``Losses/squeezeOrExpandToSameRank(_:_:expandRank1:)``), then weights the
/// per-sample losses and applies ``reduction``. Everything is written with recorded tensor ops, so the
/// result is differentiable through a ``GradientTape``.
///
/// A custom loss with a saved hyperparameter (the seed's `HuberLoss`) is a type conforming to `Loss`
/// whose ``ConfigurationRepresentable/configuration`` adds its own keys to ``baseConfiguration``;
/// register it with ``ObjectRegistry`` (Keras's `custom_objects`) so that a saved model can rebuild it:
///
/// ```swift
/// struct HuberLoss: Loss {
///     static let typeName = "HuberLoss"
///     var threshold: Float = 1
///     var name = "huber_loss"
///     var reduction = LossReduction.sumOverBatchSize
///     func perSampleLoss(yTrue: Tensor, yPred: Tensor) -> Tensor {
///         let error = yTrue - yPred
///         let linear = threshold * error.abs() - threshold * threshold / 2
///         return Tensor.where(error.abs() .< threshold, error.squared() / 2, linear)
///     }
///     var configuration: Configuration { baseConfiguration.merging(["threshold": .double(Double(threshold))]) { $1 } }
///     init(configuration: Configuration) throws {
///         threshold = Float(try configuration.double("threshold", in: Self.typeName))
///         (name, reduction) = try Losses.nameAndReduction(in: configuration, type: Self.typeName, defaultName: "huber_loss")
///     }
/// }
/// ObjectRegistry.shared.register(HuberLoss.self)
/// ```
public protocol Loss: ConfigurationRepresentable {
    /// The loss's name (Keras's `name`), e.g. `"sparse_categorical_crossentropy"`.
    var name: String { get }
    /// How per-sample losses are combined into the value a call returns.
    var reduction: LossReduction { get }
    /// The loss of each sample, before weighting and reduction (Keras's `call`).
    ///
    /// Built-in losses return the mean over the last axis where Keras does (so `[batch, k]` inputs give
    /// `[batch]`); a custom loss may return any shape that sample weights broadcast against.
    func perSampleLoss(yTrue: Tensor, yPred: Tensor) -> Tensor

    /// Checks, before training, that `yTrue` (all the targets of one output, samples first) can be
    /// compared with predictions of shape `predictionShape` (samples first): what `fit` and
    /// `evaluate` call once per call, so that labels or shapes that do not fit end in an error instead
    /// of a trap in ``perSampleLoss(yTrue:yPred:)``. The built-in losses check shapes, and sparse
    /// categorical cross-entropy its labels (one pass); the default accepts anything, since a custom
    /// loss knows its own inputs.
    ///
    /// - Throws: ``TargetError`` naming the loss and what does not fit.
    func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError)
}

/// How a ``Loss`` reduces the weighted per-sample losses (Keras's `reduction` argument).
public enum LossReduction: String, Sendable, CaseIterable, Equatable {
    /// The sum of the weighted losses divided by their number of elements (not by the sum of the
    /// weights): Keras's default, `"sum_over_batch_size"` (alias `"mean"`).
    case sumOverBatchSize = "sum_over_batch_size"
    /// The sum of the weighted losses.
    case sum = "sum"
    /// No reduction: the weighted per-sample losses.
    case none = "none"
    /// The sum of the weighted losses divided by the sum of the sample weights (the weighted mean);
    /// without weights, the same as ``sumOverBatchSize``.
    case meanWithSampleWeight = "mean_with_sample_weight"

    /// Reads a reduction from a configuration value: a Keras name (`"sum_over_batch_size"`, `"mean"`,
    /// `"sum"`, `"none"`, `"mean_with_sample_weight"`, or Keras 2's `"auto"`) or `null` (no reduction);
    /// absent means the default.
    ///
    /// - Throws: ``ConfigurationError/invalidValue(type:key:expected:found:)`` for anything else.
    public init(configurationValue value: JSONValue?, type: String) throws(ConfigurationError) {
        switch value {
        case nil: self = .sumOverBatchSize
        case .null?: self = .none
        case .string("mean")?, .string("auto")?: self = .sumOverBatchSize
        case .string(let text)?:
            guard let reduction = LossReduction(rawValue: text) else {
                throw .invalidValue(
                    type: type, key: "reduction",
                    expected: "one of sum_over_batch_size, mean, sum, none, mean_with_sample_weight", found: .string(text))
            }
            self = reduction
        case let other?:
            throw .invalidValue(type: type, key: "reduction", expected: "a reduction name", found: other)
        }
    }
}

extension Loss {
    /// Accepts any targets: a custom loss knows its own inputs (override it to check them).
    public func validateTargets(_ yTrue: Tensor, predictionShape: [Int]) throws(TargetError) {}

    /// The loss of `yPred` against `yTrue`: ranks matched, per-sample losses weighted by `sampleWeight`
    /// (broadcast against them after the same rank matching), then reduced by ``reduction``.
    /// Differentiable in `yPred` (and `yTrue`). Traps when the shapes do not fit together.
    public func callAsFunction(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor? = nil) -> Tensor {
        let (targets, predictions) = Losses.squeezeOrExpandToSameRank(yTrue, yPred)
        return Losses.reduce(
            perSampleLoss(yTrue: targets, yPred: predictions), sampleWeight: sampleWeight, reduction: reduction)
    }

    /// The loss of `yPred` against `yTrue`; see ``callAsFunction(yTrue:yPred:sampleWeight:)``.
    public func callAsFunction(_ yTrue: Tensor, _ yPred: Tensor, sampleWeight: Tensor? = nil) -> Tensor {
        callAsFunction(yTrue: yTrue, yPred: yPred, sampleWeight: sampleWeight)
    }

    /// `name` and `reduction` as Keras's `Loss.get_config()` saves them; custom losses add their keys.
    public var baseConfiguration: Configuration {
        ["name": .string(name), "reduction": .string(reduction.rawValue)]
    }
}

extension Losses {
    /// Keras's `squeeze_or_expand_to_same_rank`: when the ranks differ by exactly one and the
    /// higher-rank tensor ends in a dimension of 1, that dimension is removed or (when the other tensor
    /// has rank 1 and `expandRank1` is true) one is added to the other. Otherwise both come back as
    /// they are. So targets `[batch]` meet predictions `[batch, 1]` as `[batch, 1]`. Differentiable.
    public static func squeezeOrExpandToSameRank(
        _ a: Tensor, _ b: Tensor, expandRank1: Bool = true
    ) -> (Tensor, Tensor) {
        let (aRank, bRank) = (a.rank, b.rank)
        if aRank == bRank { return (a, b) }
        if aRank == bRank + 1, a.shape.last == 1 {
            return bRank == 1 && expandRank1 ? (a, b.expandingShape(at: -1)) : (a.squeezingShape(at: -1), b)
        }
        if bRank == aRank + 1, b.shape.last == 1 {
            return aRank == 1 && expandRank1 ? (a.expandingShape(at: -1), b) : (a, b.squeezingShape(at: -1))
        }
        return (a, b)
    }

    /// Weights per-sample `values` by `sampleWeight` and reduces them as Keras's
    /// `reduce_weighted_values` does. Values of rank 0 or of shape `[0]` come back unreduced.
    ///
    /// Differentiable in `values`; with ``LossReduction/meanWithSampleWeight`` the divisor (the sum of
    /// the weights) is a constant to the tape, and a zero divisor gives 0 (Keras's `divide_no_nan`).
    /// Traps, naming both shapes, when the weights do not broadcast against the values.
    public static func reduce(_ values: Tensor, sampleWeight: Tensor? = nil, reduction: LossReduction) -> Tensor {
        var weighted = values
        var weights: Tensor?
        if let sampleWeight {
            let (v, w) = squeezeOrExpandToSameRank(values, sampleWeight)
            weighted = v * w
            weights = w
        }
        if reduction == .none || weighted.rank == 0 || weighted.shape == [0] { return weighted }
        switch reduction {
        case .none:
            return weighted
        case .sum:
            return weighted.sum()
        case .sumOverBatchSize:
            return weighted.scalarCount > 0 ? weighted.mean() : weighted.sum()
        case .meanWithSampleWeight:
            guard let weights else { return weighted.scalarCount > 0 ? weighted.mean() : weighted.sum() }
            let divisor = withoutRecording { weights.sum().scalar }
            return divisor != 0 ? weighted.sum() / divisor : weighted.sum() * 0
        }
    }

    /// Reads the `name` and `reduction` every loss configuration holds; an absent name gives
    /// `defaultName` and an absent reduction the default (Keras's constructor defaults).
    ///
    /// - Throws: ``ConfigurationError`` naming `type` and the key at fault.
    public static func nameAndReduction(
        in configuration: Configuration, type: String, defaultName: String
    ) throws(ConfigurationError) -> (name: String, reduction: LossReduction) {
        let name = configuration["name"] == nil ? defaultName : try configuration.string("name", in: type)
        return (name, try LossReduction(configurationValue: configuration["reduction"], type: type))
    }
}
