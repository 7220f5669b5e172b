/// Optimizers by Keras's string names, with Keras's defaults: `compile(optimizer: "adam", ...)`.
public enum Optimizers {
    /// The names ``named(_:)`` accepts.
    public static let knownNames = ["sgd", "adam", "adamw", "nadam", "rmsprop", "adagrad"]

    /// A fresh optimizer for a Keras name (case-insensitive), with default arguments.
    /// - Throws: ``ConfigurationError/unknownType(kind:name:known:)`` listing the known names.
    public static func named(_ name: String) throws -> Optimizer {
        switch name.lowercased() {
        case "sgd": return try SGD()
        case "adam": return try Adam()
        case "adamw": return try AdamW()
        case "nadam": return try Nadam()
        case "rmsprop": return try RMSprop()
        case "adagrad": return try Adagrad()
        default: throw ConfigurationError.unknownType(kind: "optimizer", name: name, known: knownNames)
        }
    }
}
