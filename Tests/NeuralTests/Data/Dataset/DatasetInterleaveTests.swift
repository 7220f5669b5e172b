import Neural
import Testing

/// interleave against orders computed with TensorFlow 2.21 (`tf.data.Dataset.range(1, 6).interleave(
/// lambda x: tf.data.Dataset.range(10 * x, 10 * x + x), cycle_length=..., block_length=...)`).
@Suite struct DatasetInterleaveTests {
    private func inner(_ x: Int) -> Dataset<Int> { Dataset.range(10 * x, 10 * x + x) }

    @Test func cycleTwoBlockTwoMatchesTensorFlow() throws {
        let order = try Dataset.range(1, 6).interleave(cycleLength: 2, blockLength: 2) { x in Dataset.range(10 * x, 10 * x + x) }.elements()
        #expect(order == [10, 20, 21, 30, 31, 32, 40, 41, 50, 51, 42, 43, 52, 53, 54])
    }

    @Test func cycleThreeBlockOneMatchesTensorFlow() throws {
        let order = try Dataset.range(1, 6).interleave(cycleLength: 3) { x in Dataset.range(10 * x, 10 * x + x) }.elements()
        #expect(order == [10, 20, 30, 21, 31, 40, 32, 41, 50, 42, 51, 43, 52, 53, 54])
    }

    @Test func moreSlotsThanInputsMatchesTensorFlow() throws {
        // range(1, 4).interleave(lambda x: range(10x, 10x + 4), cycle_length=4, block_length=3).
        let order = try Dataset.range(1, 4).interleave(cycleLength: 4, blockLength: 3) { x in Dataset.range(10 * x, 10 * x + 4) }.elements()
        #expect(order == [10, 11, 12, 20, 21, 22, 30, 31, 32, 13, 23, 33])
    }

    @Test func flatMapAndErrors() throws {
        #expect(try Dataset.range(1, 4).flatMap { x in Dataset.range(x) }.elements() == [0, 0, 1, 0, 1, 2])
        struct NoFile: Error {}
        let failing = Dataset.range(3).interleave(cycleLength: 2) { x -> Dataset<Int> in
            if x == 1 { throw NoFile() }
            return Dataset.range(2)
        }
        do {
            _ = try failing.elements()
            Issue.record("expected an error")
        } catch {
            guard case .transformFailed("interleave", 1, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
        #expect(throws: DatasetError.self) { _ = try Dataset.range(3).interleave(cycleLength: 0) { Dataset.range($0) }.elements() }
    }
}
