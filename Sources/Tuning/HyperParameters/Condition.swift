/// A requirement on a parent hyperparameter: the child is active only when the parent currently
/// has one of `values` (Keras Tuner's `conditional_scope`).
public struct Condition: Codable, Hashable, Sendable {
    /// The name of the parent hyperparameter.
    public let parent: String
    /// The parent values for which the child is active.
    public let values: [HyperParameterValue]

    /// Creates a condition on `parent`; `HyperParameters.conditionalScope` validates it against the space.
    public init(parent: String, values: [HyperParameterValue]) {
        self.parent = parent
        self.values = values
    }

    /// Whether the parent's value in `assignment` is one of `values` (false when the parent is absent,
    /// that is, inactive itself).
    public func isSatisfied(by assignment: [String: HyperParameterValue]) -> Bool {
        guard let parentValue = assignment[parent] else { return false }
        return values.contains(parentValue)
    }
}

extension Condition: CustomStringConvertible {
    /// `optimizer in [adam, rmsprop]`.
    public var description: String {
        "\(parent) in [\(values.map(\.description).joined(separator: ", "))]"
    }
}
