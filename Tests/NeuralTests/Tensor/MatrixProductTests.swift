import Neural
import Testing

@Suite struct MatrixProductTests {
    @Test func matmulMatchesHandComputation() {
        let a = Tensor([[1, 2, 3], [4, 5, 6]])
        let b = Tensor([[7, 8], [9, 10], [11, 12]])
        expectClose(matmul(a, b), [58, 64, 139, 154], shape: [2, 2])
        let at = Tensor([[1, 4], [2, 5], [3, 6]])
        expectClose(matmul(at, b, transposeA: true), [58, 64, 139, 154], shape: [2, 2])
        let bt = Tensor([[7, 9, 11], [8, 10, 12]])
        expectClose(matmul(a, bt, transposeB: true), [58, 64, 139, 154], shape: [2, 2])
        expectClose(matmul(at, bt, transposeA: true, transposeB: true), [58, 64, 139, 154], shape: [2, 2])
    }

    @Test func batchedMatmul() {
        let a = Tensor(shape: [2, 2, 2], scalars: [1, 0, 0, 1, 2, 0, 0, 2])
        let b = Tensor(shape: [2, 2, 2], scalars: [1, 2, 3, 4, 1, 2, 3, 4])
        expectClose(matmul(a, b), [1, 2, 3, 4, 2, 4, 6, 8], shape: [2, 2, 2])
        let shared = Tensor([[1, 2], [3, 4]])
        expectClose(matmul(a, shared), [1, 2, 3, 4, 2, 4, 6, 8], shape: [2, 2, 2])
        expectClose(matmul(shared, a), [1, 2, 3, 4, 2, 4, 6, 8], shape: [2, 2, 2])
    }

    @Test func matmulGradients() {
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = randomTensor(ta ? [4, 3] : [3, 4], seed: 1)
            let b = randomTensor(tb ? [2, 4] : [4, 2], seed: 2)
            checkGradients([a, b]) { matmul($0[0], $0[1], transposeA: ta, transposeB: tb) }
        }
        let batchA = randomTensor([2, 3, 4], seed: 3), batchB = randomTensor([2, 4, 2], seed: 4)
        checkGradients([batchA, batchB]) { matmul($0[0], $0[1]) }
        let shared = randomTensor([4, 2], seed: 5)
        checkGradients([batchA, shared]) { matmul($0[0], $0[1]) }
        checkGradients([batchA, shared]) { matmul($0[1], $0[0], transposeA: true, transposeB: true) }
    }

    @Test func denseFusesBiasAndActivation() {
        let x = Tensor([[1, -2]]), w = Tensor([[1, 2], [3, 4]]), b = Tensor([0.5, 10])
        expectClose(Tensor.dense(x, weight: w, bias: b, activation: .identity), [-4.5, 4], shape: [1, 2])
        expectClose(Tensor.dense(x, weight: w, bias: b, activation: .relu), [0, 4], shape: [1, 2])
        expectClose(Tensor.dense(x, weight: w, bias: nil, activation: .identity), [-5, -6], shape: [1, 2])
    }

    @Test func denseGradients() {
        let x = randomTensor([5, 3], seed: 11), w = randomTensor([3, 4], seed: 12), b = randomTensor([4], seed: 13)
        for activation in FusedActivation.allCases where activation != .relu {
            checkGradients([x, w, b]) { Tensor.dense($0[0], weight: $0[1], bias: $0[2], activation: activation) }
        }
        // ReLU: pre-activations kept near ±2, away from the kink where differences mean nothing.
        let smallX = randomTensor([5, 3], seed: 15, lower: -0.3, upper: 0.3)
        let smallW = randomTensor([3, 4], seed: 16, lower: -0.3, upper: 0.3)
        checkGradients([smallX, smallW, Tensor([2, -2, 2, -2])]) {
            Tensor.dense($0[0], weight: $0[1], bias: $0[2], activation: .relu)
        }
        checkGradients([x, w]) { Tensor.dense($0[0], weight: $0[1], bias: nil, activation: .tanh) }
        let batched = randomTensor([2, 5, 3], seed: 14)
        checkGradients([batched, w, b]) { Tensor.dense($0[0], weight: $0[1], bias: $0[2], activation: .sigmoid) }
    }
}
