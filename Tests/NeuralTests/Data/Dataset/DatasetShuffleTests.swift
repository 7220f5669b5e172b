import Neural
import Testing

/// tf.data's buffered shuffle: a permutation, local for small buffers, reproducible with a seed.
@Suite struct DatasetShuffleTests {
    @Test func aBufferOfOneDoesNotShuffle() throws {
        let order = try Dataset.range(20).shuffle(bufferSize: 1, seed: 3).elements()
        #expect(order == Array(0..<20))
    }

    @Test func aSmallBufferOnlyShufflesLocally() throws {
        // Element k is emitted once bufferSize elements past it have been read at most: the element
        // emitted at position p was read at a position below p + bufferSize.
        for seed in UInt64(0)..<20 {
            let order = try Dataset.range(200).shuffle(bufferSize: 5, seed: seed).elements()
            #expect(order.sorted() == Array(0..<200))
            for (position, value) in order.enumerated() {
                #expect(value < position + 5, "seed \(seed): \(value) came out at \(position)")
            }
            #expect(order != Array(0..<200))
        }
    }

    @Test func aLargeBufferMixesTheWholeDataset() throws {
        let order = try Dataset.range(100).shuffle(bufferSize: 100, seed: 1).elements()
        #expect(order.sorted() == Array(0..<100))
        // With a full buffer, the first element is uniform over all 100; with a buffer of 5 it is below 5.
        var firsts = Set<Int>()
        for seed in UInt64(0)..<40 { firsts.insert(try Dataset.range(100).shuffle(bufferSize: 100, seed: seed).elements()[0]) }
        #expect(firsts.contains { $0 >= 50 })
    }

    @Test func seededOrdersAreStableAndReshuffleEachIteration() throws {
        let first = Dataset.range(30).shuffle(bufferSize: 10, seed: 42)
        let second = Dataset.range(30).shuffle(bufferSize: 10, seed: 42)
        let a1 = try first.elements(), a2 = try first.elements()
        let b1 = try second.elements(), b2 = try second.elements()
        #expect(a1 == b1 && a2 == b2)
        #expect(a1 != a2)
        let fixed = Dataset.range(30).shuffle(bufferSize: 10, seed: 42, reshuffleEachIteration: false)
        #expect(try fixed.elements() == (try fixed.elements()))
        // A shuffle before repeat reshuffles each repetition, as in tf.data.
        let repeated = try Dataset.range(10).shuffle(bufferSize: 10, seed: 7).repeat(2).elements()
        #expect(Array(repeated[0..<10]).sorted() == Array(0..<10) && Array(repeated[10...]).sorted() == Array(0..<10))
        #expect(Array(repeated[0..<10]) != Array(repeated[10...]))
    }

    @Test func inMemorySourcesShuffleInTheSameOrderAsStreams() throws {
        // Tensor slices and arrays shuffle positions instead of elements; the order must not change.
        for (size, seed) in [(1, UInt64(1)), (7, 2), (64, 3), (500, 4)] {
            let streamed = try Dataset.range(300).filter { _ in true }.shuffle(bufferSize: size, seed: seed).elements()
            #expect(try Dataset.range(300).shuffle(bufferSize: size, seed: seed).elements() == streamed)
            let slices = try Dataset.fromTensorSlices(Tensor(rangeFrom: 0, to: 300)).shuffle(bufferSize: size, seed: seed).elements()
            #expect(slices.map { Int($0.scalar) } == streamed)
            #expect(try Dataset(elements: Array(0..<300)).shuffle(bufferSize: size, seed: seed).elements() == streamed)
        }
    }

    @Test func unseededShufflesFollowGlobalRandom() throws {
        let a = try GlobalRandom.withSeed(9) { try Dataset.range(50).shuffle(bufferSize: 50).elements() }
        let b = try GlobalRandom.withSeed(9) { try Dataset.range(50).shuffle(bufferSize: 50).elements() }
        let c = try GlobalRandom.withSeed(10) { try Dataset.range(50).shuffle(bufferSize: 50).elements() }
        #expect(a == b)
        #expect(a != c)
        #expect(throws: DatasetError.self) { _ = try Dataset.range(3).shuffle(bufferSize: 0).elements() }
    }

    @Test func theSeedsShuffleExampleKeepsEveryElement() throws {
        // Seed 004: range(10).repeat(3).shuffle(buffer_size=5, seed=42).batch(7): five batches, every
        // value three times (TensorFlow's own order needs its generator, which is not ours).
        let batches = try Dataset.range(10).repeat(3).shuffle(bufferSize: 5, seed: 42).batch(7).elements()
        #expect(batches.map(\.shape) == [[7], [7], [7], [7], [2]])
        let all = batches.flatMap(\.scalars).map { Int($0) }.sorted()
        #expect(all == (0..<10).flatMap { [$0, $0, $0] })
    }
}
