import Neural
import Tuning

/// A value in a model template or compile section: a literal, a reference to a hyperparameter (a
/// bare string equal to a hyperparameter's name, or `{hp: name}`), or a list or mapping of them.
public indirect enum TemplateValue: Sendable, Hashable {
    /// A fixed value.
    case literal(JSONValue)
    /// The trial's value of the named hyperparameter.
    case hyperParameter(String)
    /// A list whose elements may be references.
    case list([TemplateValue])
    /// A mapping whose values may be references.
    case object([String: TemplateValue])

    /// The names of the hyperparameters this value refers to.
    public var referencedNames: [String] {
        switch self {
        case .literal: return []
        case .hyperParameter(let name): return [name]
        case .list(let elements): return elements.flatMap(\.referencedNames)
        case .object(let members): return members.keys.sorted().flatMap { members[$0]?.referencedNames ?? [] }
        }
    }

    /// The value with every reference replaced by `values[name]` (a JSON-like `JSONValue`, as layer
    /// configurations take); a reference missing from `values` becomes `null`.
    public func resolved(with values: [String: HyperParameterValue]) -> JSONValue {
        switch self {
        case .literal(let value): return value
        case .hyperParameter(let name): return values[name].map(Self.configValue) ?? .null
        case .list(let elements): return .array(elements.map { $0.resolved(with: values) })
        case .object(let members): return .object(members.mapValues { $0.resolved(with: values) })
        }
    }

    /// A hyperparameter value as a configuration value.
    public static func configValue(_ value: HyperParameterValue) -> JSONValue {
        switch value {
        case .int(let number): return .int(number)
        case .float(let number): return .double(number)
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        }
    }
}
