import Neural
import Testing

/// `0, 1, 2, ...` in `shape`, like NumPy's `np.arange(n).reshape(shape)`.
private func arange(_ shape: [Int]) -> Tensor {
    let count = shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<count).map(Float.init))
}

/// Expected values come from NumPy's `take` on `np.arange(24).reshape(2, 3, 4)`.
@Suite struct GatherTests {
    let a = arange([2, 3, 4])

    @Test func gatheringMatchesNumPyTake() {
        expectClose(a.gathering(atIndices: [2, 0, 2], alongAxis: 1),
                    [8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11, 20, 21, 22, 23, 12, 13, 14, 15, 20, 21, 22, 23], shape: [2, 3, 4])
        expectClose(a.gathering(atIndices: [3, -4], alongAxis: -1), [3, 0, 7, 4, 11, 8, 15, 12, 19, 16, 23, 20], shape: [2, 3, 2])
        let rows = a.gathering(atIndices: [1, 1])
        #expect(rows.shape == [2, 3, 4])
        #expect(Array(rows.scalars[0..<12]) == Array(a.scalars[12..<24]))
        #expect(Array(rows.scalars[12..<24]) == Array(a.scalars[12..<24]))
        #expect(a.gathering(atIndices: [], alongAxis: 1).shape == [2, 0, 4])
        // An embedding lookup: rows of a table.
        let table = Tensor([[0.1, 0.2], [1.1, 1.2], [2.1, 2.2]])
        expectClose(table.gathering(atIndices: [2, 0]), [2.1, 2.2, 0.1, 0.2], shape: [2, 2])
    }

    @Test func scatteringAddIsTheAdjoint() {
        let updates = Tensor([[1, 2], [3, 4], [5, 6]])
        expectClose(updates.scatteringAdd(atIndices: [2, 0, 2], count: 4), [3, 4, 0, 0, 6, 8, 0, 0], shape: [4, 2])
        expectClose(updates.scatteringAdd(atIndices: [1, -1], count: 3, alongAxis: 1), [0, 1, 2, 0, 3, 4, 0, 5, 6], shape: [3, 3])
    }

    @Test func oneHot() {
        expectClose(Tensor(oneHotAtIndices: [0, 2, 1, 2], depth: 3),
                    [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1], shape: [4, 3])
        expectClose(Tensor(oneHotAtIndices: [1], depth: 2, onValue: 0.9, offValue: 0.1), [0.1, 0.9], shape: [1, 2])
        #expect(Tensor(oneHotAtIndices: [], depth: 5).shape == [0, 5])
    }

    @Test func indexErrors() throws {
        #expect(throws: TensorError.invalidArgument(op: "gather", message: "index 3 is out of range for an axis of size 3")) {
            try Tensor.validatedIndices([0, 3], count: 3, op: "gather")
        }
        #expect(throws: TensorError.invalidArgument(op: "gather", message: "index -4 is out of range for an axis of size 3")) {
            try Tensor.validatedIndices([-4], count: 3, op: "gather")
        }
        #expect(try Tensor.validatedIndices([0, -1, 2, -3], count: 3, op: "gather") == [0, 2, 2, 0])
    }

    @Test func gatherGradients() {
        let x = randomTensor([4, 3], seed: 61)
        checkGradients([x]) { $0[0].gathering(atIndices: [3, 0, 3, 1]) }
        checkGradients([x]) { $0[0].gathering(atIndices: [2, -1], alongAxis: -1) }
        let y = randomTensor([2, 3, 2], seed: 62)
        checkGradients([y]) { $0[0].gathering(atIndices: [1, 1, 0], alongAxis: 1) }
        checkGradients([y]) { $0[0].scatteringAdd(atIndices: [0, 4, 0], count: 5, alongAxis: 1) }
    }

    @Test func gatherSecondOrderGradients() throws {
        try checkLinearOpSecondOrder(randomTensor([4, 3], seed: 63)) { $0.gathering(atIndices: [3, 0, 3]) }
        try checkLinearOpSecondOrder(randomTensor([2, 3], seed: 64)) { $0.scatteringAdd(atIndices: [1, 1, 0], count: 2, alongAxis: 1) }
    }
}
