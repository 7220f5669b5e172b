/// Saving and loading objects inside configurations as Keras does:
/// `{"class_name": "GlorotUniform", "config": {...}}`, looked up in ``ObjectRegistry``.

/// The `{"class_name", "config"}` form of an object that can save itself, or `null` for one that
/// cannot (a closure without a registered name).
public func serialize(_ object: Any) -> JSONValue {
    guard let representable = object as? any ConfigurationRepresentable else { return .null }
    return .object([
        "class_name": .string(type(of: representable).typeName),
        "config": .object(representable.configuration),
    ])
}

/// Rebuilds an object saved by ``serialize(_:)``, or returns `defaultValue` for `nil`/`null`.
/// - Throws: ``ConfigurationError`` when the class is unknown or its configuration is invalid.
public func deserialize<T>(_ value: JSONValue?, default defaultValue: @autoclosure () -> T) throws -> T {
    try deserializeOptional(value, as: T.self) ?? defaultValue()
}

/// Rebuilds an object saved by ``serialize(_:)``, or `nil` for `nil`/`null`, through
/// ``ObjectRegistry/current`` (the registry a model is loading with, else the shared one).
/// - Throws: ``ConfigurationError`` when the class is unknown or its configuration is invalid.
public func deserializeOptional<T>(_ value: JSONValue?, as type: T.Type) throws -> T? {
    guard let value, value != .null else { return nil }
    guard let object = value.objectValue, let className = object["class_name"]?.stringValue else {
        throw ConfigurationError.invalidValue(type: String(describing: T.self), key: "class_name",
                                              expected: "{\"class_name\": ..., \"config\": {...}}", found: value)
    }
    let configuration = object["config"]?.objectValue ?? [:]
    return try ObjectRegistry.resolving(className).make(className, configuration: configuration, as: T.self,
                                                        kind: String(describing: T.self))
}
