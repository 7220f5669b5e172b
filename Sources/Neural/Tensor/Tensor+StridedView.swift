/// Strided views of a row-major buffer: the one copy machinery behind transposes, slices, splits and
/// padding. A view says where each of its elements sits in the buffer; copying it out gives a
/// contiguous tensor (a slice, a transpose), writing into it places a contiguous tensor inside a
/// larger one (a slice's gradient, padding).
@usableFromInline
struct StridedView: Sendable, Equatable {
    /// Where element (0, 0, ...) of the view sits in the buffer.
    var offset: Int
    /// The view's extent in each dimension.
    var shape: [Int]
    /// How far one step in each dimension moves in the buffer (may be 0 or negative).
    var strides: [Int]

    /// The number of elements the view selects.
    var count: Int { shape.reduce(1, *) }

    /// The whole of a row-major tensor of `shape`.
    init(contiguous shape: [Int]) {
        self.offset = 0
        self.shape = shape
        self.strides = StridedView.rowMajorStrides(shape)
    }

    init(offset: Int, shape: [Int], strides: [Int]) {
        self.offset = offset
        self.shape = shape
        self.strides = strides
    }

    /// Row-major strides: the product of the dimensions after each one.
    static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for index in Swift.stride(from: shape.count - 1, through: 0, by: -1) {
            strides[index] = step
            step *= shape[index]
        }
        return strides
    }

    /// The same elements in the same order with as few dimensions as possible: unit dimensions go,
    /// and a dimension merges into the one before it when together they step evenly through memory.
    /// Fewer dimensions means longer inner runs for the copy loops.
    func coalesced() -> StridedView {
        var mergedShape: [Int] = []
        var mergedStrides: [Int] = []
        mergedShape.reserveCapacity(shape.count)
        mergedStrides.reserveCapacity(shape.count)
        for (extent, stride) in zip(shape, strides) where extent != 1 {
            if let last = mergedShape.indices.last, mergedStrides[last] == stride * extent {
                mergedShape[last] *= extent
                mergedStrides[last] = stride
            } else {
                mergedShape.append(extent)
                mergedStrides.append(stride)
            }
        }
        return StridedView(offset: offset, shape: mergedShape, strides: mergedStrides)
    }
}

// MARK: - Kernels

extension StridedView {
    /// Side of the square tiles the transposing loops walk, so both reads and writes stay in cache.
    /// Small on purpose: with power-of-two row lengths the rows of a larger tile fall into the same
    /// cache sets and evict each other (32 was four times slower than 8 on a 1024×1024 transpose).
    private static let tile = 8

    /// Copies the elements the view selects from `source` into `destination`, in row-major order.
    func copyOut(from source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>) {
        transfer(strided: UnsafeMutablePointer(mutating: source), contiguous: destination, gather: true)
    }

    /// Writes `source` (row-major, `count` elements) into the positions the view selects in `destination`.
    func copyIn(from source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>) {
        transfer(strided: destination, contiguous: UnsafeMutablePointer(mutating: source), gather: false)
    }

    /// One loop nest for both directions: `gather` reads the strided side and writes the contiguous
    /// one, otherwise the reverse. (The strided pointer is only written when `gather` is false.)
    private func transfer(
        strided: UnsafeMutablePointer<Float>, contiguous: UnsafeMutablePointer<Float>, gather: Bool
    ) {
        let view = coalesced()
        if view.shape.contains(0) { return }
        let rank = view.shape.count
        if rank == 0 {
            if gather { contiguous[0] = strided[view.offset] } else { strided[view.offset] = contiguous[0] }
            return
        }
        let innerExtent = view.shape[rank - 1], innerStride = view.strides[rank - 1]

        // A transposed pair of dimensions (the inner one strided, the one before it contiguous in the
        // buffer): walk it in tiles instead of striding through memory one element at a time.
        if rank >= 2 && view.strides[rank - 2] == 1 && innerStride != 1 {
            let rows = view.shape[rank - 2]
            let blockSize = rows * innerExtent
            let tile = StridedView.tile
            view.forEachOuterOffset(outerRank: rank - 2) { block, base in
                let c = contiguous + block * blockSize
                let s = strided + base
                var i0 = 0
                while i0 < rows {
                    let i1 = Swift.min(i0 + tile, rows)
                    var j0 = 0
                    while j0 < innerExtent {
                        let j1 = Swift.min(j0 + tile, innerExtent)
                        for i in i0..<i1 {
                            let row = c + i * innerExtent
                            if gather {
                                for j in j0..<j1 { row[j] = s[i + j * innerStride] }
                            } else {
                                for j in j0..<j1 { s[i + j * innerStride] = row[j] }
                            }
                        }
                        j0 = j1
                    }
                    i0 = i1
                }
            }
            return
        }

        view.forEachOuterOffset(outerRank: rank - 1) { run, base in
            let c = contiguous + run * innerExtent
            let s = strided + base
            if innerStride == 1 {
                if gather { c.update(from: s, count: innerExtent) } else { s.update(from: c, count: innerExtent) }
            } else if gather {
                for j in 0..<innerExtent { c[j] = s[j * innerStride] }
            } else {
                for j in 0..<innerExtent { s[j * innerStride] = c[j] }
            }
        }
    }

    /// Calls `body(blockIndex, bufferOffset)` for each index of the first `outerRank` dimensions, in
    /// row-major order, with the buffer offset of that index (an odometer; no per-step allocation).
    private func forEachOuterOffset(outerRank: Int, _ body: (Int, Int) -> Void) {
        if outerRank == 0 { body(0, offset); return }
        let blocks = shape[0..<outerRank].reduce(1, *)
        var index = [Int](repeating: 0, count: outerRank)
        var position = offset
        for block in 0..<blocks {
            body(block, position)
            var dimension = outerRank - 1
            while dimension >= 0 {
                index[dimension] += 1
                position += strides[dimension]
                if index[dimension] < shape[dimension] { break }
                position -= strides[dimension] * shape[dimension]
                index[dimension] = 0
                dimension -= 1
            }
        }
    }
}

// MARK: - Recorded operations on views

extension Tensor {
    /// The elements `view` selects from this tensor, as a new contiguous tensor of `view.shape`.
    /// Differentiable: the gradient writes the upstream back into zeros of this tensor's shape.
    /// The caller guarantees the view lies inside the buffer and selects no element twice.
    func extracting(_ view: StridedView) -> Tensor {
        let result = withUnsafeBufferPointer { source in
            Tensor.make(shape: view.shape, count: view.count) { out in
                guard let s = source.baseAddress, let o = out.baseAddress else { return }
                view.copyOut(from: s, to: o)
            }
        }
        if Tensor.isRecording {
            let sourceShape = shape
            result.record(inputs: [self]) { upstream, _ in
                [upstream.embedding(into: sourceShape, at: view, filling: 0)]
            }
        }
        return result
    }

    /// A tensor of `baseShape` filled with `fill`, with this tensor written at the positions `view`
    /// selects (`view.shape` must be this tensor's shape). Differentiable in this tensor: the gradient
    /// is the same view extracted from the upstream.
    func embedding(into baseShape: [Int], at view: StridedView, filling fill: Float) -> Tensor {
        let count = baseShape.reduce(1, *)
        let result = withUnsafeBufferPointer { source in
            Tensor.make(shape: baseShape, count: count) { out in
                out.initialize(repeating: fill)
                guard let s = source.baseAddress, let o = out.baseAddress else { return }
                view.copyIn(from: s, to: o)
            }
        }
        if Tensor.isRecording {
            result.record(inputs: [self]) { upstream, _ in [upstream.extracting(view)] }
        }
        return result
    }
}
