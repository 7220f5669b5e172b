/// tf.data's `interleave`: reading several inner datasets (files) in turn.
extension Dataset {
    /// Maps each element to a dataset with `makeDataset` and interleaves their elements the way
    /// tf.data does (deterministically): up to `cycleLength` inner datasets are open at once; they are
    /// visited in turn, taking `blockLength` elements from each before moving to the next; an exhausted
    /// one is replaced by the dataset of the next input element in the same slot. With
    /// `cycleLength: 1` it is `flatMap`.
    ///
    /// ```swift
    /// // The seed's CSV reader: lines of five files read in turn, headers skipped.
    /// let lines = Dataset(elements: paths).interleave(cycleLength: 5) { path in
    ///     Dataset<String>.textLines(paths: [path]).skip(1)
    /// }
    /// ```
    ///
    /// An error `makeDataset` throws ends the iteration with
    /// ``DatasetError/transformFailed(operation:elementIndex:underlying:)``; a `cycleLength` or
    /// `blockLength` below 1 with ``DatasetError/invalidArgument(operation:message:)``.
    public func interleave<T: Sendable>(
        cycleLength: Int, blockLength: Int = 1, _ makeDataset: @escaping @Sendable (Element) throws -> Dataset<T>
    ) -> Dataset<T> {
        guard cycleLength > 0, blockLength > 0 else {
            return .failing(.invalidArgument(operation: "interleave", message: "cycleLength and blockLength must be positive, got \(cycleLength) and \(blockLength)"))
        }
        let upstream = self
        return Dataset<T>(cardinality: cardinality == .finite(0) ? .finite(0) : .unknown) {
            let input = upstream.start()
            var slots = [DatasetCursor<T>?](repeating: nil, count: cycleLength)
            var open = 0
            var endOfInput = false
            var cycleIndex = 0
            var blockIndex = 0
            var inputIndex = 0
            func advanceCycle() {
                blockIndex = 0
                cycleIndex = (cycleIndex + 1) % cycleLength
            }
            // The loop of tf.data's InterleaveDatasetOp::GetNextInternal.
            return DatasetCursor { () throws(DatasetError) -> T? in
                while !endOfInput || open > 0 {
                    if let current = slots[cycleIndex] {
                        if let element = try current.next() {
                            blockIndex += 1
                            if blockIndex == blockLength { advanceCycle() }
                            return element
                        }
                        slots[cycleIndex] = nil
                        open -= 1
                        advanceCycle()
                    } else if !endOfInput {
                        if let element = try input.next() {
                            let dataset = try Self.call("interleave", inputIndex) { try makeDataset(element) }
                            inputIndex += 1
                            slots[cycleIndex] = dataset.start()
                            open += 1
                        } else {
                            endOfInput = true
                        }
                    } else {
                        advanceCycle()
                    }
                }
                return nil
            }
        }
    }

    /// Maps each element to a dataset and yields their elements one dataset after the other
    /// (tf.data's `flat_map`): `interleave` with a cycle length of 1.
    public func flatMap<T: Sendable>(_ makeDataset: @escaping @Sendable (Element) throws -> Dataset<T>) -> Dataset<T> {
        interleave(cycleLength: 1, makeDataset)
    }
}
