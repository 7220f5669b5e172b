import Neural
import Testing

/// Sources: tensor slices (plain, pairs, dictionaries), ranges, arrays, generators; re-iteration.
@Suite struct DatasetSourceTests {
    @Test func slicesATensorAlongItsFirstAxis() throws {
        let x = Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        let dataset = Dataset.fromTensorSlices(x)
        #expect(dataset.cardinality == .finite(3))
        let elements = try dataset.elements()
        #expect(elements == [Tensor([1, 2]), Tensor([3, 4]), Tensor([5, 6])])
    }

    @Test func slicesPairsAndDictionaries() throws {
        let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), y = Tensor([7, 8])
        let pairs = try Dataset.fromTensorSlices((x, y)).elements()
        #expect(pairs.map(\.0) == [Tensor([1, 2]), Tensor([3, 4])])
        #expect(pairs.map(\.1) == [Tensor(7), Tensor(8)])
        let dictionaries = try Dataset.fromTensorSlices(["a": x, "b": y]).elements()
        #expect(dictionaries.count == 2)
        #expect(dictionaries[1]["a"] == Tensor([3, 4]))
        #expect(dictionaries[1]["b"] == Tensor(8))
    }

    @Test func slicingDisagreeingTensorsFailsWithTheirShapes() {
        let dataset = Dataset.fromTensorSlices((Tensor(zeros: [3, 2]), Tensor(zeros: [4])))
        do {
            _ = try dataset.elements()
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("[3, 2]") && error.description.contains("[4]"), "\(error)")
        }
        #expect(throws: DatasetError.self) { _ = try Dataset.fromTensorSlices(Tensor(3)).elements() }
    }

    @Test func rangesFollowTensorFlow() throws {
        let simple = try Dataset.range(5).elements()
        #expect(simple == [0, 1, 2, 3, 4])
        // tf.data.Dataset.range(2, 12, 3) and range(10, 0, -3), computed with TensorFlow 2.21.
        let stepped = try Dataset.range(2, 12, 3).elements()
        #expect(stepped == [2, 5, 8, 11])
        let down = try Dataset.range(10, 0, -3).elements()
        #expect(down == [10, 7, 4, 1])
        #expect(Dataset.range(2, 12, 3).cardinality == .finite(4))
        #expect(Dataset.range(10, 0, -3).cardinality == .finite(4))
        #expect(try Dataset.range(5, 2).elements().isEmpty)
        #expect(throws: DatasetError.self) { _ = try Dataset.range(0, 5, 0).elements() }
    }

    @Test func everyIterationStartsOver() {
        let dataset = Dataset(elements: ["a", "b", "c"])
        #expect(Array(dataset) == ["a", "b", "c"])
        #expect(Array(dataset) == ["a", "b", "c"])
        var iterator = dataset.makeIterator()
        #expect(iterator.next() == "a")
        #expect(Array(dataset.prefix(2)) == ["a", "b"])
        #expect(iterator.next() == "b")
    }

    @Test func generatorsAreCalledAnewForEachIteration() throws {
        let calls = CallCounter()
        let dataset = Dataset<Int>.fromGenerator {
            calls.increment()
            return (0..<4).lazy.map { $0 * $0 }
        }
        #expect(dataset.cardinality == .unknown)
        let first = try dataset.elements()
        #expect(first == [0, 1, 4, 9])
        let second = try dataset.elements()
        #expect(second == [0, 1, 4, 9])
        #expect(calls.value == 2)
    }

    @Test func aThrowingGeneratorEndsTheIterationWithItsError() {
        struct Broken: Error {}
        let dataset = Dataset<Int>.fromGenerator(throwing: {
            var count = 0
            return {
                count += 1
                if count == 3 { throw Broken() }
                return count
            }
        })
        let iterator = dataset.makeThrowingIterator()
        #expect((try? iterator.next()) == 1)
        #expect((try? iterator.next()) == 2)
        do {
            _ = try iterator.next()
            Issue.record("expected an error")
        } catch {
            guard case .transformFailed(let operation, let index, let underlying) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(operation == "fromGenerator" && index == 2 && underlying is Broken)
        }
        #expect((try? iterator.next()) == .some(nil))
    }

    @Test func customLoopsIterateBatchesOfPairs() throws {
        let x = Tensor(shape: [5, 1], scalars: [0, 1, 2, 3, 4]), y = Tensor([0, 10, 20, 30, 40])
        var sizes: [Int] = []
        var total: Float = 0
        for (xBatch, yBatch) in Dataset.fromTensorSlices((x, y)).batch(2) {
            sizes.append(xBatch.shape[0])
            #expect(xBatch.shape[0] == yBatch.shape[0])
            total += yBatch.scalars.reduce(0, +)
        }
        #expect(sizes == [2, 2, 1])
        #expect(total == 100)
        var seen = 0
        try Dataset.fromTensorSlices((x, y)).forEach { _, _ in seen += 1 }
        #expect(seen == 5)
    }

    @Test func asyncIterationThrowsInsteadOfTrapping() async {
        let dataset = Dataset.fromTensorSlices(Tensor(zeros: [3, 2])).concatenate(Dataset.fromTensorSlices(Tensor(zeros: [1, 3]))).batch(4)
        var count = 0
        do {
            for try await _ in dataset { count += 1 }
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("element 3"), "\(error)")
        }
        #expect(count == 0)
    }
}

/// A counter closures running on any thread can bump.
final class CallCounter: @unchecked Sendable {
    private var count = 0
    private let lock = NSLockLike()
    func increment() { lock.locked { count += 1 } }
    var value: Int { lock.locked { count } }
}

import Synchronization

/// A minimal lock for test helpers.
final class NSLockLike: Sendable {
    private let mutex = Mutex(())
    func locked<R>(_ body: () -> R) -> R { mutex.withLock { _ in body() } }
}
