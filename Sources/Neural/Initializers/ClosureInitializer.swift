/// An initializer made from a function: the Swift form of a Keras initializer written as a plain
/// function, such as the seed's `my_glorot_initializer`.
///
/// ```swift
/// let myGlorot = ClosureInitializer.register(name: "my_glorot_initializer") { shape, generator in
///     let deviation = (2 / Float(shape[0] + shape[1])).squareRoot()
///     return Tensor(randomNormal: shape, standardDeviation: deviation, generator: &generator)
/// }
/// ```
///
/// It saves as its ``name`` only (`{"name": ...}`); loading finds the function by that name in
/// ``functions``, so register it (with ``register(name:_:)``) before loading a model that uses it,
/// as Keras needs the function in `custom_objects`. ``Initializers/named(_:registry:)`` finds
/// registered names too.
public struct ClosureInitializer: Initializer, NamedClosure {
    /// The function's form: a shape and a generator to draw from, giving a tensor of that shape.
    public typealias Function = @Sendable (_ shape: [Int], _ generator: inout SeededGenerator) -> Tensor

    /// `"ClosureInitializer"`.
    public static let typeName = "ClosureInitializer"

    /// The registered initializer functions, by name.
    public static let functions = NamedFunctionRegistry<Function>()
    /// `"initializer function"`, as errors call them.
    public static let functionKind = "initializer function"

    /// The name the function is saved (and found again) by.
    public let name: String
    /// The function.
    public let function: Function

    /// An initializer calling `function`, saved as `name`. Does not register it; see
    /// ``register(name:_:)``.
    public init(name: String, _ function: @escaping Function) {
        self.name = name
        self.function = function
    }

    /// The function's tensor. Traps when it does not have the requested shape.
    public func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        checkInitializerShape(shape, name)
        let result = function(shape, &generator)
        guard result.shape == shape else {
            trap(.incompatibleShapes(op: "initializer '\(name)' (requested vs returned shape)", lhs: shape, rhs: result.shape))
        }
        return result
    }
}
