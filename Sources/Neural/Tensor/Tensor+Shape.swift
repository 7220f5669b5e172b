/// Reshaping without copying: `reshaped(to:)`, `flattened()`, `expandingShape(at:)` and
/// `squeezingShape(at:)`. All share the storage of their input (copy-on-write keeps them apart) and
/// record a reshape whose gradient is the upstream reshaped back.
extension Tensor {
    /// The shape `newShape` means for a tensor of `shape`: a single `-1` is replaced by the extent that
    /// keeps the element count (NumPy's and TensorFlow's `reshape`).
    ///
    /// - Throws: ``TensorError/invalidArgument(op:message:)`` naming both shapes when there is more than
    ///   one `-1`, a dimension below `-1`, a `-1` that cannot be inferred, or an element count that differs.
    public static func validatedReshape(of shape: [Int], to newShape: [Int]) throws(TensorError) -> [Int] {
        let op = "reshaped(to:)"
        let count = shape.reduce(1, *)
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        guard inferred.count <= 1 else {
            throw .invalidArgument(op: op, message: "only one dimension may be -1, got \(newShape) for shape \(shape)")
        }
        guard newShape.allSatisfy({ $0 >= -1 }) else {
            throw .invalidArgument(op: op, message: "shape \(newShape) has a negative dimension other than -1")
        }
        guard let unknown = inferred.first else {
            guard newShape.reduce(1, *) == count else {
                throw .invalidArgument(
                    op: op, message: "cannot reshape shape \(shape) (\(count) elements) to \(newShape) "
                        + "(\(newShape.reduce(1, *)) elements)")
            }
            return newShape
        }
        let known = newShape.enumerated().reduce(1) { $1.offset == unknown ? $0 : $0 * $1.element }
        guard known > 0, count % known == 0 else {
            throw .invalidArgument(
                op: op, message: "cannot reshape shape \(shape) (\(count) elements) to \(newShape): "
                    + "the -1 cannot be inferred")
        }
        var resolved = newShape
        resolved[unknown] = count / known
        return resolved
    }

    /// The same elements in another shape with the same element count; one dimension may be `-1`
    /// and is inferred. Never copies the elements. Traps (naming both shapes) when the counts differ;
    /// see ``validatedReshape(of:to:)``. Differentiable.
    public func reshaped(to newShape: [Int]) -> Tensor {
        let resolved: [Int]
        do { resolved = try Tensor.validatedReshape(of: shape, to: newShape) } catch { trap(error) }
        return reshapedRecorded(resolved)
    }

    /// The elements as a rank-1 tensor, in row-major order. Never copies. Differentiable.
    public func flattened() -> Tensor { reshapedRecorded([scalarCount]) }

    /// The shape with a dimension of size 1 inserted at `axis` (TensorFlow's `expand_dims`, NumPy's
    /// `np.newaxis`). `axis` may be `-rank - 1 ... rank`; negative values count from the end of the
    /// result, so `-1` appends. Traps on other axes. Differentiable.
    public func expandingShape(at axis: Int) -> Tensor {
        let position = Tensor.axisOrTrap(axis, rank: rank + 1, op: "expandingShape(at:)")
        var newShape = shape
        newShape.insert(1, at: position)
        return reshapedRecorded(newShape)
    }

    /// The shape without the dimensions of size 1 at `axes` (negative axes count from the end).
    ///
    /// - Throws: ``TensorError/invalidAxis(op:axis:rank:)`` for an axis out of range, and
    ///   ``TensorError/invalidArgument(op:message:)`` for a repeated axis or one whose size is not 1.
    public static func validatedSqueeze(of shape: [Int], at axes: [Int]) throws(TensorError) -> [Int] {
        let op = "squeezingShape(at:)"
        var removed = Set<Int>()
        for axis in axes {
            let normalized = try normalizedAxis(axis, rank: shape.count, op: op)
            guard shape[normalized] == 1 else {
                throw .invalidArgument(op: op, message: "cannot squeeze axis \(axis) of shape \(shape): its size is not 1")
            }
            guard removed.insert(normalized).inserted else {
                throw .invalidArgument(op: op, message: "axis \(axis) is repeated in \(axes)")
            }
        }
        return shape.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    }

    /// The tensor without the size-1 dimensions at `axes` (TensorFlow's `squeeze(axis:)`). Traps when
    /// an axis is out of range, repeated, or not of size 1; see ``validatedSqueeze(of:at:)``. Differentiable.
    public func squeezingShape(at axes: [Int]) -> Tensor {
        let newShape: [Int]
        do { newShape = try Tensor.validatedSqueeze(of: shape, at: axes) } catch { trap(error) }
        return reshapedRecorded(newShape)
    }

    /// The tensor without the size-1 dimensions at `axes`; see ``squeezingShape(at:)-([Int])``.
    public func squeezingShape(at axes: Int...) -> Tensor { squeezingShape(at: axes) }

    /// The tensor without any of its size-1 dimensions (TensorFlow's `squeeze()`). Differentiable.
    public func squeezingShape() -> Tensor { reshapedRecorded(shape.filter { $0 != 1 }) }

    /// A reshape to an already validated shape, recorded so that the gradient is reshaped back.
    func reshapedRecorded(_ newShape: [Int]) -> Tensor {
        let result = reshapedUnrecorded(newShape)
        if Tensor.isRecording {
            let sourceShape = shape
            result.record(inputs: [self]) { upstream, _ in [upstream.reshapedRecorded(sourceShape)] }
        }
        return result
    }
}
