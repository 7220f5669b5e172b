import Neural
import Testing

/// Expected values come from NumPy's `tile` and `pad`.
@Suite struct PaddingTests {
    let x = Tensor([[0, 1, 2], [3, 4, 5]])

    @Test func tiling() {
        expectClose(x.tiled(multiples: [2, 3]),
                    [0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 3, 4, 5,
                     0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 3, 4, 5], shape: [4, 9])
        expectClose(Tensor([0, 1, 2]).reshaped(to: [1, 1, 3]).tiled(multiples: [2, 1, 2]),
                    [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], shape: [2, 1, 6])
        expectClose(x.tiled(multiples: [2, 1]), [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5], shape: [4, 3])
        #expect(x.tiled(multiples: [1, 1]) == x)
        #expect(x.tiled(multiples: [0, 2]).shape == [0, 6])
        #expect(Tensor(3).tiled(multiples: []) == Tensor(3))
    }

    @Test func padding() {
        expectClose(x.padded(with: [(1, 0), (2, 1)], value: -1),
                    [-1, -1, -1, -1, -1, -1,
                     -1, -1, 0, 1, 2, -1,
                     -1, -1, 3, 4, 5, -1], shape: [3, 6])
        expectClose(Tensor([1, 2]).padded(with: [(before: 2, after: 1)]), [0, 0, 1, 2, 0], shape: [5])
        #expect(x.padded(with: [(0, 0), (0, 0)]) == x)
        expectClose(Tensor(zeros: [0, 2]).padded(with: [(1, 0), (0, 0)], value: 7), [7, 7], shape: [1, 2])
        let image = Tensor(ones: [1, 2, 2, 1]).padded(with: [(0, 0), (1, 1), (1, 1), (0, 0)])
        #expect(image.shape == [1, 4, 4, 1])
        #expect(image.scalars == [0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0])
    }

    @Test func tilingAndPaddingErrors() {
        #expect(throws: TensorError.invalidArgument(
            op: "tiled(multiples:)", message: "multiples [2] must be one non-negative count per axis of shape [2, 3]")) {
            try Tensor.validatedTiling(of: [2, 3], multiples: [2])
        }
        #expect(throws: TensorError.self) { try Tensor.validatedTiling(of: [2, 3], multiples: [2, -1]) }
        #expect(throws: TensorError.invalidArgument(
            op: "padded(with:value:)",
            message: "paddings [(1, -1), (0, 0)] must be one non-negative (before, after) pair per axis of shape [2, 3]")) {
            try Tensor.validatedPadding(of: [2, 3], paddings: [(1, -1), (0, 0)])
        }
        #expect(throws: TensorError.self) { try Tensor.validatedPadding(of: [2, 3], paddings: [(1, 1)]) }
        #expect((try? Tensor.validatedPadding(of: [2, 3], paddings: [(1, 0), (2, 2)])) == [3, 7])
    }

    @Test func tilingAndPaddingGradients() {
        let a = randomTensor([2, 3], seed: 71)
        checkGradients([a]) { $0[0].tiled(multiples: [2, 3]) }
        checkGradients([a]) { $0[0].tiled(multiples: [1, 2]) }
        checkGradients([randomTensor([2, 1, 3], seed: 72)]) { $0[0].tiled(multiples: [1, 4, 2]) }
        checkGradients([a]) { $0[0].padded(with: [(1, 0), (2, 1)], value: 3) }
        checkGradients([randomTensor([1, 2, 2, 1], seed: 73)]) { $0[0].padded(with: [(0, 0), (1, 1), (1, 1), (0, 0)]) }
    }

    @Test func tilingAndPaddingSecondOrderGradients() throws {
        try checkLinearOpSecondOrder(randomTensor([2, 3], seed: 74)) { $0.tiled(multiples: [2, 2]) }
        try checkLinearOpSecondOrder(randomTensor([2, 3], seed: 75)) { $0.padded(with: [(1, 1), (0, 2)], value: 0.5) }
    }
}
