/// Joining tensors along an axis and splitting them apart again: `concatenating`, `stacking` and
/// `split`. Concatenation's gradient splits the upstream; each piece of a split is its own recorded
/// slice, whose gradient writes the upstream back into zeros.
extension Tensor {
    /// The shape of `shapes` concatenated along `axis`, with the axis normalized.
    ///
    /// - Throws: ``TensorError/invalidArgument(op:message:)`` for an empty list or a rank-0 tensor,
    ///   ``TensorError/invalidAxis(op:axis:rank:)``, and ``TensorError/incompatibleShapes(op:lhs:rhs:)``
    ///   naming the first shape and the first one that differs off the axis.
    public static func validatedConcatenation(
        of shapes: [[Int]], alongAxis axis: Int
    ) throws(TensorError) -> (shape: [Int], axis: Int) {
        let op = "Tensor(concatenating:alongAxis:)"
        guard let first = shapes.first else {
            throw .invalidArgument(op: op, message: "needs at least one tensor")
        }
        guard !first.isEmpty else {
            throw .invalidArgument(op: op, message: "cannot concatenate rank-0 tensors; stack them instead")
        }
        let position = try normalizedAxis(axis, rank: first.count, op: op)
        var total = 0
        for shape in shapes {
            guard shape.count == first.count,
                  zip(shape, first).enumerated().allSatisfy({ $0.offset == position || $0.element.0 == $0.element.1 })
            else {
                throw .incompatibleShapes(op: op + " (sizes off axis \(axis) must agree)", lhs: first, rhs: shape)
            }
            total += shape[position]
        }
        var result = first
        result[position] = total
        return (result, position)
    }

    /// The tensors joined end to end along `axis` (NumPy's `concatenate`, TensorFlow's `concat`). All
    /// must have the same rank and the same sizes on the other axes. Traps otherwise; see
    /// ``validatedConcatenation(of:alongAxis:)``. Differentiable: each input's gradient is its part of
    /// the upstream.
    public init(concatenating tensors: [Tensor], alongAxis axis: Int = 0) {
        let validated: (shape: [Int], axis: Int)
        do { validated = try Tensor.validatedConcatenation(of: tensors.map(\.shape), alongAxis: axis) } catch {
            trap(error)
        }
        let (outShape, position) = validated
        if tensors.count == 1 {
            self = tensors[0].reshapedRecorded(outShape)
            return
        }
        let outer = outShape[..<position].reduce(1, *)
        let inner = outShape[(position + 1)...].reduce(1, *)
        let outRow = outShape[position] * inner
        let result = Tensor.make(shape: outShape, count: outer * outRow) { out in
            guard let o = out.baseAddress else { return }
            var column = 0
            for tensor in tensors {
                let run = tensor.shape[position] * inner
                tensor.withUnsafeBufferPointer { source in
                    guard let s = source.baseAddress, run > 0 else { return }
                    for row in 0..<outer {
                        (o + row * outRow + column).update(from: s + row * run, count: run)
                    }
                }
                column += run
            }
        }
        if Tensor.isRecording {
            let sizes = tensors.map { $0.shape[position] }
            result.record(inputs: tensors) { upstream, needed in
                var start = 0
                return sizes.enumerated().map { index, size in
                    defer { start += size }
                    return needed[index] ? upstream.slice(alongAxis: position, from: start, count: size) : nil
                }
            }
        }
        self = result
    }

    /// The tensors, all of one shape, stacked along a new axis at `axis` (NumPy's `stack`): the result
    /// has rank one higher. `axis` may be `-rank - 1 ... rank` of the inputs. Traps on an empty list,
    /// differing shapes or a bad axis. Differentiable.
    public init(stacking tensors: [Tensor], alongAxis axis: Int = 0) {
        let op = "Tensor(stacking:alongAxis:)"
        guard let first = tensors.first else { trap(.invalidArgument(op: op, message: "needs at least one tensor")) }
        for tensor in tensors where tensor.shape != first.shape {
            trap(.incompatibleShapes(op: op + " (all shapes must be equal)", lhs: first.shape, rhs: tensor.shape))
        }
        let position = Tensor.axisOrTrap(axis, rank: first.rank + 1, op: op)
        var unitShape = first.shape
        unitShape.insert(1, at: position)
        self.init(concatenating: tensors.map { $0.reshapedRecorded(unitShape) }, alongAxis: position)
    }

    /// The sizes of the pieces `split(sizes:alongAxis:)` makes, with a single `-1` inferred and the axis
    /// normalized.
    ///
    /// - Throws: ``TensorError/invalidAxis(op:axis:rank:)``, or ``TensorError/invalidArgument(op:message:)``
    ///   naming the sizes and the shape when they do not add up to the axis' extent.
    public static func validatedSplit(
        of shape: [Int], sizes: [Int], alongAxis axis: Int
    ) throws(TensorError) -> (sizes: [Int], axis: Int) {
        let op = "split(sizes:alongAxis:)"
        let position = try normalizedAxis(axis, rank: shape.count, op: op)
        let extent = shape[position]
        let unknown = sizes.indices.filter { sizes[$0] == -1 }
        guard unknown.count <= 1, sizes.allSatisfy({ $0 >= -1 }) else {
            throw .invalidArgument(op: op, message: "sizes \(sizes) may hold one -1 and otherwise no negative size")
        }
        var resolved = sizes
        let known = sizes.filter { $0 >= 0 }.reduce(0, +)
        if let index = unknown.first, known <= extent { resolved[index] = extent - known }
        guard resolved.reduce(0, +) == extent, resolved.allSatisfy({ $0 >= 0 }) else {
            throw .invalidArgument(
                op: op, message: "sizes \(sizes) do not add up to \(extent), the size of axis \(axis) of shape \(shape)")
        }
        return (resolved, position)
    }

    /// Pieces of the given sizes along `axis` (TensorFlow's `split` with `size_splits`); one size may be
    /// `-1` and takes what is left. Traps when the sizes do not add up; see
    /// ``validatedSplit(of:sizes:alongAxis:)``. Each piece is differentiable on its own.
    public func split(sizes: [Int], alongAxis axis: Int = 0) -> [Tensor] {
        let validated: (sizes: [Int], axis: Int)
        do { validated = try Tensor.validatedSplit(of: shape, sizes: sizes, alongAxis: axis) } catch { trap(error) }
        var start = 0
        return validated.sizes.map { size in
            defer { start += size }
            return slice(alongAxis: validated.axis, from: start, count: size)
        }
    }

    /// `count` pieces of equal size along `axis` (TensorFlow's `split(num_or_size_splits: count)`).
    /// Traps when `count` is not positive or does not divide the axis' size. Each piece is differentiable.
    public func split(count: Int, alongAxis axis: Int = 0) -> [Tensor] {
        let op = "split(count:alongAxis:)"
        let position = Tensor.axisOrTrap(axis, rank: rank, op: op)
        guard count > 0, shape[position] % count == 0 else {
            trap(.invalidArgument(
                op: op, message: "cannot split axis \(axis) of shape \(shape) into \(count) equal pieces"))
        }
        return split(sizes: [Int](repeating: shape[position] / count, count: count), alongAxis: position)
    }

    /// Elements `start ..< start + count` along a normalized axis, every other axis whole. Recorded.
    func slice(alongAxis axis: Int, from start: Int, count: Int) -> Tensor {
        let strides = StridedView.rowMajorStrides(shape)
        var viewShape = shape
        viewShape[axis] = count
        return extracting(StridedView(offset: start * strides[axis], shape: viewShape, strides: strides))
    }
}
