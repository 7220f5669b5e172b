/// Datasets made from values in memory and from generators.
extension Dataset {
    /// The elements of an array, in order (tf.data's `from_tensor_slices` on a Python list).
    public init(elements: [Element]) {
        self.init(count: elements.count) { elements[$0] }
    }

    /// The elements of the sequence `makeSequence` returns, called anew for each iteration (tf.data's
    /// `from_generator`, with a Swift sequence standing for the Python generator).
    ///
    /// ```swift
    /// let squares = Dataset<Int>.fromGenerator { (0..<5).lazy.map { $0 * $0 } }
    /// ```
    public static func fromGenerator<S: Sequence>(_ makeSequence: @escaping @Sendable () -> S) -> Dataset where S.Element == Element {
        Dataset(cardinality: .unknown) {
            var iterator = makeSequence().makeIterator()
            return DatasetCursor { () throws(DatasetError) -> Element? in iterator.next() }
        }
    }

    /// The elements a throwing function returns, called until it returns nil; `makeNext` is called
    /// once per iteration to make that function (a generator that can fail, e.g. one reading a socket).
    /// An error it throws ends the iteration with ``DatasetError/transformFailed(operation:elementIndex:underlying:)``.
    public static func fromGenerator(throwing makeNext: @escaping @Sendable () -> () throws -> Element?) -> Dataset {
        Dataset(cardinality: .unknown) {
            let next = makeNext()
            var index = 0
            return DatasetCursor { () throws(DatasetError) -> Element? in
                do {
                    let element = try next()
                    index += 1
                    return element
                } catch let error as DatasetError {
                    throw error
                } catch {
                    throw .transformFailed(operation: "fromGenerator", elementIndex: index, underlying: error)
                }
            }
        }
    }
}

extension Dataset where Element == Int {
    /// `0, 1, ..., end - 1` (tf.data's `Dataset.range(end)`).
    public static func range(_ end: Int) -> Dataset { range(0, end, 1) }

    /// `start, start + step, ...` up to but excluding `end` (tf.data's `Dataset.range(start, end, step)`);
    /// `step` may be negative. A zero step makes an iteration fail with ``DatasetError/invalidArgument(operation:message:)``.
    public static func range(_ start: Int, _ end: Int, _ step: Int = 1) -> Dataset {
        guard step != 0 else { return .failing(.invalidArgument(operation: "range", message: "step must not be zero")) }
        let count = step > 0 ? Swift.max(0, (end - start + step - 1) / step) : Swift.max(0, (start - end - step - 1) / -step)
        return Dataset(count: count) { start + $0 * step }
    }
}

extension Dataset where Element == Tensor {
    /// The slices of `tensor` along its first axis: a `[n, a, b]` tensor gives `n` tensors of shape
    /// `[a, b]` (tf.data's `from_tensor_slices`). A scalar makes an iteration fail with
    /// ``DatasetError/cannotSlice(operation:component:shapes:)``.
    public static func fromTensorSlices(_ tensor: Tensor) -> Dataset {
        guard tensor.rank >= 1 else {
            return .failing(.cannotSlice(operation: "fromTensorSlices", component: nil, shapes: [tensor.shape]))
        }
        let slicer = RowSlicer(tensor)
        return Dataset(count: slicer.count) { slicer.row($0) }
    }
}

extension Dataset where Element == (Tensor, Tensor) {
    /// Pairs of slices of `x` and `y` along their first axes, e.g. features and labels (tf.data's
    /// `from_tensor_slices((x, y))`). When they disagree on their first axis, an iteration fails with
    /// ``DatasetError/cannotSlice(operation:component:shapes:)``.
    public static func fromTensorSlices(_ pair: (Tensor, Tensor)) -> Dataset {
        let (x, y) = pair
        guard x.rank >= 1, y.rank >= 1, x.shape[0] == y.shape[0] else {
            return .failing(.cannotSlice(operation: "fromTensorSlices", component: nil, shapes: [x.shape, y.shape]))
        }
        let xs = RowSlicer(x), ys = RowSlicer(y)
        return Dataset(count: xs.count) { (xs.row($0), ys.row($0)) }
    }
}

extension Dataset where Element == [String: Tensor] {
    /// Dictionaries of slices, one per key, along the tensors' first axes (tf.data's
    /// `from_tensor_slices({"a": ..., "b": ...})`). When the tensors disagree on their first axis, an
    /// iteration fails with ``DatasetError/cannotSlice(operation:component:shapes:)``.
    public static func fromTensorSlices(_ tensors: [String: Tensor]) -> Dataset {
        let keys = tensors.keys.sorted()
        let slicers = keys.compactMap { tensors[$0] }.map(RowSlicer.init)
        guard let count = slicers.first?.count,
              keys.allSatisfy({ (tensors[$0]?.rank ?? 0) >= 1 }), slicers.allSatisfy({ $0.count == count }) else {
            return .failing(.cannotSlice(operation: "fromTensorSlices", component: keys.joined(separator: ", "),
                                         shapes: keys.compactMap { tensors[$0]?.shape }))
        }
        return Dataset(count: count) { index in
            var element: [String: Tensor] = [:]
            for (key, slicer) in Swift.zip(keys, slicers) { element[key] = slicer.row(index) }
            return element
        }
    }
}

/// Cuts a tensor into its first-axis slices without recording them on a tape.
struct RowSlicer: Sendable {
    let scalars: [Float]
    let rowShape: [Int]
    let count: Int
    let width: Int

    init(_ tensor: Tensor) {
        scalars = tensor.scalars
        count = tensor.shape.first ?? 0
        rowShape = Array(tensor.shape.dropFirst())
        width = rowShape.reduce(1, *)
    }

    func row(_ index: Int) -> Tensor {
        Tensor(shape: rowShape, scalars: Array(scalars[(index * width)..<((index + 1) * width)]))
    }
}
