import Synchronization

/// Element-wise transformations, slicing of the stream, and combining datasets (tf.data's `map`,
/// `filter`, `take`, `skip`, `enumerate`, `zip`, `concatenate`, `repeat`, `cache`).
extension Dataset {
    /// Applies `transform` to every element. An error it throws ends the iteration with
    /// ``DatasetError/transformFailed(operation:elementIndex:underlying:)`` (a ``DatasetError`` passes
    /// through unchanged).
    public func map<T: Sendable>(_ transform: @escaping @Sendable (Element) throws -> T) -> Dataset<T> {
        let upstream = self
        return Dataset<T>(cardinality: cardinality) {
            let cursor = upstream.start()
            var index = 0
            return DatasetCursor { () throws(DatasetError) -> T? in
                guard let element = try cursor.next() else { return nil }
                defer { index += 1 }
                return try Self.call("map", index) { try transform(element) }
            }
        }
    }

    /// Keeps the elements for which `isIncluded` returns true. An error it throws ends the iteration
    /// with ``DatasetError/transformFailed(operation:elementIndex:underlying:)``.
    public func filter(_ isIncluded: @escaping @Sendable (Element) throws -> Bool) -> Dataset {
        let upstream = self
        let count: DatasetCardinality = cardinality == .finite(0) ? .finite(0) : .unknown
        return Dataset(cardinality: count) {
            let cursor = upstream.start()
            var index = 0
            return DatasetCursor { () throws(DatasetError) -> Element? in
                while let element = try cursor.next() {
                    defer { index += 1 }
                    if try Self.call("filter", index, { try isIncluded(element) }) { return element }
                }
                return nil
            }
        }
    }

    /// The first `count` elements (all of them when there are fewer). A negative count takes everything,
    /// as in tf.data.
    public func take(_ count: Int) -> Dataset {
        guard count >= 0 else { return self }
        let upstream = self
        let cardinality: DatasetCardinality
        switch self.cardinality {
        case .finite(let n): cardinality = .finite(Swift.min(n, count))
        case .infinite: cardinality = .finite(count)
        case .unknown: cardinality = count == 0 ? .finite(0) : .unknown
        }
        return Dataset(cardinality: cardinality) {
            guard count > 0 else { return .empty }
            let cursor = upstream.start()
            var taken = 0
            return DatasetCursor { () throws(DatasetError) -> Element? in
                guard taken < count, let element = try cursor.next() else { return nil }
                taken += 1
                return element
            }
        }
    }

    /// Everything after the first `count` elements (nothing when there are fewer). A negative count
    /// skips everything, as in tf.data.
    public func skip(_ count: Int) -> Dataset {
        let upstream = self
        let cardinality: DatasetCardinality
        switch self.cardinality {
        case .finite(let n): cardinality = .finite(count < 0 ? 0 : Swift.max(0, n - count))
        case .infinite: cardinality = count < 0 ? .unknown : .infinite
        case .unknown: cardinality = .unknown
        }
        return Dataset(cardinality: cardinality) {
            let cursor = upstream.start()
            var skipped = false
            return DatasetCursor { () throws(DatasetError) -> Element? in
                if !skipped {
                    skipped = true
                    var dropped = 0
                    while count < 0 || dropped < count {
                        guard try cursor.next() != nil else { return nil }
                        dropped += 1
                    }
                }
                return try cursor.next()
            }
        }
    }

    /// Pairs each element with its position, counting from `start` (tf.data's `enumerate`).
    public func enumerate(start: Int = 0) -> Dataset<(Int, Element)> {
        let upstream = self
        return Dataset<(Int, Element)>(cardinality: cardinality) {
            let cursor = upstream.start()
            var index = start
            return DatasetCursor { () throws(DatasetError) -> (Int, Element)? in
                guard let element = try cursor.next() else { return nil }
                defer { index += 1 }
                return (index, element)
            }
        }
    }

    /// Pairs this dataset's elements with `other`'s, stopping at the end of the shorter (tf.data's `zip`).
    public func zip<Other: Sendable>(_ other: Dataset<Other>) -> Dataset<(Element, Other)> {
        Dataset<(Element, Other)>.zip(self, other)
    }

    /// The elements of this dataset, then those of `other` (tf.data's `concatenate`).
    public func concatenate(_ other: Dataset) -> Dataset {
        let first = self
        let cardinality: DatasetCardinality
        switch (self.cardinality, other.cardinality) {
        case let (.finite(a), .finite(b)): cardinality = .finite(a + b)
        case (.infinite, _), (_, .infinite): cardinality = .infinite
        default: cardinality = .unknown
        }
        return Dataset(cardinality: cardinality) {
            var cursor = first.start()
            var onSecond = false
            return DatasetCursor { () throws(DatasetError) -> Element? in
                if let element = try cursor.next() { return element }
                guard !onSecond else { return nil }
                onSecond = true
                cursor = other.start()
                return try cursor.next()
            }
        }
    }

    /// The whole dataset `count` times, or forever when `count` is nil (tf.data's `repeat`). Each
    /// repetition is a new iteration of this dataset, so a shuffle before `repeat` reshuffles each time.
    /// An empty dataset repeated stays empty.
    public func `repeat`(_ count: Int? = nil) -> Dataset {
        if let count, count < 0 { return self.repeat(nil) }
        let upstream = self
        let cardinality: DatasetCardinality
        switch (self.cardinality, count) {
        case (.finite(0), _): cardinality = .finite(0)
        case (_, 0): cardinality = .finite(0)
        case let (.finite(n), .some(k)): cardinality = .finite(n * k)
        case (.finite, nil), (.infinite, _): cardinality = .infinite
        case (.unknown, _): cardinality = .unknown
        }
        return Dataset(cardinality: cardinality) {
            var repetition = 0
            var cursor: DatasetCursor<Element>?
            return DatasetCursor { () throws(DatasetError) -> Element? in
                while count.map({ repetition < $0 }) ?? true {
                    if cursor == nil { cursor = upstream.start() }
                    var yielded = false
                    if let current = cursor {
                        if let element = try current.next() { return element }
                        yielded = current.yieldedAny
                    }
                    cursor = nil
                    repetition += 1
                    // A repetition that yielded nothing means the dataset is empty: stop rather than spin.
                    if !yielded { return nil }
                }
                return nil
            }
        }
    }

    /// Keeps the elements of the first complete iteration in memory and replays them in later ones
    /// (tf.data's `cache()` without a file name). An iteration stopped early caches nothing.
    public func cache() -> Dataset {
        let upstream = self
        let shared = LockedBox<[Element]?>(nil)
        return Dataset(cardinality: cardinality) {
            if let cached = shared.withLock({ $0 }) {
                var index = 0
                return DatasetCursor { () throws(DatasetError) -> Element? in
                    guard index < cached.count else { return nil }
                    defer { index += 1 }
                    return cached[index]
                }
            }
            let cursor = upstream.start()
            var seen: [Element] = []
            return DatasetCursor { () throws(DatasetError) -> Element? in
                if let element = try cursor.next() {
                    seen.append(element)
                    return element
                }
                let complete = seen
                shared.withLock { if $0 == nil { $0 = complete } }
                return nil
            }
        }
    }

    /// Calls a user closure, turning what it throws into ``DatasetError/transformFailed(operation:elementIndex:underlying:)``.
    static func call<T>(_ operation: String, _ index: Int, _ body: () throws -> T) throws(DatasetError) -> T {
        do {
            return try body()
        } catch let error as DatasetError {
            throw error
        } catch {
            throw .transformFailed(operation: operation, elementIndex: index, underlying: error)
        }
    }
}

extension Dataset {
    /// Pairs the elements of `first` and `second`, stopping at the end of the shorter (tf.data's
    /// `Dataset.zip((a, b))`).
    public static func zip<A: Sendable, B: Sendable>(_ first: Dataset<A>, _ second: Dataset<B>) -> Dataset<(A, B)> where Element == (A, B) {
        let cardinality: DatasetCardinality
        switch (first.cardinality, second.cardinality) {
        case let (.finite(a), .finite(b)): cardinality = .finite(Swift.min(a, b))
        case let (.finite(a), .infinite), let (.infinite, .finite(a)): cardinality = .finite(a)
        case (.infinite, .infinite): cardinality = .infinite
        default: cardinality = .unknown
        }
        return Dataset<(A, B)>(cardinality: cardinality) {
            let a = first.start(), b = second.start()
            return DatasetCursor { () throws(DatasetError) -> (A, B)? in
                guard let left = try a.next(), let right = try b.next() else { return nil }
                return (left, right)
            }
        }
    }
}

/// A value behind a lock, shared by the iterations of a dataset (a cache, an iteration counter).
final class LockedBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
