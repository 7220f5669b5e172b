/// NumPy broadcasting: shape arithmetic, the strided row walker the binary kernels share, and the two
/// recorded operations every broadcast gradient needs (`broadcast(toShape:)` and `sum(toShape:)`).
extension Tensor {
    /// The shape two operands broadcast to, aligning trailing dimensions (NumPy rules).
    ///
    /// - Throws: ``TensorError/incompatibleShapes(op:lhs:rhs:)`` naming `op` and both shapes.
    public static func broadcastShape(_ lhs: [Int], _ rhs: [Int], op: String = "broadcast") throws(TensorError) -> [Int] {
        if lhs == rhs { return lhs }
        let rank = Swift.max(lhs.count, rhs.count)
        var result = [Int](repeating: 1, count: rank)
        for index in 0..<rank {
            let l = index < rank - lhs.count ? 1 : lhs[index - (rank - lhs.count)]
            let r = index < rank - rhs.count ? 1 : rhs[index - (rank - rhs.count)]
            if l == r || r == 1 {
                result[index] = l
            } else if l == 1 {
                result[index] = r
            } else {
                throw .incompatibleShapes(op: op, lhs: lhs, rhs: rhs)
            }
        }
        return result
    }

    /// Row-major strides of `shape`, with 0 on the dimensions that broadcast up to `target`.
    @usableFromInline
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: target.count)
        var step = 1
        let offset = target.count - shape.count
        for index in Swift.stride(from: shape.count - 1, through: 0, by: -1) {
            strides[index + offset] = shape[index] == 1 && target[index + offset] != 1 ? 0 : step
            step *= shape[index]
        }
        return strides
    }

    /// Calls `body(outOffset, aOffset, bOffset)` for each innermost row of `outShape`; the row has
    /// `outShape.last` elements and the operands advance by their last stride inside it.
    @inlinable
    static func forEachBroadcastRow(
        outShape: [Int], aStrides: [Int], bStrides: [Int], _ body: (Int, Int, Int) -> Void
    ) {
        let rank = outShape.count
        guard rank > 0 else { body(0, 0, 0); return }
        let rowLength = outShape[rank - 1]
        let rows = outShape.dropLast().reduce(1, *)
        if rows == 0 || rowLength == 0 { return }
        var index = [Int](repeating: 0, count: Swift.max(rank - 1, 0))
        var aOffset = 0, bOffset = 0
        for row in 0..<rows {
            body(row * rowLength, aOffset, bOffset)
            var dimension = rank - 2
            while dimension >= 0 {
                index[dimension] += 1
                aOffset += aStrides[dimension]
                bOffset += bStrides[dimension]
                if index[dimension] < outShape[dimension] { break }
                aOffset -= aStrides[dimension] * outShape[dimension]
                bOffset -= bStrides[dimension] * outShape[dimension]
                index[dimension] = 0
                dimension -= 1
            }
        }
    }

    /// Applies `operation` elementwise with broadcasting; the kernel behind `+ - * /`, `pow`, `maximum`...
    /// Traps with `op` and both shapes when they do not broadcast. Not recorded: callers record.
    @inlinable
    static func broadcastingKernel(
        _ a: Tensor, _ b: Tensor, op: String, _ operation: (Float, Float) -> Float
    ) -> Tensor {
        if a.shape == b.shape {
            return a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    Tensor.make(shape: a.shape, count: pa.count) { out in
                        for i in 0..<out.count { out[i] = operation(pa[i], pb[i]) }
                    }
                }
            }
        }
        if b.scalarCount == 1 && b.rank <= a.rank {
            let scalar = b.storage[0]
            return a.withUnsafeBufferPointer { pa in
                Tensor.make(shape: a.shape, count: pa.count) { out in
                    for i in 0..<out.count { out[i] = operation(pa[i], scalar) }
                }
            }
        }
        if a.scalarCount == 1 && a.rank <= b.rank {
            let scalar = a.storage[0]
            return b.withUnsafeBufferPointer { pb in
                Tensor.make(shape: b.shape, count: pb.count) { out in
                    for i in 0..<out.count { out[i] = operation(scalar, pb[i]) }
                }
            }
        }
        let outShape: [Int]
        do { outShape = try broadcastShape(a.shape, b.shape, op: op) } catch { trap(error) }
        let count = outShape.reduce(1, *)
        // A bias row added to every row of a matrix: the common case, kept to a tight loop.
        if b.rank <= a.rank, outShape == a.shape, a.shape.suffix(b.rank).elementsEqual(b.shape) {
            let inner = b.scalarCount
            return a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    Tensor.make(shape: outShape, count: count) { out in
                        guard inner > 0, let o = out.baseAddress, let x = pa.baseAddress, let y = pb.baseAddress else { return }
                        // Row pointers keep the inner loop a plain vectorizable sweep.
                        for row in 0..<(count / inner) {
                            let outRow = o + row * inner, inRow = x + row * inner
                            for j in 0..<inner { outRow[j] = operation(inRow[j], y[j]) }
                        }
                    }
                }
            }
        }
        let aStrides = broadcastStrides(a.shape, to: outShape)
        let bStrides = broadcastStrides(b.shape, to: outShape)
        let rowLength = outShape.last ?? 1
        let aStep = aStrides.last ?? 0, bStep = bStrides.last ?? 0
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                Tensor.make(shape: outShape, count: count) { out in
                    forEachBroadcastRow(outShape: outShape, aStrides: aStrides, bStrides: bStrides) { o, ao, bo in
                        for j in 0..<rowLength { out[o + j] = operation(pa[ao + j * aStep], pb[bo + j * bStep]) }
                    }
                }
            }
        }
    }

    // MARK: - Recorded broadcast and its adjoint

    /// Repeats this tensor along dimensions of size 1 (and new leading ones) to reach `targetShape`.
    /// Traps when the shapes are not broadcast-compatible. Differentiable.
    public func broadcast(toShape targetShape: [Int]) -> Tensor {
        if shape == targetShape { return self }
        do {
            let merged = try Tensor.broadcastShape(shape, targetShape, op: "broadcast(toShape:)")
            guard merged == targetShape else {
                throw TensorError.incompatibleShapes(op: "broadcast(toShape:)", lhs: shape, rhs: targetShape)
            }
        } catch { trap(error as? TensorError ?? .invalidShape(op: "broadcast(toShape:)", shape: targetShape)) }
        let zeros = Tensor.make(shape: targetShape, count: targetShape.reduce(1, *)) { out in
            out.initialize(repeating: 0)
        }
        let result = Tensor.broadcastingKernel(zeros, self, op: "broadcast(toShape:)") { _, x in x }
        if Tensor.isRecording {
            let sourceShape = shape
            result.record(inputs: [self]) { upstream, _ in [upstream.sum(toShape: sourceShape)] }
        }
        return result
    }

    /// Sums over the dimensions that broadcasting added or stretched, giving `targetShape`: the
    /// adjoint of ``broadcast(toShape:)``, used by every broadcasting op's gradient. Differentiable.
    public func sum(toShape targetShape: [Int]) -> Tensor {
        if shape == targetShape { return self }
        do {
            let merged = try Tensor.broadcastShape(targetShape, shape, op: "sum(toShape:)")
            guard merged == shape else {
                throw TensorError.incompatibleShapes(op: "sum(toShape:)", lhs: shape, rhs: targetShape)
            }
        } catch { trap(error as? TensorError ?? .invalidShape(op: "sum(toShape:)", shape: targetShape)) }
        let result = Tensor.reduceSumKernel(self, toShape: targetShape)
        if Tensor.isRecording {
            let sourceShape = shape
            result.record(inputs: [self]) { upstream, _ in [upstream.broadcast(toShape: sourceShape)] }
        }
        return result
    }

    /// The sum of all elements, as a scalar tensor. Differentiable.
    public func sum() -> Tensor { sum(toShape: []) }

    @usableFromInline
    static func reduceSumKernel(_ x: Tensor, toShape targetShape: [Int]) -> Tensor {
        let count = targetShape.reduce(1, *)
        var accumulator = [Double](repeating: 0, count: count)
        x.withUnsafeBufferPointer { px in
            if count == 1 {
                var total: Double = 0
                var partial: Float = 0
                // Sum in Float blocks, accumulate blocks in Double: fast and accurate enough.
                for (i, value) in px.enumerated() {
                    partial += value
                    if i & 1023 == 1023 { total += Double(partial); partial = 0 }
                }
                accumulator[0] = total + Double(partial)
            } else if x.shape.suffix(targetShape.count).elementsEqual(targetShape)
                        && targetShape.count <= x.rank {
                // Summing leading rows down to one row (a bias gradient).
                let rows = x.scalarCount / count
                var rowSum = [Float](repeating: 0, count: count)
                rowSum.withUnsafeMutableBufferPointer { sum in
                    guard let total = sum.baseAddress, let input = px.baseAddress else { return }
                    for row in 0..<rows {
                        let inRow = input + row * count
                        for j in 0..<count { total[j] += inRow[j] }
                    }
                }
                for j in 0..<count { accumulator[j] = Double(rowSum[j]) }
            } else {
                let outStrides = broadcastStrides(targetShape, to: x.shape)
                let rowLength = x.shape.last ?? 1
                let step = outStrides.last ?? 0
                let zeroStrides = [Int](repeating: 0, count: x.rank)
                forEachBroadcastRow(outShape: x.shape, aStrides: outStrides, bStrides: zeroStrides) { xo, oo, _ in
                    for j in 0..<rowLength { accumulator[oo + j * step] += Double(px[xo + j]) }
                }
            }
        }
        return Tensor(uncheckedShape: targetShape, storage: accumulator.map { Float($0) })
    }
}
