/// tf.data's buffered `shuffle`.
extension Dataset {
    /// Shuffles with a buffer of `bufferSize` elements (tf.data's meaning): the buffer is filled with
    /// the first `bufferSize` elements, then each step emits a uniformly chosen element of the buffer
    /// and puts the next element of the stream in its place. A buffer at least as large as the dataset
    /// shuffles it uniformly; a small buffer only shuffles locally (an element can come out at most
    /// `bufferSize - 1` places before its position in the stream); a buffer of 1 does not shuffle.
    ///
    /// With a `seed` the orders are reproducible: iteration `k` of this dataset (counted from its
    /// creation) always gives the same order. Without one, each iteration draws its generator from
    /// ``GlobalRandom`` (reproducible under `GlobalRandom.withSeed`). When `reshuffleEachIteration` is
    /// false, every iteration gives the same order. A `bufferSize` below 1 makes an iteration fail with
    /// ``DatasetError/invalidArgument(operation:message:)``.
    public func shuffle(bufferSize: Int, seed: UInt64? = nil, reshuffleEachIteration: Bool = true) -> Dataset {
        guard bufferSize > 0 else {
            return .failing(.invalidArgument(operation: "shuffle", message: "bufferSize must be positive, got \(bufferSize)"))
        }
        let upstream = self
        let iterations = LockedBox(0)
        // Without a seed and without reshuffling, one seed drawn now serves every iteration.
        let fixedSeed = seed ?? (reshuffleEachIteration ? nil : GlobalRandom.withGenerator { $0.next() })
        return Dataset(cardinality: cardinality) {
            var generator: SeededGenerator
            if let fixedSeed {
                let iteration = reshuffleEachIteration ? iterations.withLock { count in defer { count += 1 }; return count } : 0
                generator = SeededGenerator(seed: fixedSeed &+ UInt64(iteration) &* 0x9E37_79B9_7F4A_7C15)
            } else {
                generator = GlobalRandom.split()
            }
            // An in-memory source: shuffle positions (the same random choices, so the same order) and
            // make only the element emitted.
            if let access = upstream.randomAccess {
                var positions = BufferedShuffle(stream: (0..<access.count).makeIterator(), bufferSize: bufferSize)
                return DatasetCursor { () throws(DatasetError) -> Element? in
                    positions.next(using: &generator).map(access.element)
                }
            }
            let cursor = upstream.start()
            var buffer: [Element] = []
            var filled = false
            return DatasetCursor { () throws(DatasetError) -> Element? in
                if !filled {
                    filled = true
                    buffer.reserveCapacity(Swift.min(bufferSize, 1 << 16))
                    while buffer.count < bufferSize, let element = try cursor.next() { buffer.append(element) }
                }
                guard !buffer.isEmpty else { return nil }
                let chosen = buffer.count == 1 ? 0 : generator.nextInt(below: buffer.count)
                let element = buffer[chosen]
                if let replacement = try cursor.next() {
                    buffer[chosen] = replacement
                } else {
                    buffer.swapAt(chosen, buffer.count - 1)
                    buffer.removeLast()
                }
                return element
            }
        }
    }
}

/// The buffered shuffle over a non-throwing stream (positions of an in-memory source).
struct BufferedShuffle<Stream: IteratorProtocol> {
    var stream: Stream
    let bufferSize: Int
    var buffer: [Stream.Element] = []
    var filled = false

    init(stream: Stream, bufferSize: Int) {
        self.stream = stream
        self.bufferSize = bufferSize
    }

    mutating func next(using generator: inout SeededGenerator) -> Stream.Element? {
        if !filled {
            filled = true
            while buffer.count < bufferSize, let element = stream.next() { buffer.append(element) }
        }
        guard !buffer.isEmpty else { return nil }
        let chosen = buffer.count == 1 ? 0 : generator.nextInt(below: buffer.count)
        let element = buffer[chosen]
        if let replacement = stream.next() {
            buffer[chosen] = replacement
        } else {
            buffer.swapAt(chosen, buffer.count - 1)
            buffer.removeLast()
        }
        return element
    }
}
