// `JSONValue` (module `JSONValues`) is the JSON value of every module, Keras's `get_config()` values
// included. Re-exported so code importing `Neural` sees it: `Configuration`, `ConfigurationRepresentable`
// and `ConfigurationError` are made of it.
@_exported import JSONValues

/// A configuration: the named arguments that rebuild an object (Keras's `get_config()`).
public typealias Configuration = [String: JSONValue]

/// Why a configuration could not rebuild an object, naming the object type and the key.
public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required key is absent.
    case missingKey(type: String, key: String)
    /// A key holds a value of the wrong kind or out of range.
    case invalidValue(type: String, key: String, expected: String, found: JSONValue)
    /// No type of that name is registered (Keras's "Unknown layer" error; register custom types).
    case unknownType(kind: String, name: String, known: [String])

    /// What is wrong, and for unknown types what to register.
    public var description: String {
        switch self {
        case let .missingKey(type, key):
            return "\(type): configuration has no '\(key)'"
        case let .invalidValue(type, key, expected, found):
            return "\(type): '\(key)' should be \(expected), found \(found)"
        case let .unknownType(kind, name, known):
            return "unknown \(kind) '\(name)': register it with ObjectRegistry (Keras's custom_objects); known: \(known.sorted().joined(separator: ", "))"
        }
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// The number at `key`, or throws naming `type` and the key.
    public func double(_ key: String, in type: String) throws(ConfigurationError) -> Double {
        guard let value = self[key] else { throw .missingKey(type: type, key: key) }
        guard let number = value.doubleValue else { throw .invalidValue(type: type, key: key, expected: "a number", found: value) }
        return number
    }

    /// The integer at `key`, or throws naming `type` and the key.
    public func int(_ key: String, in type: String) throws(ConfigurationError) -> Int {
        guard let value = self[key] else { throw .missingKey(type: type, key: key) }
        guard let number = value.intValue else { throw .invalidValue(type: type, key: key, expected: "an integer", found: value) }
        return number
    }

    /// The string at `key`, or throws naming `type` and the key.
    public func string(_ key: String, in type: String) throws(ConfigurationError) -> String {
        guard let value = self[key] else { throw .missingKey(type: type, key: key) }
        guard let text = value.stringValue else { throw .invalidValue(type: type, key: key, expected: "a string", found: value) }
        return text
    }

    /// The Boolean at `key`, or throws naming `type` and the key.
    public func bool(_ key: String, in type: String) throws(ConfigurationError) -> Bool {
        guard let value = self[key] else { throw .missingKey(type: type, key: key) }
        guard let flag = value.boolValue else { throw .invalidValue(type: type, key: key, expected: "true or false", found: value) }
        return flag
    }
}
