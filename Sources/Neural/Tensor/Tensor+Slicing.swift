/// NumPy's basic indexing: integers, ranges with strides, `...` and `newaxis`.
///
/// ```swift
/// t[.all, 1...]                   // t[:, 1:]
/// t[.ellipsis, 1, .newAxis]       // t[..., 1, tf.newaxis]
/// t[.range(0..<10, stride: 2)]    // t[0:10:2]
/// t[-1]                           // t[-1]: the last row, one axis fewer
/// t[.slice(upper: -1)]            // t[:-1] (Swift ranges cannot run from 1 to -1)
/// ```
public struct TensorIndex: Sendable, Hashable {
    /// What one index element selects.
    public enum Kind: Sendable, Hashable {
        /// One position along an axis, which the result loses; negative positions count from the end.
        case integer(Int)
        /// Positions `lower, lower + stride, ...` before `upper` (exclusive), as in NumPy's
        /// `lower:upper:stride`. `nil` bounds mean the start and the end (for a negative stride, the
        /// end and the start); negative bounds count from the end, and bounds past an end are clamped.
        case slice(lower: Int?, upper: Int?, stride: Int)
        /// As many whole axes as needed so that the other elements fit (`...`); at most one per subscript.
        case ellipsis
        /// A new axis of size 1 in the result, consuming no axis of the input (`np.newaxis`).
        case newAxis
    }

    /// What this element selects.
    public var kind: Kind

    /// An index element of the given kind.
    public init(_ kind: Kind) { self.kind = kind }
}

/// A value usable as an element of a tensor subscript: `Int`, Swift's integer ranges, and
/// ``TensorIndex`` with its static members (`.all`, `.ellipsis`, `.newAxis`, `.range(_:stride:)`,
/// `.slice(lower:upper:stride:)`).
public protocol TensorIndexConvertible {
    /// The index element this value stands for.
    var tensorIndex: TensorIndex { get }
}

extension TensorIndexConvertible where Self == TensorIndex {
    /// A whole axis (NumPy's `:`).
    public static var all: TensorIndex { TensorIndex(.slice(lower: nil, upper: nil, stride: 1)) }
    /// As many whole axes as needed (NumPy's `...`).
    public static var ellipsis: TensorIndex { TensorIndex(.ellipsis) }
    /// A new axis of size 1 (NumPy's `np.newaxis`, TensorFlow's `tf.newaxis`).
    public static var newAxis: TensorIndex { TensorIndex(.newAxis) }

    /// One position; negative positions count from the end. The axis is removed.
    public static func index(_ position: Int) -> TensorIndex { TensorIndex(.integer(position)) }

    /// `lower:upper:stride` in NumPy's notation; see ``TensorIndex/Kind/slice(lower:upper:stride:)``.
    /// A zero stride traps when the subscript is applied.
    public static func slice(lower: Int? = nil, upper: Int? = nil, stride: Int = 1) -> TensorIndex {
        TensorIndex(.slice(lower: lower, upper: upper, stride: stride))
    }

    /// `range` with every `stride`-th position: `.range(0..<10, stride: 2)` is NumPy's `0:10:2`.
    public static func range(_ range: Range<Int>, stride: Int = 1) -> TensorIndex {
        .slice(lower: range.lowerBound, upper: range.upperBound, stride: stride)
    }

    /// `range` (upper bound included) with every `stride`-th position. `...(-1)` reaches the last element.
    public static func range(_ range: ClosedRange<Int>, stride: Int = 1) -> TensorIndex {
        .slice(lower: range.lowerBound, upper: TensorIndex.exclusiveUpper(range.upperBound), stride: stride)
    }

    /// From `range.lowerBound` to the end, every `stride`-th position: `.range(1..., stride: 2)` is `1::2`.
    public static func range(_ range: PartialRangeFrom<Int>, stride: Int = 1) -> TensorIndex {
        .slice(lower: range.lowerBound, upper: nil, stride: stride)
    }

    /// From the start to before `range.upperBound`, every `stride`-th position.
    public static func range(_ range: PartialRangeUpTo<Int>, stride: Int = 1) -> TensorIndex {
        .slice(lower: nil, upper: range.upperBound, stride: stride)
    }

    /// From the start through `range.upperBound`, every `stride`-th position.
    public static func range(_ range: PartialRangeThrough<Int>, stride: Int = 1) -> TensorIndex {
        .slice(lower: nil, upper: TensorIndex.exclusiveUpper(range.upperBound), stride: stride)
    }
}

extension TensorIndex {
    /// An inclusive upper bound as an exclusive one; `-1` (the last element) becomes "to the end".
    fileprivate static func exclusiveUpper(_ inclusive: Int) -> Int? { inclusive == -1 ? nil : inclusive + 1 }
}

extension TensorIndex: TensorIndexConvertible {
    /// The element itself.
    public var tensorIndex: TensorIndex { self }
}

extension TensorIndex: ExpressibleByIntegerLiteral {
    /// An integer element, so that `[TensorIndex]` arrays can hold plain numbers: `[.all, 2]`.
    public init(integerLiteral value: Int) { self.init(.integer(value)) }
}

extension TensorIndex: CustomStringConvertible {
    /// NumPy's notation: `2`, `1:3`, `::2`, `...`, `newaxis`.
    public var description: String {
        switch kind {
        case let .integer(position): return "\(position)"
        case let .slice(lower, upper, stride):
            let bounds = "\(lower.map(String.init) ?? ""):\(upper.map(String.init) ?? "")"
            return stride == 1 ? bounds : bounds + ":\(stride)"
        case .ellipsis: return "..."
        case .newAxis: return "newaxis"
        }
    }
}

extension Int: TensorIndexConvertible {
    /// One position; the axis is removed. Negative positions count from the end.
    public var tensorIndex: TensorIndex { TensorIndex(.integer(self)) }
}

extension Range: TensorIndexConvertible where Bound == Int {
    /// `lowerBound:upperBound`.
    public var tensorIndex: TensorIndex { .range(self) }
}

extension ClosedRange: TensorIndexConvertible where Bound == Int {
    /// `lowerBound:upperBound + 1` (to the end when the upper bound is `-1`).
    public var tensorIndex: TensorIndex { .range(self) }
}

extension PartialRangeFrom: TensorIndexConvertible where Bound == Int {
    /// `lowerBound:`.
    public var tensorIndex: TensorIndex { .range(self) }
}

extension PartialRangeUpTo: TensorIndexConvertible where Bound == Int {
    /// `:upperBound`.
    public var tensorIndex: TensorIndex { .range(self) }
}

extension PartialRangeThrough: TensorIndexConvertible where Bound == Int {
    /// `:upperBound + 1` (to the end when the upper bound is `-1`).
    public var tensorIndex: TensorIndex { .range(self) }
}

extension Tensor {
    /// The elements that NumPy's basic indexing `t[indices]` selects: integers remove their axis,
    /// slices keep it, `.ellipsis` stands for the axes no other element names, `.newAxis` inserts an
    /// axis of size 1, and axes left over at the end are taken whole.
    ///
    /// ```swift
    /// let t = Tensor([[1, 2, 3], [4, 5, 6]])
    /// t[.all, 1...]              // [[2, 3], [5, 6]]
    /// t[.ellipsis, 1, .newAxis]  // [[2], [5]]
    /// ```
    ///
    /// Traps (naming the indices and the shape) on an integer out of range, a zero stride, more than one
    /// ellipsis or more indices than axes; see ``validatedSlice(of:indices:)``. Differentiable: the
    /// gradient writes the upstream into zeros of this tensor's shape.
    public subscript(_ indices: any TensorIndexConvertible...) -> Tensor {
        sliced(indices.map(\.tensorIndex))
    }

    /// The elements `indices` select, as in ``subscript(_:)``; for index lists built at run time.
    public func sliced(_ indices: [TensorIndex]) -> Tensor {
        let view: StridedView
        do { view = try Tensor.sliceView(of: shape, indices: indices) } catch { trap(error) }
        // A subscript that selects everything in order (t[...], t[:, :]) only reshapes.
        if view.count == scalarCount, view.offset == 0,
           view.coalesced() == StridedView(contiguous: [scalarCount]).coalesced() {
            return reshapedRecorded(view.shape)
        }
        return extracting(view)
    }

    /// The shape `indices` select from a tensor of `shape`, as ``subscript(_:)`` computes it.
    ///
    /// - Throws: ``TensorError/invalidArgument(op:message:)`` naming the indices and the shape for an
    ///   integer out of range, a zero stride, more than one ellipsis, or more indices than axes.
    public static func validatedSlice(of shape: [Int], indices: [TensorIndex]) throws(TensorError) -> [Int] {
        try sliceView(of: shape, indices: indices).shape
    }

    /// Where the elements `indices` select sit in a row-major buffer of `shape`; errors name `op`.
    static func sliceView(
        of shape: [Int], indices: [TensorIndex], op: String = "subscript"
    ) throws(TensorError) -> StridedView {
        func failure(_ reason: String) -> TensorError {
            .invalidArgument(op: op, message: "\(reason) (indices \(indices) on shape \(shape))")
        }
        let ellipses = indices.filter { $0.kind == .ellipsis }.count
        guard ellipses <= 1 else { throw failure("at most one ellipsis is allowed") }
        let consuming = indices.filter {
            switch $0.kind {
            case .integer, .slice: return true
            case .ellipsis, .newAxis: return false
            }
        }.count
        guard consuming <= shape.count else {
            throw failure("\(consuming) indices for a tensor of rank \(shape.count)")
        }
        // Expand the ellipsis (or an implicit one at the end) into whole axes.
        var expanded: [TensorIndex.Kind] = []
        expanded.reserveCapacity(indices.count + shape.count)
        let whole = TensorIndex.Kind.slice(lower: nil, upper: nil, stride: 1)
        for index in indices {
            if index.kind == .ellipsis {
                expanded += repeatElement(whole, count: shape.count - consuming)
            } else {
                expanded.append(index.kind)
            }
        }
        if ellipses == 0 { expanded += repeatElement(whole, count: shape.count - consuming) }

        let bufferStrides = StridedView.rowMajorStrides(shape)
        var view = StridedView(offset: 0, shape: [], strides: [])
        var axis = 0
        for kind in expanded {
            switch kind {
            case let .integer(position):
                let extent = shape[axis]
                let normalized = position < 0 ? position + extent : position
                guard normalized >= 0 && normalized < extent else {
                    throw failure("index \(position) is out of range for axis \(axis) of size \(extent)")
                }
                view.offset += normalized * bufferStrides[axis]
                axis += 1
            case let .slice(lower, upper, stride):
                guard stride != 0 else { throw failure("a slice stride must not be zero") }
                let (start, count) = resolveSlice(lower: lower, upper: upper, stride: stride, extent: shape[axis])
                view.offset += start * bufferStrides[axis]
                view.shape.append(count)
                view.strides.append(stride * bufferStrides[axis])
                axis += 1
            case .newAxis:
                view.shape.append(1)
                view.strides.append(0)
            case .ellipsis:
                break
            }
        }
        return view
    }

    /// The first position and the number of positions of `lower:upper:stride` on an axis of `extent`,
    /// clamped as Python's `slice.indices` does.
    private static func resolveSlice(
        lower: Int?, upper: Int?, stride: Int, extent: Int
    ) -> (start: Int, count: Int) {
        func clamp(_ bound: Int, _ low: Int, _ high: Int) -> Int {
            let adjusted = bound < 0 ? bound + extent : bound
            return Swift.min(Swift.max(adjusted, low), high)
        }
        if stride > 0 {
            let start = lower.map { clamp($0, 0, extent) } ?? 0
            let stop = upper.map { clamp($0, 0, extent) } ?? extent
            let count = stop > start ? (stop - start - 1) / stride + 1 : 0
            return (count > 0 ? start : 0, count)
        }
        let start = lower.map { clamp($0, -1, extent - 1) } ?? extent - 1
        let stop = upper.map { clamp($0, -1, extent - 1) } ?? -1
        let count = start > stop ? (start - stop - 1) / -stride + 1 : 0
        return (count > 0 ? start : 0, count)
    }
}
