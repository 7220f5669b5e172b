/// Batching (stacking consecutive elements along a new first axis) and its inverse (tf.data's `batch`
/// and `unbatch`), for tensors, pairs of tensors, dictionaries of tensors and numbers.
extension Dataset {
    /// Groups consecutive elements in arrays of `size` (the last one shorter unless `dropRemainder`)
    /// and combines each group with `stack`, which gets the group and the stream index of its first element.
    func batched<B: Sendable>(
        _ size: Int, dropRemainder: Bool, _ stack: @escaping @Sendable ([Element], Int) throws(DatasetError) -> B
    ) -> Dataset<B> {
        guard size > 0 else { return .failing(.invalidArgument(operation: "batch", message: "batch size must be positive, got \(size)")) }
        let upstream = self
        let cardinality: DatasetCardinality
        switch self.cardinality {
        case .finite(let n): cardinality = .finite(dropRemainder ? n / size : (n + size - 1) / size)
        case .infinite: cardinality = .infinite
        case .unknown: cardinality = .unknown
        }
        return Dataset<B>(cardinality: cardinality) {
            let cursor = upstream.start()
            var index = 0
            return DatasetCursor { () throws(DatasetError) -> B? in
                var group: [Element] = []
                group.reserveCapacity(size)
                while group.count < size, let element = try cursor.next() { group.append(element) }
                guard !group.isEmpty, group.count == size || !dropRemainder else { return nil }
                defer { index += group.count }
                return try stack(group, index)
            }
        }
    }
}

extension Dataset where Element == Tensor {
    /// Stacks `size` consecutive tensors of one shape `s` into a `[size, s...]` tensor; the last batch
    /// is shorter unless `dropRemainder`. Tensors of different shapes make the iteration fail with
    /// ``DatasetError/shapeMismatch(operation:elementIndex:component:expected:found:)`` naming the element.
    public func batch(_ size: Int, dropRemainder: Bool = false) -> Dataset<Tensor> {
        batched(size, dropRemainder: dropRemainder) { (group, first) throws(DatasetError) -> Tensor in
            try TensorStacking.stack(group, firstIndex: first, component: nil)
        }
    }

    /// Splits each tensor along its first axis into its slices: the inverse of `batch`. A scalar makes
    /// the iteration fail with ``DatasetError/cannotSlice(operation:component:shapes:)``.
    public func unbatch() -> Dataset<Tensor> {
        unbatched { (tensor) throws(DatasetError) -> [Tensor] in
            try TensorStacking.rows(of: [tensor], components: nil).map { $0[0] }
        }
    }
}

extension Dataset where Element == (Tensor, Tensor) {
    /// Batches both tensors of each pair, as ``batch(_:dropRemainder:)-(Int,_)`` does for tensors:
    /// `(x, y)` pairs become `([size, x...], [size, y...])`.
    public func batch(_ size: Int, dropRemainder: Bool = false) -> Dataset<(Tensor, Tensor)> {
        batched(size, dropRemainder: dropRemainder) { (group, first) throws(DatasetError) -> (Tensor, Tensor) in
            (try TensorStacking.stack(group.map(\.0), firstIndex: first, component: "0"),
             try TensorStacking.stack(group.map(\.1), firstIndex: first, component: "1"))
        }
    }

    /// Splits each pair of batches into pairs of slices; both must have the same first-axis length.
    public func unbatch() -> Dataset<(Tensor, Tensor)> {
        unbatched { (pair) throws(DatasetError) -> [(Tensor, Tensor)] in
            try TensorStacking.rows(of: [pair.0, pair.1], components: ["0", "1"]).map { ($0[0], $0[1]) }
        }
    }
}

extension Dataset where Element == [String: Tensor] {
    /// Batches each key's tensors; every element must have the same keys.
    public func batch(_ size: Int, dropRemainder: Bool = false) -> Dataset<[String: Tensor]> {
        batched(size, dropRemainder: dropRemainder) { (group, first) throws(DatasetError) -> [String: Tensor] in
            let keys = group[0].keys.sorted()
            var result: [String: Tensor] = [:]
            for (offset, element) in group.enumerated() where element.keys.sorted() != keys {
                throw .invalidArgument(operation: "batch", message: "element \(first + offset) has keys \(element.keys.sorted()) but the elements before it have \(keys)")
            }
            for key in keys {
                result[key] = try TensorStacking.stack(group.compactMap { $0[key] }, firstIndex: first, component: key)
            }
            return result
        }
    }

    /// Splits each dictionary of batches into dictionaries of slices; all must have the same length.
    public func unbatch() -> Dataset<[String: Tensor]> {
        unbatched { (element) throws(DatasetError) -> [[String: Tensor]] in
            let keys = element.keys.sorted()
            let rows = try TensorStacking.rows(of: keys.compactMap { element[$0] }, components: keys)
            return rows.map { row in Dictionary(uniqueKeysWithValues: Swift.zip(keys, row)) }
        }
    }
}

extension Dataset where Element == Int {
    /// Batches integers into `[size]` tensors of their values (as tf.data batches `range`'s int64s).
    public func batch(_ size: Int, dropRemainder: Bool = false) -> Dataset<Tensor> {
        batched(size, dropRemainder: dropRemainder) { (group, _) throws(DatasetError) -> Tensor in Tensor(group.map { Float($0) }) }
    }
}

extension Dataset where Element == Float {
    /// Batches numbers into `[size]` tensors.
    public func batch(_ size: Int, dropRemainder: Bool = false) -> Dataset<Tensor> {
        batched(size, dropRemainder: dropRemainder) { (group, _) throws(DatasetError) -> Tensor in Tensor(group) }
    }
}

extension Dataset {
    /// Replaces each element by the elements `split` makes of it, in order.
    func unbatched<T: Sendable>(_ split: @escaping @Sendable (Element) throws(DatasetError) -> [T]) -> Dataset<T> {
        let upstream = self
        let cardinality: DatasetCardinality = self.cardinality == .finite(0) ? .finite(0) : .unknown
        return Dataset<T>(cardinality: cardinality) {
            let cursor = upstream.start()
            var pending: [T] = []
            var position = 0
            return DatasetCursor { () throws(DatasetError) -> T? in
                while position == pending.count {
                    guard let element = try cursor.next() else { return nil }
                    pending = try split(element)
                    position = 0
                }
                defer { position += 1 }
                return pending[position]
            }
        }
    }
}

/// Stacking tensors into batches and cutting batches into rows, with shape checks that name the element.
enum TensorStacking {
    /// The tensors, all of one shape, stacked along a new first axis (not recorded on a tape).
    static func stack(_ tensors: [Tensor], firstIndex: Int, component: String?) throws(DatasetError) -> Tensor {
        guard let shape = tensors.first?.shape else { return Tensor(zeros: [0]) }
        var scalars: [Float] = []
        scalars.reserveCapacity(tensors.count * (tensors.first?.scalarCount ?? 0))
        for (offset, tensor) in tensors.enumerated() {
            guard tensor.shape == shape else {
                throw .shapeMismatch(operation: "batch", elementIndex: firstIndex + offset, component: component, expected: shape, found: tensor.shape)
            }
            tensor.withUnsafeBufferPointer { scalars.append(contentsOf: $0) }
        }
        return Tensor(shape: [tensors.count] + shape, scalars: scalars)
    }

    /// Row `i` of every tensor, for each `i` along their common first axis.
    static func rows(of tensors: [Tensor], components: [String]?) throws(DatasetError) -> [[Tensor]] {
        guard let count = tensors.first?.shape.first,
              tensors.allSatisfy({ $0.rank >= 1 && $0.shape[0] == count }) else {
            throw .cannotSlice(operation: "unbatch", component: components?.joined(separator: ", "), shapes: tensors.map(\.shape))
        }
        let slicers = tensors.map(RowSlicer.init)
        return (0..<count).map { index in slicers.map { $0.row(index) } }
    }
}
