import Neural
import Testing

/// `0, 1, 2, ...` in `shape`, like NumPy's `np.arange(n).reshape(shape)`.
private func arange(_ shape: [Int], from start: Float = 0) -> Tensor {
    let count = shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<count).map { start + Float($0) })
}

/// Expected values come from NumPy's `concatenate`, `stack` and `split`.
@Suite struct JoiningTests {
    let x = arange([2, 3])                 // [[0, 1, 2], [3, 4, 5]]
    let y = arange([2, 1], from: 10)       // [[10], [11]]
    let z = arange([2, 3], from: 20)       // [[20, 21, 22], [23, 24, 25]]

    @Test func concatenation() {
        expectClose(Tensor(concatenating: [x, y], alongAxis: -1), [0, 1, 2, 10, 3, 4, 5, 11], shape: [2, 4])
        expectClose(Tensor(concatenating: [x, y], alongAxis: 1), [0, 1, 2, 10, 3, 4, 5, 11], shape: [2, 4])
        expectClose(Tensor(concatenating: [x, z]), [0, 1, 2, 3, 4, 5, 20, 21, 22, 23, 24, 25], shape: [4, 3])
        expectClose(Tensor(concatenating: [y, x, y], alongAxis: 1), [10, 0, 1, 2, 10, 11, 3, 4, 5, 11], shape: [2, 5])
        #expect(Tensor(concatenating: [x]) == x)
        // Empty pieces take no room.
        expectClose(Tensor(concatenating: [x, Tensor(zeros: [2, 0]), y], alongAxis: 1), [0, 1, 2, 10, 3, 4, 5, 11], shape: [2, 4])
        #expect(Tensor(concatenating: [Tensor(zeros: [0, 3]), Tensor(zeros: [0, 3])]).shape == [0, 3])
        let a = arange([2, 3, 4])
        let parts = a.split(sizes: [1, 3], alongAxis: -1)
        #expect(Tensor(concatenating: parts, alongAxis: 2) == a)
    }

    @Test func stacking() {
        expectClose(Tensor(stacking: [x, z]), [0, 1, 2, 3, 4, 5, 20, 21, 22, 23, 24, 25], shape: [2, 2, 3])
        expectClose(Tensor(stacking: [x, z], alongAxis: 1), [0, 1, 2, 20, 21, 22, 3, 4, 5, 23, 24, 25], shape: [2, 2, 3])
        expectClose(Tensor(stacking: [x, z], alongAxis: -1), [0, 20, 1, 21, 2, 22, 3, 23, 4, 24, 5, 25], shape: [2, 3, 2])
        expectClose(Tensor(stacking: [Tensor(1), Tensor(2), Tensor(3)]), [1, 2, 3], shape: [3])
        expectClose(Tensor(stacking: [Tensor([1, 2])]), [1, 2], shape: [1, 2])
    }

    @Test func splitting() {
        let a = arange([2, 3, 4])
        let halves = a.split(count: 2, alongAxis: -1)
        #expect(halves.count == 2)
        expectClose(halves[0], [0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21], shape: [2, 3, 2])
        expectClose(halves[1], [2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23], shape: [2, 3, 2])
        let pieces = a.split(sizes: [1, -1], alongAxis: 1)
        expectClose(pieces[0], [0, 1, 2, 3, 12, 13, 14, 15], shape: [2, 1, 4])
        expectClose(pieces[1], [4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23], shape: [2, 2, 4])
        let withEmpty = a.split(sizes: [0, 2, 0], alongAxis: 0)
        #expect(withEmpty.map(\.shape) == [[0, 3, 4], [2, 3, 4], [0, 3, 4]])
        #expect(withEmpty[1] == a)
        #expect(a.split(count: 3, alongAxis: 1).map(\.shape) == [[2, 1, 4], [2, 1, 4], [2, 1, 4]])
    }

    @Test func joiningErrors() throws {
        let op = "Tensor(concatenating:alongAxis:)"
        #expect(throws: TensorError.incompatibleShapes(op: op + " (sizes off axis 1 must agree)", lhs: [2, 3], rhs: [3, 3])) {
            try Tensor.validatedConcatenation(of: [[2, 3], [3, 3]], alongAxis: 1)
        }
        #expect(throws: TensorError.incompatibleShapes(op: op + " (sizes off axis 0 must agree)", lhs: [2, 3], rhs: [2, 3, 1])) {
            try Tensor.validatedConcatenation(of: [[2, 3], [2, 3, 1]], alongAxis: 0)
        }
        #expect(throws: TensorError.invalidAxis(op: op, axis: 2, rank: 2)) {
            try Tensor.validatedConcatenation(of: [[2, 3], [2, 3]], alongAxis: 2)
        }
        #expect(throws: TensorError.invalidArgument(op: op, message: "needs at least one tensor")) {
            try Tensor.validatedConcatenation(of: [], alongAxis: 0)
        }
        #expect(throws: TensorError.self) { try Tensor.validatedConcatenation(of: [[], []], alongAxis: 0) }
        let joined = try Tensor.validatedConcatenation(of: [[2, 3], [2, 5]], alongAxis: -1)
        #expect(joined.shape == [2, 8] && joined.axis == 1)

        #expect(throws: TensorError.invalidArgument(
            op: "split(sizes:alongAxis:)", message: "sizes [1, 1] do not add up to 3, the size of axis -1 of shape [2, 3]")) {
            try Tensor.validatedSplit(of: [2, 3], sizes: [1, 1], alongAxis: -1)
        }
        #expect(throws: TensorError.self) { try Tensor.validatedSplit(of: [2, 3], sizes: [4, -1], alongAxis: 1) }
        #expect(throws: TensorError.self) { try Tensor.validatedSplit(of: [2, 3], sizes: [-1, -1], alongAxis: 1) }
        #expect(throws: TensorError.invalidAxis(op: "split(sizes:alongAxis:)", axis: -3, rank: 2)) {
            try Tensor.validatedSplit(of: [2, 3], sizes: [1, 1], alongAxis: -3)
        }
        let split = try Tensor.validatedSplit(of: [2, 3], sizes: [2, -1], alongAxis: -1)
        #expect(split.sizes == [2, 1] && split.axis == 1)
    }

    @Test func joiningGradients() {
        let a = randomTensor([2, 3], seed: 51), b = randomTensor([2, 1], seed: 52), c = randomTensor([2, 3], seed: 53)
        checkGradients([a, b]) { Tensor(concatenating: [$0[0], $0[1]], alongAxis: -1) }
        checkGradients([a, c]) { Tensor(concatenating: [$0[0], $0[1], $0[0]]) }
        checkGradients([a, c]) { Tensor(stacking: [$0[0], $0[1]], alongAxis: 1) }
        checkGradients([a, c]) { Tensor(stacking: [$0[1], $0[0]], alongAxis: -1) }
        let d = randomTensor([2, 3, 4], seed: 54)
        checkGradients([d]) { $0[0].split(count: 2, alongAxis: -1)[1] }
        checkGradients([d]) { $0[0].split(sizes: [1, -1], alongAxis: 1)[1] }
        checkGradients([d]) {
            let parts = $0[0].split(sizes: [1, 2], alongAxis: 1)
            return parts[0] * parts[1]
        }
        // Only the concatenated input that is watched gets a gradient; the other is a constant.
        checkGradients([a]) { Tensor(concatenating: [$0[0], c], alongAxis: 0) }
    }

    @Test func joiningSecondOrderGradients() throws {
        let fixed = randomTensor([2, 2], seed: 55)
        try checkLinearOpSecondOrder(randomTensor([2, 3], seed: 56)) { Tensor(concatenating: [$0, fixed, $0], alongAxis: 1) }
        try checkLinearOpSecondOrder(randomTensor([2, 3, 4], seed: 57)) { $0.split(sizes: [3, 1], alongAxis: 2)[0] }
        try checkLinearOpSecondOrder(randomTensor([3, 2], seed: 58)) { Tensor(stacking: [$0, $0 * 2], alongAxis: -1) }
    }
}
