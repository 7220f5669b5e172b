import Neural
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// prefetch: same sequence, errors in place, and no thread left behind when the consumer stops.
@Suite struct DatasetPrefetchTests {
    @Test func producesTheSameSequence() throws {
        let plain = Dataset.range(1000).map { $0 * 3 }.filter { $0 % 2 == 0 }
        for size in [1, 2, 7, 2000] {
            #expect(try plain.prefetch(size).elements() == (try plain.elements()))
        }
        let batches = try Dataset.fromTensorSlices(Tensor(rangeFrom: 0, to: 10)).batch(3).prefetch(1).elements()
        #expect(batches.map(\.scalars) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]])
        #expect(Dataset.range(5).prefetch(2).cardinality == .finite(5))
        #expect(try Dataset.range(3).prefetch(1).prefetch(1).repeat(2).elements() == [0, 1, 2, 0, 1, 2])
    }

    @Test func deliversErrorsInTheirPlace() {
        struct Broken: Error {}
        let dataset = Dataset.range(10).map { value -> Int in
            if value == 4 { throw Broken() }
            return value
        }.prefetch(3)
        let iterator = dataset.makeThrowingIterator()
        var seen: [Int] = []
        do {
            while let value = try iterator.next() { seen.append(value) }
            Issue.record("expected an error")
        } catch {
            guard case .transformFailed("map", 4, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
        #expect(seen == [0, 1, 2, 3])
        #expect((try? iterator.next()) == .some(nil))
    }

    @Test func stopsItsThreadWhenTheConsumerStopsEarly() throws {
        // The generator's state object lives on the producer thread; once the iterator is gone it must
        // have been released (the thread ended), and the generator must not have run far ahead.
        let tracker = Tracker()
        let dataset = Dataset<Int>.fromGenerator {
            let state = GeneratorState(tracker: tracker)
            return AnyIterator { state.next() }
        }.prefetch(2)
        do {
            var iterator = dataset.makeIterator()
            #expect(iterator.next() == 0)
            #expect(iterator.next() == 1)
            #expect(tracker.live == 1)
        }
        #expect(tracker.live == 0)
        let pulled = tracker.pulled
        #expect(pulled <= 2 + 2 + 1, "pulled \(pulled)")
        usleep(50_000)
        #expect(tracker.pulled == pulled)

        for value in dataset {
            if value == 5 { break }
        }
        #expect(tracker.live == 0)
        #expect(try dataset.take(3).elements() == [0, 1, 2])
        #expect(tracker.live == 0)
    }

    @Test func overlapsProducerAndConsumer() throws {
        // Producer and consumer each sleep 5 ms per element; with prefetching, 40 elements take about
        // 40 × 5 ms, not 40 × 10 ms.
        let dataset = Dataset.range(40).map { value -> Int in
            usleep(5_000)
            return value
        }
        let clock = ContinuousClock()
        let serial = try clock.measure { try dataset.forEach { _ in usleep(5_000) } }
        let overlapped = try clock.measure { try dataset.prefetch(4).forEach { _ in usleep(5_000) } }
        #expect(overlapped < serial * 0.85, "serial \(serial), prefetched \(overlapped)")
    }

    @Test func unseededShuffleBehindPrefetchIsReproducible() throws {
        let a = try GlobalRandom.withSeed(4) { try Dataset.range(40).shuffle(bufferSize: 40).prefetch(2).elements() }
        let b = try GlobalRandom.withSeed(4) { try Dataset.range(40).shuffle(bufferSize: 40).prefetch(2).elements() }
        #expect(a == b)
        #expect(a != Array(0..<40))
    }
}

/// Counts generator states alive and elements pulled, from any thread.
final class Tracker: Sendable {
    private let state = Mutex((live: 0, pulled: 0))
    var live: Int { state.withLock { $0.live } }
    var pulled: Int { state.withLock { $0.pulled } }
    func born() { state.withLock { $0.live += 1 } }
    func died() { state.withLock { $0.live -= 1 } }
    func pull() { state.withLock { $0.pulled += 1 } }
}

/// An endless generator's state, reporting its lifetime to a tracker.
final class GeneratorState {
    let tracker: Tracker
    var value = 0
    init(tracker: Tracker) {
        self.tracker = tracker
        tracker.born()
    }
    deinit { tracker.died() }
    func next() -> Int? {
        tracker.pull()
        defer { value += 1 }
        return value
    }
}
