/// A host-side n-dimensional array of any ``TensorScalar`` (Int32, Int64, Double, Bool, Float, byte
/// strings): TensorFlow's non-float32 dtypes, for data, labels, indices and conversions.
///
/// ``Tensor`` stays the float32 type that layers, the gradient tape and the fused kernels use;
/// `TypedTensor` has no autodiff and only elementwise `+ - *` (for ``ArithmeticScalar`` elements). Its
/// element type is part of its Swift type, so what TensorFlow rejects at run time
/// (`tf.constant(2.) + tf.constant(40)`, float32 + float64) does not compile here: convert explicitly
/// with ``cast(to:)``, ``Tensor/init(casting:)`` or ``Tensor/cast(to:)`` (tf.cast).
///
/// ```swift
/// let t = TypedTensor<Int32>(42)                 // tf.constant(42): shape [], dtype int32
/// let t2 = TypedTensor<Double>(40)               // tf.constant(40., dtype=tf.float64)
/// Tensor(2.0) + Tensor(casting: t2)              // 42.0, float32
/// ```
///
/// Like ``Tensor``, shape mismatches in operators are programmer errors and trap with a message; data
/// from a user goes through the throwing ``init(validatingShape:scalars:)``.
public struct TypedTensor<Scalar: TensorScalar>: Sendable, Equatable {
    /// The extent of each dimension; empty for a scalar.
    public let shape: [Int]
    /// The elements in row-major order.
    public let scalars: [Scalar]

    /// Creates a tensor from a shape and its elements in row-major order; traps when `scalars.count` is
    /// not the product of `shape` (use ``init(validatingShape:scalars:)`` for a user's data).
    public init(shape: [Int], scalars: [Scalar]) {
        do {
            try Tensor.checkElementCount(shape: shape, count: scalars.count, op: "TypedTensor(shape:scalars:)")
        } catch {
            trap(error)
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor from a shape and its elements.
    /// - Throws: ``TensorError/elementCountMismatch(op:shape:count:)`` or ``TensorError/invalidShape(op:shape:)``
    ///   when they disagree.
    public init(validatingShape shape: [Int], scalars: [Scalar]) throws(TensorError) {
        try Tensor.checkElementCount(shape: shape, count: scalars.count, op: "TypedTensor(validatingShape:scalars:)")
        self.shape = shape
        self.scalars = scalars
    }

    init(uncheckedShape shape: [Int], scalars: [Scalar]) {
        self.shape = shape
        self.scalars = scalars
    }

    /// A rank-0 tensor holding `value` (`tf.constant(42)` is `TypedTensor<Int32>(42)`).
    public init(_ value: Scalar) { self.init(uncheckedShape: [], scalars: [value]) }

    /// A rank-1 tensor of `values`.
    public init(_ values: [Scalar]) { self.init(uncheckedShape: [values.count], scalars: values) }

    /// A rank-2 tensor of `rows`.
    /// - Throws: ``TensorError/raggedNestedArray(op:lengths:)`` when the rows differ in length.
    public init(_ rows: [[Scalar]]) throws(TensorError) {
        let width = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == width }) else {
            throw .raggedNestedArray(op: "TypedTensor(_:)", lengths: rows.map(\.count))
        }
        self.init(uncheckedShape: [rows.count, width], scalars: rows.flatMap { $0 })
    }

    /// A tensor of `shape` with every element `value`.
    /// - Throws: ``TensorError/invalidShape(op:shape:)`` for a negative dimension.
    public init(repeating value: Scalar, shape: [Int]) throws(TensorError) {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .invalidShape(op: "TypedTensor(repeating:shape:)", shape: shape) }
        self.init(uncheckedShape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
    }

    /// The element type's TensorFlow name.
    public var dtype: DType { Scalar.dtype }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The number of elements.
    public var scalarCount: Int { scalars.count }

    /// The one element of a tensor that has exactly one, else nil.
    public var scalar: Scalar? { scalars.count == 1 ? scalars[0] : nil }

    /// The rows of a rank-2 tensor (nil for other ranks).
    public var rows: [[Scalar]]? {
        guard rank == 2 else { return nil }
        let width = shape[1]
        return (0..<shape[0]).map { Array(scalars[($0 * width)..<(($0 + 1) * width)]) }
    }
}

extension TypedTensor: CustomStringConvertible {
    /// TensorFlow's rendering, `TypedTensor(shape=(), dtype=int32, numpy=42)`, with the elements flat.
    public var description: String {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        func render(_ value: Scalar) -> String {
            if let bytes = value as? [UInt8] { return "b\"" + String(decoding: bytes, as: UTF8.self) + "\"" }
            return "\(value)"
        }
        let values = rank == 0 ? scalars.map(render).joined() : "[" + scalars.map(render).joined(separator: ", ") + "]"
        return "TypedTensor(shape=\(shapeText), dtype=\(dtype), numpy=\(values))"
    }
}

extension TypedTensor where Scalar == [UInt8] {
    /// A rank-1 string tensor of the UTF-8 bytes of `strings` (`tf.constant(["café"])` encodes to UTF-8 too).
    public init(strings: [String]) { self.init(strings.map { Array($0.utf8) }) }

    /// The elements decoded as UTF-8 (invalid bytes replaced by U+FFFD).
    public var strings: [String] { scalars.map { String(decoding: $0, as: UTF8.self) } }
}
