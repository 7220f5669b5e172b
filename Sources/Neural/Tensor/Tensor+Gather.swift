/// Selecting by index lists: `gathering(atIndices:alongAxis:)` (embedding lookups, batches by index),
/// its adjoint `scatteringAdd(atIndices:count:alongAxis:)`, and one-hot encoding.
extension Tensor {
    /// `indices` with negative entries counted from the end, after checking that each lies in
    /// `-count..<count`.
    ///
    /// - Throws: ``TensorError/invalidArgument(op:message:)`` naming the first index out of range.
    public static func validatedIndices(_ indices: [Int], count: Int, op: String) throws(TensorError) -> [Int] {
        var normalized = indices
        for (position, index) in indices.enumerated() {
            let adjusted = index < 0 ? index + count : index
            guard adjusted >= 0 && adjusted < count else {
                throw .invalidArgument(op: op, message: "index \(index) is out of range for an axis of size \(count)")
            }
            normalized[position] = adjusted
        }
        return normalized
    }

    /// The slices at `indices` along `axis`, in that order and with repeats allowed (NumPy's
    /// `take(indices, axis)`, TensorFlow's `gather`): the axis' size becomes `indices.count`. Negative
    /// indices count from the end. Traps on an index or axis out of range. Differentiable: the gradient
    /// adds each upstream slice into the slice it came from.
    public func gathering(atIndices indices: [Int], alongAxis axis: Int = 0) -> Tensor {
        let op = "gathering(atIndices:alongAxis:)"
        let position = Tensor.axisOrTrap(axis, rank: rank, op: op)
        let extent = shape[position]
        let rows: [Int]
        do { rows = try Tensor.validatedIndices(indices, count: extent, op: op + " on shape \(shape)") } catch {
            trap(error)
        }
        var outShape = shape
        outShape[position] = rows.count
        let outer = shape[..<position].reduce(1, *)
        let inner = shape[(position + 1)...].reduce(1, *)
        let result = withUnsafeBufferPointer { source in
            Tensor.make(shape: outShape, count: outer * rows.count * inner) { out in
                guard let s = source.baseAddress, let o = out.baseAddress, inner > 0 else { return }
                var destination = o
                for block in 0..<outer {
                    let base = s + block * extent * inner
                    for row in rows {
                        destination.update(from: base + row * inner, count: inner)
                        destination += inner
                    }
                }
            }
        }
        if Tensor.isRecording {
            result.record(inputs: [self]) { upstream, _ in
                [upstream.scatteringAdd(atIndices: rows, count: extent, alongAxis: position)]
            }
        }
        return result
    }

    /// The adjoint of ``gathering(atIndices:alongAxis:)``: a tensor whose `axis` has size `count`, zero
    /// except that slice `i` of this tensor along `axis` is added at position `indices[i]` (repeated
    /// positions add up; TensorFlow's `unsorted_segment_sum` along an axis). `indices.count` must be the
    /// size of `axis`. Traps otherwise or on an index out of `-count..<count`. Differentiable: the
    /// gradient gathers the upstream at `indices`.
    public func scatteringAdd(atIndices indices: [Int], count: Int, alongAxis axis: Int = 0) -> Tensor {
        let op = "scatteringAdd(atIndices:count:alongAxis:)"
        let position = Tensor.axisOrTrap(axis, rank: rank, op: op)
        guard indices.count == shape[position], count >= 0 else {
            trap(.invalidArgument(
                op: op, message: "\(indices.count) indices and count \(count) for axis \(axis) of shape \(shape)"))
        }
        let rows: [Int]
        do { rows = try Tensor.validatedIndices(indices, count: count, op: op) } catch { trap(error) }
        var outShape = shape
        outShape[position] = count
        let outer = shape[..<position].reduce(1, *)
        let inner = shape[(position + 1)...].reduce(1, *)
        let result = withUnsafeBufferPointer { source in
            Tensor.make(shape: outShape, count: outer * count * inner) { out in
                out.initialize(repeating: 0)
                guard let s = source.baseAddress, let o = out.baseAddress, inner > 0 else { return }
                var from = s
                for block in 0..<outer {
                    let base = o + block * count * inner
                    for row in rows {
                        let destination = base + row * inner
                        for j in 0..<inner { destination[j] += from[j] }
                        from += inner
                    }
                }
            }
        }
        if Tensor.isRecording {
            result.record(inputs: [self]) { upstream, _ in [upstream.gathering(atIndices: rows, alongAxis: position)] }
        }
        return result
    }

    /// A `[indices.count, depth]` matrix whose row `i` is `onValue` at column `indices[i]` and
    /// `offValue` elsewhere (TensorFlow's `one_hot`). Not differentiable (it has no tensor input).
    /// Traps on a negative depth or an index outside `0..<depth` (unlike TensorFlow, which gives a row
    /// of `offValue`: a label out of range is more often a bug than padding); check labels that come
    /// from data before calling.
    public init(oneHotAtIndices indices: [Int], depth: Int, onValue: Float = 1, offValue: Float = 0) {
        let op = "Tensor(oneHotAtIndices:depth:)"
        guard depth >= 0 else { trap(.invalidArgument(op: op, message: "depth \(depth) is negative")) }
        for index in indices where index < 0 || index >= depth {
            trap(.invalidArgument(op: op, message: "index \(index) is outside 0..<\(depth)"))
        }
        self = Tensor.make(shape: [indices.count, depth], count: indices.count * depth) { out in
            out.initialize(repeating: offValue)
            for (row, index) in indices.enumerated() { out[row * depth + index] = onValue }
        }
    }
}
