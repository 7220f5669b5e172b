/// A regularizer made from a function: the Swift form of a Keras regularizer written as a plain
/// function, such as the seed's `my_l1_regularizer`.
///
/// ```swift
/// let myL1 = ClosureRegularizer.register(name: "my_l1_regularizer") { weights in
///     (weights * 0.01).abs().sum()
/// }
/// ```
///
/// The function must return a scalar built from recorded tensor ops (so the tape differentiates it).
/// It saves as its ``name`` only; loading finds the function in ``functions``, so register it before
/// loading (Keras's `custom_objects`). For a regularizer with hyperparameters to save, write a type
/// conforming to ``Regularizer`` instead (the seed's `MyL1Regularizer`).
public struct ClosureRegularizer: Regularizer, NamedClosure {
    /// The function's form: weights in, a scalar penalty out.
    public typealias Function = @Sendable (_ weights: Tensor) -> Tensor

    /// `"ClosureRegularizer"`.
    public static let typeName = "ClosureRegularizer"

    /// The registered regularizer functions, by name.
    public static let functions = NamedFunctionRegistry<Function>()
    /// `"regularizer function"`, as errors call them.
    public static let functionKind = "regularizer function"

    /// The name the function is saved (and found again) by.
    public let name: String
    /// The function.
    public let function: Function

    /// A regularizer calling `function`, saved as `name`. Does not register it; see
    /// ``register(name:_:)``.
    public init(name: String, _ function: @escaping Function) {
        self.name = name
        self.function = function
    }

    /// The function's penalty. Traps when it is not a single value.
    public func callAsFunction(_ weights: Tensor) -> Tensor {
        let penalty = function(weights)
        guard penalty.scalarCount == 1 else { trap(.notAScalar(op: "regularizer '\(name)'", shape: penalty.shape)) }
        return penalty
    }
}
