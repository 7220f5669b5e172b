import Neural

/// Finds registered layer classes by the names study files use: Keras's class names or their
/// snake_case spelling, ignoring case and underscores (`dense`, `Dense`, `batch_normalization`,
/// `conv2d`). New layers registered in `ObjectRegistry` are found without changes here.
public enum LayerClassNames {
    /// Every name registered in `registry` (layers, and also losses, metrics and initializers, which
    /// fail later as "not a layer").
    public static func registeredNames(in registry: ObjectRegistry = .shared) -> [String] {
        do {
            let _: Any = try registry.make("\u{1}no such type\u{1}", configuration: [:], kind: "layer")
        } catch let error as ConfigurationError {
            if case .unknownType(_, _, let known) = error { return known.sorted() }
        } catch {}
        return []
    }

    /// The comparison key: lower case without underscores or dashes.
    static func key(_ name: String) -> String {
        String(name.lowercased().filter { $0 != "_" && $0 != "-" })
    }

    /// The registered class name `name` stands for, or `nil`. An exact match wins; `Activation`
    /// finds the layer class rather than the activation function type.
    public static func resolve(_ name: String, in registry: ObjectRegistry = .shared) -> String? {
        let known = registeredNames(in: registry)
        if known.contains(name) { return name }
        let wanted = key(name)
        let matches = known.filter { key($0) == wanted }
        return matches.first
    }

    /// Snake-case spellings of the registered names, for "did you mean" suggestions.
    static func suggestion(for name: String, in registry: ObjectRegistry = .shared) -> String? {
        let known = registeredNames(in: registry)
        let snake = known.map(snakeCase)
        return NameSuggestion.closest(to: name, among: snake + known)
    }

    /// `BatchNormalization` → `batch_normalization`, `Conv2D` → `conv2d`.
    static func snakeCase(_ name: String) -> String {
        var result = ""
        let characters = Array(name)
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0, characters[index - 1].isLowercase {
                result += "_"
            }
            result += character.lowercased()
        }
        return result
    }
}
