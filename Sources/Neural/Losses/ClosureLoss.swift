/// A loss made from a function of targets and predictions, such as seed 000's `huber_fn` or the
/// function `create_huber(2.0)` returns (Keras's `LossFunctionWrapper`).
///
/// The function returns per-sample (or per-element) losses; the loss weights and reduces them like any
/// other. Its configuration saves only the name: a saved `ClosureLoss` loads again only where a
/// function of that name was registered with ``Losses/register(function:named:)`` (Keras's
/// `custom_objects={"huber_fn": huber_fn}`), and, as in Keras, values a closure captured (the
/// threshold of `create_huber(2.0)`) are not saved. A type conforming to ``Loss`` with its own
/// configuration saves them (the seed's `HuberLoss`).
///
/// ```swift
/// let huberFn: Losses.Function = { yTrue, yPred in
///     let error = yTrue - yPred
///     return Tensor.where(error.abs() .< 1, error.squared() / 2, error.abs() - 0.5)
/// }
/// let loss = ClosureLoss(name: "huber_fn", huberFn)
/// Losses.register(function: huberFn, named: "huber_fn")   // before loading a model saved with it
/// ```
public struct ClosureLoss: Loss, Sendable {
    /// `"ClosureLoss"`.
    public static let typeName = "ClosureLoss"
    /// The loss's name, which is also the name its function is saved and looked up by.
    public var name: String
    /// The reduction; ``LossReduction/sumOverBatchSize`` by default.
    public var reduction: LossReduction
    /// The per-sample loss function.
    public let function: Losses.Function

    /// Wraps `function` under `name`.
    public init(name: String, reduction: LossReduction = .sumOverBatchSize, _ function: @escaping Losses.Function) {
        self.name = name
        self.reduction = reduction
        self.function = function
    }

    /// Rebuilds the loss from `name`, `reduction` and `fn` (the registered function's name; `name` when
    /// absent).
    ///
    /// - Throws: ``ConfigurationError/invalidValue(type:key:expected:found:)`` when no function of that
    ///   name is registered, listing the registered ones.
    public init(configuration: Configuration) throws {
        (name, function) = try Losses.registeredFunction(in: configuration, type: Self.typeName)
        reduction = try LossReduction(configurationValue: configuration["reduction"], type: Self.typeName)
    }

    /// `name`, `reduction` and `fn` (the function's name, which is `name`).
    public var configuration: Configuration {
        var configuration = baseConfiguration
        configuration["fn"] = .string(name)
        return configuration
    }

    /// The function applied to the rank-matched targets and predictions.
    public func perSampleLoss(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let (t, p) = Losses.squeezeOrExpandToSameRank(yTrue, yPred)
        return function(t, p)
    }
}
