/// Objects saved inside another object's configuration (a layer's `kernel_initializer`, its
/// `kernel_regularizer`, ...), in Keras's nested form `{"class_name": ..., "config": {...}}`.
extension ObjectRegistry {
    /// `{"class_name": typeName, "config": configuration}`: how Keras's `serialize_keras_object` nests
    /// one object in another's configuration (its `module` and `registered_name` keys are not needed
    /// here: the type name alone finds the type in a registry).
    public static func serialize(_ object: some ConfigurationRepresentable) -> JSONValue {
        .object(["class_name": .string(type(of: object).typeName), "config": .object(object.configuration)])
    }

    /// Splits a nested object `{"class_name": ..., "config": {...}}` into its type name and
    /// configuration; a missing `config` means the defaults (`{}`), as in Keras.
    ///
    /// - Throws: ``ConfigurationError/invalidValue(type:key:expected:found:)`` naming `kind` when `value`
    ///   is not an object with a string `class_name` and an object (or absent) `config`.
    public static func nestedObject(_ value: JSONValue, kind: String) throws(ConfigurationError)
        -> (typeName: String, configuration: Configuration)
    {
        guard let members = value.objectValue else {
            throw .invalidValue(type: kind, key: "class_name", expected: "a name or {\"class_name\", \"config\"}", found: value)
        }
        let typeName = try members.string("class_name", in: kind)
        switch members["config"] {
        case nil, .null?:
            return (typeName, [:])
        case .object(let configuration)?:
            return (typeName, configuration)
        case let other?:
            throw .invalidValue(type: kind, key: "config", expected: "an object", found: other)
        }
    }
}

extension JSONValue {
    /// A `Float` hyperparameter as the shortest decimal that reads back as the same `Float`, so saved
    /// configurations show `0.01` rather than `0.009999999776482582` (what `Double(Float(0.01))` is).
    public init(_ value: Float) {
        if value.isFinite, let decimal = Double(value.description) {
            self = .double(decimal)
        } else {
            self = .double(Double(value))
        }
    }

    /// A seed as a JSON integer (its bit pattern when it exceeds `Int.max`), or `null` when absent.
    public init(seed: UInt64?) {
        if let seed { self = .int(Int(truncatingIfNeeded: seed)) } else { self = .null }
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// The error for an out-of-range value at `key`, showing what the configuration holds there.
    public func invalid(_ key: String, in type: String, expected: String) -> ConfigurationError {
        .invalidValue(type: type, key: key, expected: expected, found: self[key] ?? .null)
    }

    /// The number at `key` as a `Float`, or `defaultValue` when the key is absent or `null` (Keras fills
    /// missing constructor arguments with their defaults).
    ///
    /// - Throws: ``ConfigurationError/invalidValue(type:key:expected:found:)`` when the value is not a
    ///   finite number representable as a `Float`.
    public func float(_ key: String, in type: String, default defaultValue: Float) throws(ConfigurationError) -> Float {
        guard let value = self[key], value != .null else { return defaultValue }
        guard let number = value.doubleValue, number.isFinite, Float(number).isFinite else {
            throw .invalidValue(type: type, key: key, expected: "a finite number", found: value)
        }
        return Float(number)
    }

    /// The seed at `key` (an integer, read back as the bit pattern it was saved with), or `nil` when
    /// the key is absent or `null`.
    ///
    /// - Throws: ``ConfigurationError/invalidValue(type:key:expected:found:)`` when it is not an integer.
    public func seed(_ key: String = "seed", in type: String) throws(ConfigurationError) -> UInt64? {
        guard let value = self[key], value != .null else { return nil }
        guard let number = value.intValue else {
            throw .invalidValue(type: type, key: key, expected: "an integer or null", found: value)
        }
        return UInt64(bitPattern: Int64(number))
    }

    /// The axes at `key`, an integer or an array of integers (Keras accepts both), or `defaultValue`
    /// when absent.
    ///
    /// - Throws: ``ConfigurationError/invalidValue(type:key:expected:found:)`` for anything else or an
    ///   empty array.
    public func axes(_ key: String = "axis", in type: String, default defaultValue: [Int]) throws(ConfigurationError) -> [Int] {
        guard let value = self[key], value != .null else { return defaultValue }
        if let axis = value.intValue { return [axis] }
        if let elements = value.arrayValue, !elements.isEmpty {
            var axes: [Int] = []
            for element in elements {
                guard let axis = element.intValue else {
                    throw .invalidValue(type: type, key: key, expected: "an integer or a list of integers", found: value)
                }
                axes.append(axis)
            }
            return axes
        }
        throw .invalidValue(type: type, key: key, expected: "an integer or a list of integers", found: value)
    }
}
