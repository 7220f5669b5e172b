/// What went wrong in a tensor operation, with the operation's name and the shapes involved.
///
/// **Policy.** Inside the tensor core, these are programmer errors: an operator such as `a + b` or
/// `matmul(a, b)` *traps* with the error's message (as indexing an `Array` out of range does), because
/// making every arithmetic expression `try` would bury the math. Code that handles input a user wrote
/// (study files, data files, layer configurations) validates it first, with the throwing checks this
/// type comes from (``Tensor/broadcastShape(_:_:op:)``, ``Tensor/init(validatingShape:scalars:)``) or in
/// the layers and models above the core, which throw. No user input reaches a trapping path unchecked.
public enum TensorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two shapes that cannot be broadcast together.
    case incompatibleShapes(op: String, lhs: [Int], rhs: [Int])
    /// An axis outside `-rank..<rank`.
    case invalidAxis(op: String, axis: Int, rank: Int)
    /// A shape with a negative dimension, or otherwise not valid for the operation.
    case invalidShape(op: String, shape: [Int])
    /// A shape whose element count differs from the data given.
    case elementCountMismatch(op: String, shape: [Int], count: Int)
    /// Nested arrays whose inner lengths differ.
    case raggedNestedArray(op: String, lengths: [Int])
    /// A tensor with more or fewer than one element used as a scalar.
    case notAScalar(op: String, shape: [Int])
    /// An argument outside what the operation accepts, explained in `message`.
    case invalidArgument(op: String, message: String)

    /// A message naming the operation and the shapes, for people.
    public var description: String {
        switch self {
        case let .incompatibleShapes(op, lhs, rhs):
            return "\(op): shapes \(lhs) and \(rhs) are not compatible"
        case let .invalidAxis(op, axis, rank):
            return "\(op): axis \(axis) is out of range for a tensor of rank \(rank) (valid: \(-rank)..<\(rank))"
        case let .invalidShape(op, shape):
            return "\(op): shape \(shape) is not valid"
        case let .elementCountMismatch(op, shape, count):
            return "\(op): shape \(shape) needs \(shape.reduce(1, *)) elements but \(count) were given"
        case let .raggedNestedArray(op, lengths):
            return "\(op): nested arrays have different lengths \(lengths)"
        case let .notAScalar(op, shape):
            return "\(op): expected a tensor with one element, got shape \(shape)"
        case let .invalidArgument(op, message):
            return "\(op): \(message)"
        }
    }
}

/// Stops the program with the error's message. `fatalError` (unlike `precondition`) keeps the message
/// in optimized builds, so the user sees which operation and which shapes were at fault.
@usableFromInline
internal func trap(_ error: TensorError, file: StaticString = #file, line: UInt = #line) -> Never {
    fatalError(error.description, file: file, line: line)
}

extension Tensor {
    /// Normalizes a possibly negative axis into `0..<rank`, throwing when it is out of range.
    ///
    /// - Throws: ``TensorError/invalidAxis(op:axis:rank:)``.
    public static func normalizedAxis(_ axis: Int, rank: Int, op: String) throws(TensorError) -> Int {
        let normalized = axis < 0 ? axis + rank : axis
        guard normalized >= 0 && normalized < rank else { throw .invalidAxis(op: op, axis: axis, rank: rank) }
        return normalized
    }

    /// Normalizes an axis or traps with the operation's name (the core's policy for programmer errors).
    @usableFromInline
    internal static func axisOrTrap(_ axis: Int, rank: Int, op: String) -> Int {
        do { return try normalizedAxis(axis, rank: rank, op: op) } catch { trap(error) }
    }
}
