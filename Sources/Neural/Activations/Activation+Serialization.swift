/// Saving and loading activations: as Keras's strings when they have their default arguments,
/// otherwise as `{"name": ..., <arguments>}`.
extension Activation: ConfigurationRepresentable {
    /// `"ActivationFunction"`: not `"Activation"`, which names Keras's `Activation` *layer*.
    public static let typeName = "ActivationFunction"

    /// `{"name": ...}` plus the arguments under Keras 3's names: `negative_slope` (leaky ReLU),
    /// `alpha` (ELU), `axis` (softmax, log-softmax), `approximate` (GELU).
    public var configuration: Configuration {
        var configuration: Configuration = ["name": .string(name)]
        switch self {
        case .leakyRelu(let alpha): configuration["negative_slope"] = JSONValue(alpha)
        case .elu(let alpha): configuration["alpha"] = JSONValue(alpha)
        case .softmax(let axis), .logSoftmax(let axis): configuration["axis"] = .int(axis)
        case .gelu(let approximate): configuration["approximate"] = .bool(approximate)
        default: break
        }
        return configuration
    }

    /// Rebuilds an activation from its `name` and arguments (missing arguments take Keras's defaults;
    /// `alpha` is also read for leaky ReLU, Keras 2's name for its slope).
    /// - Throws: ``ConfigurationError`` for a missing or unknown name or an invalid argument.
    public init(configuration: Configuration) throws {
        let type = Self.typeName
        let name = try configuration.string("name", in: type)
        var activation = try Activation(named: name)
        switch activation {
        case .leakyRelu:
            let key = configuration["negative_slope"] == nil ? "alpha" : "negative_slope"
            activation = .leakyRelu(alpha: try configuration.float(key, in: type, default: 0.2))
        case .elu:
            activation = .elu(alpha: try configuration.float("alpha", in: type, default: 1))
        case .softmax, .logSoftmax:
            var axis = -1
            if let value = configuration["axis"], value != .null {
                guard let parsed = value.intValue else {
                    throw ConfigurationError.invalidValue(type: type, key: "axis", expected: "an integer", found: value)
                }
                axis = parsed
            }
            if case .softmax = activation { activation = .softmax(axis: axis) } else { activation = .logSoftmax(axis: axis) }
        case .gelu:
            var approximate = false
            if let value = configuration["approximate"], value != .null {
                guard let flag = value.boolValue else {
                    throw ConfigurationError.invalidValue(type: type, key: "approximate", expected: "true or false", found: value)
                }
                approximate = flag
            }
            activation = .gelu(approximate: approximate)
        default:
            break
        }
        self = activation
    }

    /// What a layer's configuration holds under `"activation"`: the Keras string (`"relu"`) when the
    /// arguments are Keras's defaults, as Keras saves it, else the ``configuration`` object.
    public var identifier: JSONValue {
        if case .custom(let name, _) = self { return .string(name) }
        return Self.builtinsByName[name] == self ? .string(name) : .object(configuration)
    }

    /// Reads what a layer's configuration holds under `"activation"`: `null` (linear), a name, the
    /// ``configuration`` object, the nested `{"class_name": "ActivationFunction", "config": {...}}`, or
    /// Keras 3's function form `{"class_name": "function", "config": "relu", ...}`.
    ///
    /// - Throws: ``ConfigurationError`` for an unknown name or a value of another form.
    public init(identifier: JSONValue) throws {
        switch identifier {
        case .null:
            self = .linear
        case .string(let name):
            self = try Activation(named: name)
        case .object(let members):
            if let className = members["class_name"] {
                if className == .string("function"), let name = members["config"]?.stringValue {
                    self = try Activation(named: name)
                } else {
                    let (typeName, configuration) = try ObjectRegistry.nestedObject(identifier, kind: "activation")
                    guard typeName == Self.typeName else {
                        let known = [Self.typeName, "function"]
                        throw ConfigurationError.unknownType(kind: "activation", name: typeName, known: known)
                    }
                    self = try Activation(configuration: configuration)
                }
            } else {
                self = try Activation(configuration: members)
            }
        default:
            throw ConfigurationError.invalidValue(
                type: "activation", key: "activation", expected: "null, a name or an object", found: identifier)
        }
    }
}

extension Activation: Codable {
    /// Decodes ``init(identifier:)``'s forms.
    public init(from decoder: any Decoder) throws {
        try self.init(identifier: JSONValue(from: decoder))
    }

    /// Encodes ``identifier``.
    public func encode(to encoder: any Encoder) throws {
        try identifier.encode(to: encoder)
    }
}

extension Activation: Equatable {
    /// Same case and arguments; custom activations are equal when their names are (closures cannot
    /// be compared, and the name is what identifies them when saved).
    public static func == (lhs: Activation, rhs: Activation) -> Bool {
        switch (lhs, rhs) {
        case (.leakyRelu(let a), .leakyRelu(let b)), (.elu(let a), .elu(let b)): return a == b
        case (.softmax(let a), .softmax(let b)), (.logSoftmax(let a), .logSoftmax(let b)): return a == b
        case (.gelu(let a), .gelu(let b)): return a == b
        case (.custom(let a, _), .custom(let b, _)): return a == b
        default:
            // Cases with arguments were matched above; what is left is equal only as the same
            // argument-free case, which the name identifies.
            if case .custom = lhs { return false }
            if case .custom = rhs { return false }
            return lhs.name == rhs.name
        }
    }
}

extension Activation: CustomStringConvertible {
    /// The Keras name, with non-default arguments: `relu`, `leaky_relu(negative_slope: 0.3)`.
    public var description: String {
        let arguments = configuration.filter { $0.key != "name" }.sorted { $0.key < $1.key }
        guard identifier.stringValue == nil, !arguments.isEmpty else { return name }
        func render(_ value: JSONValue) -> String {
            switch value {
            case .double(let number): return "\(number)"
            case .int(let number): return "\(number)"
            case .uint(let number): return "\(number)"
            case .bool(let flag): return "\(flag)"
            default: return "\(value)"
            }
        }
        return name + "(" + arguments.map { "\($0.key): \(render($0.value))" }.joined(separator: ", ") + ")"
    }
}
