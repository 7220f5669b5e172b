/// A lazy, re-iterable input pipeline (tf.data's `Dataset`): a source (tensor slices, a range, an
/// array, a generator, text lines, record files, IDX files) followed by transformations (`map`,
/// `filter`, `shuffle`, `batch`, `repeat`, `interleave`, `prefetch`, ...), each returning a new dataset.
///
/// Nothing runs until the dataset is iterated, and every iteration starts over from the source, as
/// iterating a tf.data dataset again does (a shuffle without a fixed order reshuffles each time).
/// Datasets are values and `Sendable`; their closures must be `@Sendable` because `prefetch` runs the
/// pipeline before it on a background thread.
///
/// ```swift
/// let dataset = Dataset.fromTensorSlices((x, y)).shuffle(bufferSize: 1000, seed: 42).batch(32).prefetch(1)
/// for (xBatch, yBatch) in dataset { ... }          // traps if the pipeline fails
/// try dataset.forEach { xBatch, yBatch in ... }     // throws the DatasetError instead
/// ```
///
/// Iterating with `for ... in` cannot throw: a failure (a corrupt record file, tensors of different
/// shapes in one batch) stops the program with the ``DatasetError``'s message. Pipelines that read
/// files should be iterated with ``forEach(_:)``, ``makeThrowingIterator()``, `for try await`, or given
/// to `fit`, which throw the error instead.
public struct Dataset<Element: Sendable>: Sendable {
    /// Starts one iteration.
    let start: @Sendable () -> DatasetCursor<Element>
    /// How many elements an iteration yields, when known.
    public let cardinality: DatasetCardinality
    /// Sources held in memory also give their elements by position, so that `shuffle` can shuffle
    /// positions and make only the elements it emits.
    let randomAccess: RandomAccessElements<Element>?

    /// A dataset from a function that starts an iteration: the building block of every source and
    /// transformation.
    init(cardinality: DatasetCardinality, start: @escaping @Sendable () -> DatasetCursor<Element>) {
        self.cardinality = cardinality
        self.start = start
        self.randomAccess = nil
    }

    /// A source of `count` elements made by position.
    init(count: Int, element: @escaping @Sendable (Int) -> Element) {
        let access = RandomAccessElements(count: count, element: element)
        self.cardinality = .finite(count)
        self.randomAccess = access
        self.start = {
            var index = 0
            return DatasetCursor { () throws(DatasetError) -> Element? in
                guard index < access.count else { return nil }
                defer { index += 1 }
                return access.element(index)
            }
        }
    }

    /// A dataset whose first pull throws `error` (used for arguments found bad when the pipeline is built).
    static func failing(_ error: DatasetError) -> Dataset {
        let box = UncheckedSendable(error)
        return Dataset(cardinality: .unknown) {
            DatasetCursor { () throws(DatasetError) -> Element? in throw box.value }
        }
    }

    /// A new iterator that throws a ``DatasetError`` when the pipeline fails.
    public func makeThrowingIterator() -> ThrowingIterator { ThrowingIterator(cursor: start()) }

    /// Calls `body` on every element in order.
    /// - Throws: the ``DatasetError`` of the pipeline, or whatever `body` throws.
    public func forEach(_ body: (Element) throws -> Void) throws {
        let iterator = makeThrowingIterator()
        while let element = try iterator.next() { try body(element) }
    }

    /// Every element of one iteration, in order (tf.data's `as_numpy_iterator()` into a list).
    /// Do not call it on an endless dataset.
    /// - Throws: the ``DatasetError`` of the pipeline.
    public func elements() throws(DatasetError) -> [Element] {
        var result: [Element] = []
        if case .finite(let count) = cardinality { result.reserveCapacity(count) }
        let iterator = makeThrowingIterator()
        while let element = try iterator.next() { result.append(element) }
        return result
    }

    /// Iterates a dataset, throwing the pipeline's errors. Iterators are not shared between threads.
    public final class ThrowingIterator {
        let cursor: DatasetCursor<Element>
        init(cursor: DatasetCursor<Element>) { self.cursor = cursor }

        /// The next element, or nil at the end.
        /// - Throws: the ``DatasetError`` of the pipeline; the iterator is then finished.
        public func next() throws(DatasetError) -> Element? { try cursor.next() }
    }
}

extension Dataset: Sequence {
    /// Iterates a dataset with `for ... in`. A ``DatasetError`` stops the program with its message;
    /// use ``Dataset/forEach(_:)`` or ``Dataset/makeThrowingIterator()`` to handle errors.
    public struct Iterator: IteratorProtocol {
        let cursor: DatasetCursor<Element>

        /// The next element, or nil at the end. Traps when the pipeline fails.
        public mutating func next() -> Element? {
            do {
                return try cursor.next()
            } catch {
                fatalError("Dataset iteration failed: \(error). Iterate with `try dataset.forEach` or `makeThrowingIterator()` to handle the error.")
            }
        }
    }

    /// Starts a new iteration from the beginning of the pipeline.
    public func makeIterator() -> Iterator { Iterator(cursor: start()) }

    /// The number of elements when it is known, else 0.
    public var underestimatedCount: Int {
        if case .finite(let count) = cardinality { return count }
        return 0
    }
}

extension Dataset: AsyncSequence {
    /// Iterates a dataset with `for try await ... in`, throwing the pipeline's ``DatasetError``.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let cursor: DatasetCursor<Element>

        /// The next element, or nil at the end.
        /// - Throws: the ``DatasetError`` of the pipeline.
        public mutating func next() async throws(DatasetError) -> Element? { try cursor.next() }

        /// The next element, or nil at the end.
        /// - Throws: the ``DatasetError`` of the pipeline.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(DatasetError) -> Element? {
            try cursor.next()
        }
    }

    /// Starts a new iteration from the beginning of the pipeline.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(cursor: start()) }
}

/// The elements of an in-memory source, by position.
struct RandomAccessElements<Element>: Sendable {
    let count: Int
    let element: @Sendable (Int) -> Element
}

/// One iteration's state: a pull function. After it returns nil or throws, it keeps returning nil.
final class DatasetCursor<Element> {
    private var pull: (() throws(DatasetError) -> Element?)?
    /// Whether this iteration has produced an element (`repeat` uses it to stop on empty data).
    private(set) var yieldedAny = false

    init(_ pull: @escaping () throws(DatasetError) -> Element?) { self.pull = pull }

    /// An iteration that yields nothing.
    static var empty: DatasetCursor { DatasetCursor { () throws(DatasetError) -> Element? in nil } }

    func next() throws(DatasetError) -> Element? {
        guard let pull else { return nil }
        do {
            if let element = try pull() {
                yieldedAny = true
                return element
            }
        } catch {
            self.pull = nil
            throw error
        }
        self.pull = nil
        return nil
    }
}

/// Wraps a value whose cross-thread use the code around it makes safe (an error value, a cursor
/// handed to the thread that will own it).
struct UncheckedSendable<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
