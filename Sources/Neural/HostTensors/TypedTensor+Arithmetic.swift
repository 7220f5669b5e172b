extension TypedTensor where Scalar: ArithmeticScalar {
    /// Elementwise sum with broadcasting (tf.add); integers wrap on overflow. Both sides have the same
    /// element type: adding an `Int32` tensor to a `Float` one does not compile (TensorFlow raises
    /// `InvalidArgumentError` at run time). Traps when the shapes cannot be broadcast.
    public static func + (lhs: TypedTensor, rhs: TypedTensor) -> TypedTensor {
        elementwise(lhs, rhs, op: "+", Scalar.tensorAdd)
    }

    /// Elementwise difference with broadcasting (tf.subtract); integers wrap. Traps when the shapes cannot be broadcast.
    public static func - (lhs: TypedTensor, rhs: TypedTensor) -> TypedTensor {
        elementwise(lhs, rhs, op: "-", Scalar.tensorSubtract)
    }

    /// Elementwise product with broadcasting (tf.multiply); integers wrap. Traps when the shapes cannot be broadcast.
    public static func * (lhs: TypedTensor, rhs: TypedTensor) -> TypedTensor {
        elementwise(lhs, rhs, op: "*", Scalar.tensorMultiply)
    }

    /// `lhs + TypedTensor(rhs)`.
    public static func + (lhs: TypedTensor, rhs: Scalar) -> TypedTensor { lhs + TypedTensor(rhs) }
    /// `lhs - TypedTensor(rhs)`.
    public static func - (lhs: TypedTensor, rhs: Scalar) -> TypedTensor { lhs - TypedTensor(rhs) }
    /// `lhs * TypedTensor(rhs)`.
    public static func * (lhs: TypedTensor, rhs: Scalar) -> TypedTensor { lhs * TypedTensor(rhs) }

    /// The sum of all elements (tf.reduce_sum with no axis); integers wrap.
    public func sum() -> Scalar {
        scalars.reduce(Scalar(casting: .integer(0)), Scalar.tensorAdd)
    }

    private static func elementwise(
        _ lhs: TypedTensor, _ rhs: TypedTensor, op: String, _ combine: (Scalar, Scalar) -> Scalar
    ) -> TypedTensor {
        if lhs.shape == rhs.shape {
            return TypedTensor(uncheckedShape: lhs.shape, scalars: zip(lhs.scalars, rhs.scalars).map(combine))
        }
        let shape: [Int]
        do {
            shape = try Tensor.broadcastShape(lhs.shape, rhs.shape, op: "TypedTensor \(op)")
        } catch {
            trap(error)
        }
        let left = broadcastIndices(from: lhs.shape, to: shape)
        let right = broadcastIndices(from: rhs.shape, to: shape)
        return TypedTensor(uncheckedShape: shape, scalars: zip(left, right).map { combine(lhs.scalars[$0], rhs.scalars[$1]) })
    }
}

/// For each element of a tensor of `target` shape (row-major), the index of the element of a tensor of
/// `source` shape that broadcasting reads.
func broadcastIndices(from source: [Int], to target: [Int]) -> [Int] {
    let count = target.reduce(1, *)
    let padded = [Int](repeating: 1, count: target.count - source.count) + source
    var strides = [Int](repeating: 0, count: target.count)
    var step = 1
    for axis in stride(from: target.count - 1, through: 0, by: -1) {
        strides[axis] = padded[axis] == 1 ? 0 : step
        step *= padded[axis]
    }
    var result = [Int](repeating: 0, count: count)
    for flat in 0..<count {
        var rest = flat, index = 0
        for axis in stride(from: target.count - 1, through: 0, by: -1) {
            index += (rest % target[axis]) * strides[axis]
            rest /= target[axis]
        }
        result[flat] = index
    }
    return result
}
