/// Elementwise comparisons giving masks of 1.0 / 0.0, NaN checks, and `where` selection.
///
/// Masks are constants to the tape: comparing is not differentiable, so comparison results are never
/// recorded. `Tensor.where` is differentiable in the two values it picks from.
extension Tensor {
    /// A mask that is 1 where `predicate` holds for the broadcast pair of elements, 0 elsewhere.
    @inline(__always)
    static func comparisonMask(
        _ lhs: Tensor, _ rhs: Tensor, op: String, _ predicate: (Float, Float) -> Bool
    ) -> Tensor {
        broadcastingKernel(lhs, rhs, op: op) { predicate($0, $1) ? 1 : 0 }
    }

    // MARK: - Tensor against tensor

    /// 1 where the elements are equal, 0 elsewhere, with NumPy broadcasting (NaN equals nothing).
    /// Traps (naming both shapes) when they do not broadcast. Not differentiable; never recorded.
    public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor { comparisonMask(lhs, rhs, op: ".==") { $0 == $1 } }
    /// 1 where the elements differ (NaN differs from everything), 0 elsewhere, with broadcasting.
    /// Traps when the shapes do not broadcast. Not differentiable; never recorded.
    public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor { comparisonMask(lhs, rhs, op: ".!=") { $0 != $1 } }
    /// 1 where `lhs < rhs`, 0 elsewhere, with broadcasting. Traps when the shapes do not broadcast.
    /// Not differentiable; never recorded.
    public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor { comparisonMask(lhs, rhs, op: ".<") { $0 < $1 } }
    /// 1 where `lhs <= rhs`, 0 elsewhere, with broadcasting. Traps when the shapes do not broadcast.
    /// Not differentiable; never recorded.
    public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor { comparisonMask(lhs, rhs, op: ".<=") { $0 <= $1 } }
    /// 1 where `lhs > rhs`, 0 elsewhere, with broadcasting. Traps when the shapes do not broadcast.
    /// Not differentiable; never recorded.
    public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor { comparisonMask(lhs, rhs, op: ".>") { $0 > $1 } }
    /// 1 where `lhs >= rhs`, 0 elsewhere, with broadcasting. Traps when the shapes do not broadcast.
    /// Not differentiable; never recorded.
    public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor { comparisonMask(lhs, rhs, op: ".>=") { $0 >= $1 } }

    // MARK: - Tensor against scalar

    // The scalar forms are generic so that `x .> 0` is not ambiguous: a literal could be a `Float` or a
    // `Tensor`, and a generic scalar with its default literal type (Double) ranks first.

    /// 1 where an element equals `rhs`, 0 elsewhere. Not recorded.
    public static func .== <S: BinaryFloatingPoint>(lhs: Tensor, rhs: S) -> Tensor {
        let r = Float(rhs); return lhs.mapUnrecorded { $0 == r ? 1 : 0 }
    }
    /// 1 where an element differs from `rhs`, 0 elsewhere. Not recorded.
    public static func .!= <S: BinaryFloatingPoint>(lhs: Tensor, rhs: S) -> Tensor {
        let r = Float(rhs); return lhs.mapUnrecorded { $0 != r ? 1 : 0 }
    }
    /// 1 where an element is less than `rhs`, 0 elsewhere. Not recorded.
    public static func .< <S: BinaryFloatingPoint>(lhs: Tensor, rhs: S) -> Tensor {
        let r = Float(rhs); return lhs.mapUnrecorded { $0 < r ? 1 : 0 }
    }
    /// 1 where an element is at most `rhs`, 0 elsewhere. Not recorded.
    public static func .<= <S: BinaryFloatingPoint>(lhs: Tensor, rhs: S) -> Tensor {
        let r = Float(rhs); return lhs.mapUnrecorded { $0 <= r ? 1 : 0 }
    }
    /// 1 where an element is greater than `rhs`, 0 elsewhere. Not recorded.
    public static func .> <S: BinaryFloatingPoint>(lhs: Tensor, rhs: S) -> Tensor {
        let r = Float(rhs); return lhs.mapUnrecorded { $0 > r ? 1 : 0 }
    }
    /// 1 where an element is at least `rhs`, 0 elsewhere. Not recorded.
    public static func .>= <S: BinaryFloatingPoint>(lhs: Tensor, rhs: S) -> Tensor {
        let r = Float(rhs); return lhs.mapUnrecorded { $0 >= r ? 1 : 0 }
    }

    /// 1 where `lhs` equals an element, 0 elsewhere. Not recorded.
    public static func .== <S: BinaryFloatingPoint>(lhs: S, rhs: Tensor) -> Tensor { rhs .== lhs }
    /// 1 where `lhs` differs from an element, 0 elsewhere. Not recorded.
    public static func .!= <S: BinaryFloatingPoint>(lhs: S, rhs: Tensor) -> Tensor { rhs .!= lhs }
    /// 1 where `lhs` is less than an element, 0 elsewhere. Not recorded.
    public static func .< <S: BinaryFloatingPoint>(lhs: S, rhs: Tensor) -> Tensor { rhs .> lhs }
    /// 1 where `lhs` is at most an element, 0 elsewhere. Not recorded.
    public static func .<= <S: BinaryFloatingPoint>(lhs: S, rhs: Tensor) -> Tensor { rhs .>= lhs }
    /// 1 where `lhs` is greater than an element, 0 elsewhere. Not recorded.
    public static func .> <S: BinaryFloatingPoint>(lhs: S, rhs: Tensor) -> Tensor { rhs .< lhs }
    /// 1 where `lhs` is at least an element, 0 elsewhere. Not recorded.
    public static func .>= <S: BinaryFloatingPoint>(lhs: S, rhs: Tensor) -> Tensor { rhs .<= lhs }

    // MARK: - NaN and infinity

    /// 1 where an element is NaN, 0 elsewhere. Not recorded.
    public func isNaN() -> Tensor { mapUnrecorded { $0.isNaN ? 1 : 0 } }

    /// 1 where an element is finite (neither infinite nor NaN), 0 elsewhere. Not recorded.
    public func isFinite() -> Tensor { mapUnrecorded { $0.isFinite ? 1 : 0 } }

    /// 1 where an element is +inf or -inf, 0 elsewhere. Not recorded.
    public func isInfinite() -> Tensor { mapUnrecorded { $0.isInfinite ? 1 : 0 } }

    /// Whether every element is finite: no NaN and no infinity (what `TerminateOnNaN` checks).
    public var allFinite: Bool {
        withUnsafeBufferPointer { p in
            for value in p where !value.isFinite { return false }
            return true
        }
    }

    /// Whether any element is NaN.
    public var containsNaN: Bool {
        withUnsafeBufferPointer { p in
            for value in p where value.isNaN { return true }
            return false
        }
    }

    // MARK: - Selection

    /// `a` where `condition` is nonzero and `b` elsewhere, with NumPy broadcasting among all three
    /// (TensorFlow 2's `tf.where(condition, a, b)`). A NaN condition counts as nonzero.
    ///
    /// Traps, naming the three shapes, when they do not broadcast together. Differentiable in `a` and
    /// `b`: each gets the upstream gradient where it was picked and 0 elsewhere, summed back to its own
    /// shape. The condition gets no gradient.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let outShape: [Int]
        do {
            let valueShape = try broadcastShape(a.shape, b.shape, op: "where")
            outShape = try broadcastShape(condition.shape, valueShape, op: "where")
        } catch {
            trap(.invalidArgument(
                op: "where",
                message: "condition \(condition.shape), a \(a.shape) and b \(b.shape) do not broadcast together"))
        }
        let count = outShape.reduce(1, *)
        // A one-element operand is read in place (stride 0); others are laid out at the output shape.
        let (c, cStride) = condition.selectionOperand(outShape)
        let (x, xStride) = a.selectionOperand(outShape)
        let (y, yStride) = b.selectionOperand(outShape)
        let result = c.withUnsafeBufferPointer { pc in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeBufferPointer { py in
                    Tensor.make(shape: outShape, count: count) { out in
                        for i in 0..<out.count {
                            out[i] = pc[i &* cStride] != 0 ? px[i &* xStride] : py[i &* yStride]
                        }
                    }
                }
            }
        }
        if isRecording {
            result.record(inputs: [a, b]) { g, needed in
                [needed[0] ? Tensor.where(condition, g, Tensor(0)).sum(toShape: a.shape) : nil,
                 needed[1] ? Tensor.where(condition, Tensor(0), g).sum(toShape: b.shape) : nil]
            }
        }
        return result
    }

    /// This tensor as an operand of `where` at `outShape`: itself with stride 0 when it has one element,
    /// itself with stride 1 when it has that shape, otherwise its unrecorded broadcast with stride 1.
    private func selectionOperand(_ outShape: [Int]) -> (Tensor, Int) {
        if scalarCount == 1 { return (self, 0) }
        if shape == outShape { return (self, 1) }
        let strides = Tensor.broadcastStrides(shape, to: outShape)
        let rowLength = outShape.last ?? 1
        let step = strides.last ?? 0
        let zeroStrides = [Int](repeating: 0, count: outShape.count)
        let expanded = withUnsafeBufferPointer { p in
            Tensor.make(shape: outShape, count: outShape.reduce(1, *)) { out in
                Tensor.forEachBroadcastRow(outShape: outShape, aStrides: strides, bStrides: zeroStrides) { o, so, _ in
                    for j in 0..<rowLength { out[o + j] = p[so + j * step] }
                }
            }
        }
        return (expanded, 1)
    }
}
