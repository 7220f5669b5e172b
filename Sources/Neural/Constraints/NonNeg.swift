/// Replaces negative weights by zero (Keras's `NonNeg()`, `"non_neg"`, `"nonneg"`): one pass over the
/// buffer. NaN stays NaN, as in Keras (`w · (w >= 0)`).
public struct NonNeg: Constraint, InPlaceConstraint, Equatable {
    /// `"NonNeg"`.
    public static let typeName = "NonNeg"

    /// The non-negativity constraint.
    public init() {}

    /// Ignores the configuration (Keras's `NonNeg` has none).
    public init(configuration: Configuration) throws {}

    /// `{}`.
    public var configuration: Configuration { [:] }

    func constrain(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, shape: [Int]) {
        // ReLU's branch-free kernel: the same projection, and it keeps NaN.
        VectorKernels.relu(input, output, count: shape.reduce(1, *))
    }
}
