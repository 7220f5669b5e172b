import Neural
import Testing

/// map, filter, batch, unbatch, repeat, take, skip, enumerate, zip, concatenate, cache.
@Suite struct DatasetTransformationTests {
    private func values(_ dataset: Dataset<Tensor>) throws -> [[Float]] { try dataset.elements().map(\.scalars) }

    @Test func theSeedsRepeatThenBatchExample() throws {
        // tf.data.Dataset.from_tensor_slices(tf.range(10)).repeat(3).batch(7), as printed in seed 004.
        let dataset = Dataset.fromTensorSlices(Tensor(rangeFrom: 0, to: 10)).repeat(3).batch(7)
        #expect(dataset.cardinality == .finite(5))
        let batches = try values(dataset)
        #expect(batches == [[0, 1, 2, 3, 4, 5, 6], [7, 8, 9, 0, 1, 2, 3], [4, 5, 6, 7, 8, 9, 0], [1, 2, 3, 4, 5, 6, 7], [8, 9]])
        let shapes = try dataset.elements().map(\.shape)
        #expect(shapes == [[7], [7], [7], [7], [2]])
        let dropped = try values(Dataset.fromTensorSlices(Tensor(rangeFrom: 0, to: 10)).repeat(3).batch(7, dropRemainder: true))
        #expect(dropped.count == 4)
        #expect(Dataset.fromTensorSlices(Tensor(rangeFrom: 0, to: 10)).repeat(3).batch(7, dropRemainder: true).cardinality == .finite(4))
    }

    @Test func batchingStacksAlongANewAxisAndUnbatchingUndoesIt() throws {
        let x = Tensor(shape: [5, 2, 3], scalars: (0..<30).map(Float.init))
        let batches = try Dataset.fromTensorSlices(x).batch(2).elements()
        #expect(batches.map(\.shape) == [[2, 2, 3], [2, 2, 3], [1, 2, 3]])
        #expect(batches[2].scalars == Array((24..<30).map(Float.init)))
        let rows = try Dataset.fromTensorSlices(x).batch(2).unbatch().elements()
        #expect(rows == (try Dataset.fromTensorSlices(x).elements()))
        let pairs = try Dataset.fromTensorSlices((x, Tensor([0, 1, 2, 3, 4]))).batch(3).elements()
        #expect(pairs.map(\.0.shape) == [[3, 2, 3], [2, 2, 3]])
        #expect(pairs.map(\.1.scalars) == [[0, 1, 2], [3, 4]])
        let unbatchedPairs = try Dataset.fromTensorSlices((x, Tensor([0, 1, 2, 3, 4]))).batch(3).unbatch().elements()
        #expect(unbatchedPairs.map(\.1) == [Tensor(0), Tensor(1), Tensor(2), Tensor(3), Tensor(4)])
        let dictionaries = try Dataset.fromTensorSlices(["x": x, "y": Tensor([0, 1, 2, 3, 4])]).batch(4).elements()
        #expect(dictionaries.map { $0["x"]?.shape ?? [] } == [[4, 2, 3], [1, 2, 3]])
        let unbatchedDictionaries = try Dataset.fromTensorSlices(["y": Tensor([0, 1, 2])]).batch(2).unbatch().elements()
        #expect(unbatchedDictionaries.map { $0["y"] } == [Tensor(0), Tensor(1), Tensor(2)])
        let numbers = try Dataset.range(5).batch(2).elements()
        #expect(numbers == [Tensor([0, 1]), Tensor([2, 3]), Tensor([4])])
    }

    @Test func batchingDifferentShapesNamesTheShapesAndTheElement() {
        let dataset = Dataset(elements: [Tensor([1, 2]), Tensor([3, 4]), Tensor([5, 6, 7])]).batch(3)
        do {
            _ = try dataset.elements()
            Issue.record("expected an error")
        } catch {
            guard case let .shapeMismatch(operation, index, _, expected, found) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(operation == "batch" && index == 2 && expected == [2] && found == [3])
            #expect(error.description.contains("element 2") && error.description.contains("[3]"), "\(error)")
        }
        #expect(throws: DatasetError.self) { _ = try Dataset.range(3).batch(0).elements() }
        #expect(throws: DatasetError.self) { _ = try Dataset(elements: [Tensor(1)]).unbatch().elements() }
    }

    @Test func theSeedsMapUnbatchFilterExample() throws {
        // dataset.map(lambda x: x * 2); unbatch(); filter(lambda x: x < 10), on the seed's batches.
        let dataset = Dataset.fromTensorSlices(Tensor(rangeFrom: 0, to: 10)).repeat(3).batch(7)
            .map { $0 * 2 }
            .unbatch()
            .filter { $0.scalar < 10 }
        let values = try dataset.elements().map(\.scalar)
        #expect(values == [0, 2, 4, 6, 8, 0, 2, 4, 6, 8, 0, 2, 4, 6, 8])
        #expect(dataset.cardinality == .unknown)
    }

    @Test func mapErrorsNameTheElement() {
        struct Refused: Error {}
        let dataset = Dataset.range(5).map { value -> Int in
            if value == 3 { throw Refused() }
            return value
        }
        do {
            _ = try dataset.elements()
            Issue.record("expected an error")
        } catch {
            guard case .transformFailed("map", 3, let underlying) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(underlying is Refused)
        }
    }

    @Test func repeatTakeAndSkip() throws {
        #expect(try Dataset.range(3).repeat(2).elements() == [0, 1, 2, 0, 1, 2])
        #expect(try Dataset.range(3).repeat().take(7).elements() == [0, 1, 2, 0, 1, 2, 0])
        #expect(Dataset.range(3).repeat().cardinality == .infinite)
        #expect(Dataset.range(3).repeat().take(7).cardinality == .finite(7))
        #expect(try Dataset.range(0).repeat().elements().isEmpty)
        #expect(try Dataset.range(5).filter { _ in false }.repeat().take(3).elements().isEmpty)
        #expect(try Dataset.range(3).repeat(0).elements().isEmpty)
        #expect(try Dataset.range(5).take(2).elements() == [0, 1])
        #expect(try Dataset.range(5).take(9).elements() == [0, 1, 2, 3, 4])
        #expect(try Dataset.range(5).take(-1).elements() == [0, 1, 2, 3, 4])
        #expect(try Dataset.range(5).skip(2).elements() == [2, 3, 4])
        #expect(try Dataset.range(5).skip(9).elements().isEmpty)
        #expect(Dataset.range(5).skip(2).cardinality == .finite(3))
        #expect(try Dataset.range(10).skip(2).take(3).elements() == [2, 3, 4])
    }

    @Test func enumerateZipAndConcatenate() throws {
        let enumerated = try Dataset(elements: ["a", "b"]).enumerate(start: 5).elements()
        #expect(enumerated.map(\.0) == [5, 6] && enumerated.map(\.1) == ["a", "b"])
        let zipped = try Dataset.range(5).zip(Dataset(elements: ["a", "b", "c"])).elements()
        #expect(zipped.map(\.0) == [0, 1, 2] && zipped.map(\.1) == ["a", "b", "c"])
        #expect(Dataset.range(5).zip(Dataset.range(3)).cardinality == .finite(3))
        let pairs = Dataset.zip(Dataset.fromTensorSlices(Tensor([1, 2])), Dataset.fromTensorSlices(Tensor([3, 4]))).batch(2)
        let batch = try pairs.elements()
        #expect(batch.count == 1 && batch[0].0 == Tensor([1, 2]) && batch[0].1 == Tensor([3, 4]))
        #expect(try Dataset.range(2).concatenate(Dataset.range(3)).elements() == [0, 1, 0, 1, 2])
        #expect(Dataset.range(2).concatenate(Dataset.range(3)).cardinality == .finite(5))
    }

    @Test func cacheReplaysTheFirstCompleteIteration() throws {
        let calls = CallCounter()
        let dataset = Dataset.range(4).map { value -> Int in
            calls.increment()
            return value * 10
        }.cache()
        #expect(Array(dataset.take(2)) == [0, 10])
        #expect(calls.value == 2)
        #expect(try dataset.elements() == [0, 10, 20, 30])
        #expect(calls.value == 6)
        #expect(try dataset.elements() == [0, 10, 20, 30])
        #expect(try dataset.repeat(2).elements() == [0, 10, 20, 30, 0, 10, 20, 30])
        #expect(calls.value == 6)
    }
}
