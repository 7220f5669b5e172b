/// Keras's string names for activations, and the table of named custom activations.
extension Activation {
    /// The registered custom activation functions, by name (Keras's `custom_objects` for activations).
    public static let customFunctions = NamedFunctionRegistry<@Sendable (Tensor) -> Tensor>()

    /// The built-in activations by Keras name, each with Keras's default arguments.
    public static let builtinsByName: [String: Activation] = [
        "linear": .linear, "relu": .relu, "relu6": .relu6, "leaky_relu": .leakyRelu(), "elu": .elu(),
        "selu": .selu, "sigmoid": .sigmoid, "tanh": .tanh, "softmax": .softmax(), "log_softmax": .logSoftmax(),
        "softplus": .softplus, "softsign": .softsign, "gelu": .gelu(), "swish": .swish, "silu": .swish,
        "mish": .mish, "exponential": .exponential,
    ]

    /// The names ``init(named:)`` accepts: the built-ins and the registered custom functions, sorted.
    public static var knownNames: [String] { (Array(builtinsByName.keys) + customFunctions.names).sorted() }

    /// The Keras name this activation saves as: `"relu"`, `"leaky_relu"`, ..., or a custom one's name.
    public var name: String {
        switch self {
        case .linear: return "linear"
        case .relu: return "relu"
        case .relu6: return "relu6"
        case .leakyRelu: return "leaky_relu"
        case .elu: return "elu"
        case .selu: return "selu"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .softmax: return "softmax"
        case .logSoftmax: return "log_softmax"
        case .softplus: return "softplus"
        case .softsign: return "softsign"
        case .gelu: return "gelu"
        case .swish: return "swish"
        case .mish: return "mish"
        case .exponential: return "exponential"
        case .custom(let name, _): return name
        }
    }

    /// The activation a Keras string names, with Keras's default arguments: `"relu"`, `"softmax"`,
    /// `"leaky_relu"`, ... (`"silu"` is ``swish``), `nil` for ``linear`` (Keras's `activation=None`),
    /// or the name of a registered custom function.
    ///
    /// - Throws: ``ConfigurationError/unknownType(kind:name:known:)`` listing ``knownNames``.
    public init(named name: String?) throws(ConfigurationError) {
        guard let name else { self = .linear; return }
        if let builtin = Self.builtinsByName[name] {
            self = builtin
        } else if let function = Self.customFunctions.function(named: name) {
            self = .custom(name: name, function)
        } else {
            throw .unknownType(kind: "activation", name: name, known: Self.knownNames)
        }
    }

    /// Registers `function` as a custom activation under `name` (replacing an earlier one of that name)
    /// and returns it, so that `Activation(named: name)` and loading saved models find it. Traps when
    /// `name` is a built-in's (which would always win over it).
    @discardableResult
    public static func register(name: String, _ function: @escaping @Sendable (Tensor) -> Tensor) -> Activation {
        guard builtinsByName[name] == nil else {
            let message = "'\(name)' is a built-in activation; choose another name"
            trap(.invalidArgument(op: "Activation.register(name:_:)", message: message))
        }
        customFunctions.register(function, as: name)
        return .custom(name: name, function)
    }
}
