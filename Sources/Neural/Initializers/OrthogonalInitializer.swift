/// Initial weights forming an orthogonal matrix (Keras's `OrthogonalInitializer(gain=1.0,
/// seed=None)`, also `Orthogonal` and `"orthogonal"`): good for recurrent kernels.
///
/// As in Keras: the shape is flattened to `rows = product of all but the last dimension` by
/// `columns = last dimension`; a `max × min` standard normal matrix is drawn, its QR factor `Q` is
/// made unique by giving `R` a positive diagonal, `Q` is transposed when `rows < columns`, and the
/// result is multiplied by `gain`. So the rows (or the columns, whichever are fewer) are orthonormal
/// times `gain`. The factorization runs in Double with Gram-Schmidt applied twice, which is as
/// orthogonal as Householder QR in Float and yields the positive-diagonal `Q` directly.
public struct OrthogonalInitializer: Initializer, Equatable {
    /// `"OrthogonalInitializer"` (Keras 3's class name; `"Orthogonal"` is accepted on loading).
    public static let typeName = "OrthogonalInitializer"

    /// The factor applied to the orthogonal matrix.
    public var gain: Float
    /// When set, every call draws from this seed (same values each time); see ``Initializer``.
    public var seed: UInt64?

    /// Keras's default gain is 1. Traps when `gain` is not finite.
    public init(gain: Float = 1, seed: UInt64? = nil) {
        guard gain.isFinite else { trap(.invalidArgument(op: Self.typeName, message: "gain must be finite, got \(gain)")) }
        self.gain = gain
        self.seed = seed
    }

    /// Reads Keras's `gain` and `seed` (missing keys take the defaults).
    /// - Throws: ``ConfigurationError`` on a non-numeric value.
    public init(configuration: Configuration) throws {
        gain = try configuration.float("gain", in: Self.typeName, default: 1)
        seed = try configuration.seed(in: Self.typeName)
    }

    /// `{"gain", "seed"}`, as Keras saves it.
    public var configuration: Configuration { ["gain": JSONValue(gain), "seed": JSONValue(seed: seed)] }

    /// An orthogonal matrix (times ``gain``) of `shape`. Traps when the rank is below 2 (Keras raises)
    /// or a dimension is negative.
    public func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        checkInitializerShape(shape, Self.typeName)
        guard shape.count >= 2 else {
            trap(.invalidArgument(op: Self.typeName, message: "the shape must have rank 2 or more, got \(shape)"))
        }
        let rows = shape.dropLast().reduce(1, *), columns = shape[shape.count - 1]
        let tall = Swift.max(rows, columns), narrow = Swift.min(rows, columns)
        let count = rows * columns
        guard count > 0 else { return Tensor(zeros: shape) }
        // The standard normal draw, as Keras's `flat_shape` matrix in row-major order, stored by columns.
        var columnsOfA = [[Double]](repeating: [Double](repeating: 0, count: tall), count: narrow)
        drawing(seed: seed, from: &generator) { generator in
            for i in 0..<tall { for j in 0..<narrow { columnsOfA[j][i] = generator.nextNormal() } }
        }
        let q = Self.orthonormalizedColumns(columnsOfA)
        let g = Double(gain)
        return Tensor.make(shape: shape, count: count) { out in
            if rows >= columns {
                // Q itself: rows × columns, element (i, j) = column j at i.
                for i in 0..<tall { for j in 0..<narrow { out[i * narrow + j] = Float(g * q[j][i]) } }
            } else {
                // Qᵀ: row j is column j of Q.
                for j in 0..<narrow { for i in 0..<tall { out[j * tall + i] = Float(g * q[j][i]) } }
            }
        }
    }

    /// Modified Gram-Schmidt, twice ("twice is enough"): the `Q` of the thin QR factorization with a
    /// positive diagonal in `R`. A column that is numerically dependent on the earlier ones becomes zero
    /// (where Keras's `sign(0)` would zero it too).
    static func orthonormalizedColumns(_ input: [[Double]]) -> [[Double]] {
        var q = input
        for j in 0..<q.count {
            for _ in 0..<2 {
                for k in 0..<j {
                    var dot = 0.0
                    for i in 0..<q[j].count { dot += q[k][i] * q[j][i] }
                    for i in 0..<q[j].count { q[j][i] -= dot * q[k][i] }
                }
            }
            var norm = 0.0
            for value in q[j] { norm += value * value }
            norm = norm.squareRoot()
            let inverse = norm > 0 ? 1 / norm : 0
            for i in 0..<q[j].count { q[j][i] *= inverse }
        }
        return q
    }
}

/// Initial weights forming a (possibly rectangular) identity matrix times `gain` (Keras's
/// `IdentityInitializer(gain=1.0)`, also `Identity` and `"identity"`): ones on the main diagonal.
public struct IdentityInitializer: Initializer, Equatable {
    /// `"IdentityInitializer"` (Keras 3's class name; `"Identity"` is accepted on loading).
    public static let typeName = "IdentityInitializer"

    /// The diagonal value.
    public var gain: Float

    /// Keras's default gain is 1.
    public init(gain: Float = 1) { self.gain = gain }

    /// Reads Keras's `gain` (default 1).
    /// - Throws: ``ConfigurationError`` on a non-numeric value.
    public init(configuration: Configuration) throws {
        gain = try configuration.float("gain", in: Self.typeName, default: 1)
    }

    /// `{"gain"}`.
    public var configuration: Configuration { ["gain": JSONValue(gain)] }

    /// `gain` on the main diagonal of a `[rows, columns]` matrix, zero elsewhere; the generator is not
    /// used. Traps unless the shape has rank 2 (Keras raises) and non-negative dimensions.
    public func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        checkInitializerShape(shape, Self.typeName)
        guard shape.count == 2 else {
            trap(.invalidArgument(op: Self.typeName, message: "the identity initializer needs a rank-2 shape, got \(shape)"))
        }
        let (rows, columns) = (shape[0], shape[1])
        var values = [Float](repeating: 0, count: rows * columns)
        for i in 0..<Swift.min(rows, columns) { values[i * columns + i] = gain }
        return Tensor(shape: shape, scalars: values)
    }
}
