/// Why a model could not be saved or loaded: with the model, file or weight at fault, and what to do.
///
/// Errors of the pieces propagate as they are: ``SafetensorsError`` (a damaged weights file),
/// ``ConfigurationError`` (an unknown class: register it, Keras's `custom_objects`), ``OptimizerError``
/// and ``JSONError``-carrying ``SavingError/invalidFile(path:reason:)``.
public enum SavingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A weight of the model against the file's tensor of the same name.
    public struct ShapeMismatch: Equatable, Sendable, CustomStringConvertible {
        /// The weight's key (`dense/kernel`).
        public let name: String
        /// The shape of the model's weight.
        public let expected: [Int]
        /// The shape stored in the file.
        public let found: [Int]

        /// Creates the record.
        public init(name: String, expected: [Int], found: [Int]) {
            self.name = name
            self.expected = expected
            self.found = found
        }

        /// `dense/kernel: model [8, 4], file [8, 3]`.
        public var description: String { "\(name): model \(expected), file \(found)" }
    }

    /// The model has no weights yet (it is built on its first call).
    case notBuilt(model: String)
    /// Something in the model cannot write a configuration that loads again: `advice` says what to
    /// implement or register (Keras's `NotImplementedError` for a missing `get_config`).
    case notSerializable(object: String, type: String, advice: String)
    /// Two weights would be saved under the same key (two layers with the same name in one model).
    case duplicateWeightName(model: String, name: String)
    /// The file's weights are not the model's: names missing from the file, names the model does not
    /// have, and shapes that differ. Nothing was loaded.
    case weightsMismatch(path: String, missing: [String], unexpected: [String], shapeMismatches: [ShapeMismatch])
    /// A saved model directory lacks one of its files.
    case missingFile(path: String, advice: String)
    /// The operating system refused to read or write a file or directory.
    case io(path: String, reason: String)
    /// A file that exists but does not hold what a saved model needs (bad JSON, wrong format, a key
    /// missing or of the wrong type).
    case invalidFile(path: String, reason: String)
    /// The directory's files come from different saves (a save was interrupted, or files were
    /// copied from elsewhere).
    case inconsistentSave(directory: String, reason: String)

    /// What is wrong, where, and what to do.
    public var description: String {
        switch self {
        case let .notBuilt(model):
            return "model '\(model)' has no weights yet: call it on data (or fit it) before saving, or give it an Input / inputShape"
        case let .notSerializable(object, type, advice):
            return "'\(object)' (\(type)) cannot be saved: \(advice)"
        case let .duplicateWeightName(model, name):
            return "model '\(model)': two weights would be saved as '\(name)'; give the layers distinct names"
        case let .weightsMismatch(path, missing, unexpected, mismatches):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing from the file: \(missing.joined(separator: ", "))") }
            if !unexpected.isEmpty { parts.append("not in the model: \(unexpected.joined(separator: ", "))") }
            if !mismatches.isEmpty { parts.append("shapes differ: \(mismatches.map(\.description).joined(separator: "; "))") }
            return "\(path): the weights do not match the model (nothing was loaded); " + parts.joined(separator: "; ")
        case let .missingFile(path, advice):
            return "\(path): missing; \(advice)"
        case let .io(path, reason):
            return "\(path): \(reason)"
        case let .invalidFile(path, reason):
            return "\(path): \(reason)"
        case let .inconsistentSave(directory, reason):
            return "\(directory): the files are not from one save (\(reason)); save the model again"
        }
    }
}
