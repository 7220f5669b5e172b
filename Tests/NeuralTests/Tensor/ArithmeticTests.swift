import Neural
import Testing

@Suite struct ArithmeticTests {
    @Test func broadcastingFollowsNumPy() {
        let a = Tensor([[1, 2, 3], [4, 5, 6]])
        expectClose(a + Tensor([10, 20, 30]), [11, 22, 33, 14, 25, 36], shape: [2, 3])
        expectClose(a * Tensor([[2], [3]]), [2, 4, 6, 12, 15, 18], shape: [2, 3])
        expectClose(Tensor([[1], [2]]) - Tensor([1, 2, 3]), [0, -1, -2, 1, 0, -1], shape: [2, 3])
        expectClose(a / 2, [0.5, 1, 1.5, 2, 2.5, 3], shape: [2, 3])
        expectClose(10 - a, [9, 8, 7, 6, 5, 4], shape: [2, 3])
        expectClose(-a, [-1, -2, -3, -4, -5, -6], shape: [2, 3])
        let b = Tensor(shape: [2, 1, 3], scalars: [1, 2, 3, 4, 5, 6])
        let c = Tensor(shape: [4, 1], scalars: [0, 10, 20, 30])
        let sum = b + c
        #expect(sum.shape == [2, 4, 3])
        #expect(sum.scalars[3...5] == [11, 12, 13])
        #expect(sum.scalars[21...23] == [34, 35, 36])
    }

    @Test func incompatibleShapesNameTheOperationAndShapes() {
        #expect(throws: TensorError.incompatibleShapes(op: "add", lhs: [2, 3], rhs: [4])) {
            try Tensor.broadcastShape([2, 3], [4], op: "add")
        }
        let message = TensorError.incompatibleShapes(op: "add", lhs: [2, 3], rhs: [4]).description
        #expect(message == "add: shapes [2, 3] and [4] are not compatible")
    }

    @Test func arithmeticGradientsMatchFiniteDifferences() {
        let a = randomTensor([2, 3], seed: 1), b = randomTensor([3], seed: 2)
        let c = randomTensor([2, 1], seed: 3, lower: 1, upper: 2)
        checkGradients([a, b]) { $0[0] + $0[1] }
        checkGradients([a, b]) { $0[0] - $0[1] }
        checkGradients([a, b]) { $0[0] * $0[1] }
        checkGradients([a, c]) { $0[0] / $0[1] }
        checkGradients([c, a]) { $0[1] / $0[0] }
        checkGradients([a]) { -$0[0] * 3 + 1 }
    }

    @Test func broadcastAndSumToShapeAreAdjoint() {
        let x = randomTensor([3, 1], seed: 4)
        checkGradients([x]) { $0[0].broadcast(toShape: [2, 3, 4]) }
        let y = randomTensor([2, 3, 4], seed: 5)
        checkGradients([y]) { $0[0].sum(toShape: [3, 1]) }
        checkGradients([y]) { $0[0].sum(toShape: [4]) }
        checkGradients([y]) { $0[0].sum() }
        expectClose(Tensor([[1, 2], [3, 4]]).sum(toShape: [2]), [4, 6])
        expectClose(Tensor([[1, 2], [3, 4]]).sum(toShape: [2, 1]), [3, 7])
    }

    @Test func copyOnWriteKeepsValuesApart() {
        let a = Tensor([1, 2, 3])
        var b = a
        b.withUnsafeMutableBufferPointer { $0[0] = 99 }
        #expect(a.scalars == [1, 2, 3])
        #expect(b.scalars == [99, 2, 3])
        #expect(a.id != b.id)
    }
}
