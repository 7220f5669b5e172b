/// A constraint made from a function: the Swift form of a Keras constraint written as a plain
/// function, such as the seed's `my_positive_weights`.
///
/// ```swift
/// let positive = ClosureConstraint.register(name: "my_positive_weights") { weights in
///     Tensor.where(weights .< 0, Tensor(zerosLike: weights), weights)
/// }
/// ```
///
/// It saves as its ``name`` only; loading finds the function in ``functions``, so register it before
/// loading (Keras's `custom_objects`). The function runs after every update of the weight it guards,
/// so keep it to a few tensor ops (or write an ``Constraint`` type).
public struct ClosureConstraint: Constraint, NamedClosure {
    /// The function's form: weights in, constrained weights of the same shape out.
    public typealias Function = @Sendable (_ weights: Tensor) -> Tensor

    /// `"ClosureConstraint"`.
    public static let typeName = "ClosureConstraint"

    /// The registered constraint functions, by name.
    public static let functions = NamedFunctionRegistry<Function>()
    /// `"constraint function"`, as errors call them.
    public static let functionKind = "constraint function"

    /// The name the function is saved (and found again) by.
    public let name: String
    /// The function.
    public let function: Function

    /// A constraint calling `function`, saved as `name`. Does not register it; see
    /// ``register(name:_:)``.
    public init(name: String, _ function: @escaping Function) {
        self.name = name
        self.function = function
    }

    /// The function's result. Traps when it changes the shape.
    public func callAsFunction(_ weights: Tensor) -> Tensor {
        let result = function(weights)
        guard result.shape == weights.shape else {
            trap(.incompatibleShapes(op: "constraint '\(name)' (weights vs result shape)", lhs: weights.shape, rhs: result.shape))
        }
        return result
    }
}
