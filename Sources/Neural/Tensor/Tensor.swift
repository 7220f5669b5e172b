/// An n-dimensional array of 32-bit floats: contiguous, row-major, copy-on-write.
///
/// A `Tensor` is a value. Copies share storage until one of them is mutated. Every tensor carries an
/// identity (`id`) that the ``GradientTape`` uses to follow it through recorded operations; a mutation
/// gives the mutated tensor a new identity, so a tape never mistakes a changed value for the one it saw.
///
/// Programmer errors (shape mismatches, bad axes, out-of-range indices) trap with a message naming the
/// operation and the shapes involved; see ``TensorError`` for the policy and its throwing checks.
public struct Tensor: Sendable {
    /// The extent of each dimension; empty for a scalar.
    public private(set) var shape: [Int]
    @usableFromInline internal var storage: [Float]
    /// The identity the gradient tape follows. Fresh for every new or mutated tensor.
    public internal(set) var id: TensorID

    /// Creates a tensor from a shape and its elements in row-major order.
    ///
    /// Traps when `scalars.count` is not the product of `shape` or a dimension is negative; use
    /// ``init(validatingShape:scalars:)`` for data that comes from a user.
    public init(shape: [Int], scalars: [Float]) {
        do {
            try Tensor.checkElementCount(shape: shape, count: scalars.count, op: "Tensor(shape:scalars:)")
        } catch {
            trap(error)
        }
        self.shape = shape
        self.storage = scalars
        self.id = TensorID.next()
    }

    /// Creates a tensor from a shape and its elements, throwing instead of trapping when they disagree.
    ///
    /// - Throws: ``TensorError/elementCountMismatch(op:shape:count:)`` or ``TensorError/invalidShape(op:shape:)``.
    public init(validatingShape shape: [Int], scalars: [Float]) throws(TensorError) {
        try Tensor.checkElementCount(shape: shape, count: scalars.count, op: "Tensor(validatingShape:scalars:)")
        self.shape = shape
        self.storage = scalars
        self.id = TensorID.next()
    }

    /// Creates a tensor without checks; for kernels that have already computed a consistent shape.
    @usableFromInline
    internal init(uncheckedShape shape: [Int], storage: [Float]) {
        self.shape = shape
        self.storage = storage
        self.id = TensorID.next()
    }

    /// Creates a rank-0 tensor holding one value.
    public init(_ value: Float) {
        self.init(uncheckedShape: [], storage: [value])
    }

    /// Creates a rank-1 tensor from its elements.
    public init(_ values: [Float]) {
        self.init(uncheckedShape: [values.count], storage: values)
    }

    /// Creates a rank-2 tensor from rows of equal length. Traps on ragged rows.
    public init(_ rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == columns }) else {
            trap(.raggedNestedArray(op: "Tensor([[Float]])", lengths: rows.map(\.count)))
        }
        self.init(uncheckedShape: [rows.count, columns], storage: rows.flatMap { $0 })
    }

    /// Creates a rank-3 tensor from nested arrays of equal lengths. Traps on ragged input.
    public init(_ matrices: [[[Float]]]) {
        let rows = matrices.first?.count ?? 0
        let columns = matrices.first?.first?.count ?? 0
        guard matrices.allSatisfy({ $0.count == rows && $0.allSatisfy { $0.count == columns } }) else {
            trap(.raggedNestedArray(op: "Tensor([[[Float]]])", lengths: matrices.map(\.count)))
        }
        self.init(uncheckedShape: [matrices.count, rows, columns], storage: matrices.flatMap { $0.flatMap { $0 } })
    }

    /// The elements in row-major order.
    @inlinable public var scalars: [Float] { storage }

    /// The number of dimensions.
    @inlinable public var rank: Int { shape.count }

    /// The number of elements.
    @inlinable public var scalarCount: Int { storage.count }

    /// The single element of a tensor with one element (any rank). Traps otherwise.
    public var scalar: Float {
        guard storage.count == 1 else { trap(.notAScalar(op: "scalar", shape: shape)) }
        return storage[0]
    }

    /// Reads the elements through a pointer, without copying.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Mutates the elements in place (copying first if the storage is shared) and gives the tensor a
    /// new identity. Not recorded on any tape.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        id = TensorID.next()
        return try storage.withUnsafeMutableBufferPointer(body)
    }

    /// Makes a tensor of the given shape whose elements `body` writes; the buffer starts uninitialized.
    @inlinable
    internal static func make(
        shape: [Int], count: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> Void
    ) -> Tensor {
        let storage = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            body(buffer)
            initialized = count
        }
        return Tensor(uncheckedShape: shape, storage: storage)
    }

    /// A copy with the same elements and shape but a new identity: what the tape sees as a new value.
    internal func withFreshIdentity() -> Tensor {
        var copy = self
        copy.id = TensorID.next()
        return copy
    }

    /// Same elements, another shape of the same element count; no copy, no recording.
    @usableFromInline
    internal func reshapedUnrecorded(_ newShape: [Int]) -> Tensor {
        Tensor(uncheckedShape: newShape, storage: storage)
    }

    static func checkElementCount(shape: [Int], count: Int, op: String) throws(TensorError) {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .invalidShape(op: op, shape: shape) }
        let expected = shape.reduce(1, *)
        guard expected == count else { throw .elementCountMismatch(op: op, shape: shape, count: count) }
    }
}

extension Tensor: CustomStringConvertible {
    /// A NumPy-like rendering of the elements and the shape, e.g. `[[1.0, 2.0], [3.0, 4.0]] shape=[2, 2]`.
    public var description: String {
        func render(_ dimension: Int, _ offset: Int) -> String {
            if dimension == shape.count { return "\(storage[offset])" }
            let stride = shape[(dimension + 1)...].reduce(1, *)
            let items = (0..<shape[dimension]).map { render(dimension + 1, offset + $0 * stride) }
            return "[" + items.joined(separator: ", ") + "]"
        }
        if storage.count > 1000 { return "Tensor(shape: \(shape), \(storage.count) elements)" }
        return render(0, 0) + " shape=\(shape)"
    }
}

extension Tensor: Equatable {
    /// Two tensors are equal when their shapes and elements are equal; identity is ignored.
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.storage == rhs.storage
    }
}

extension Tensor: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// A scalar tensor from a literal: `let t: Tensor = 3.5`.
    public init(floatLiteral value: Float) { self.init(value) }
    /// A scalar tensor from a literal: `let t: Tensor = 3`.
    public init(integerLiteral value: Int) { self.init(Float(value)) }
}
