import Neural
import Testing

@Suite struct ComparisonTests {
    @Test func tensorAgainstTensorBroadcasts() {
        let a = Tensor([[1, 2, 3], [4, 5, 6]]), b = Tensor([2, 5, 3])
        expectClose(a .== b, [0, 0, 1, 0, 1, 0], shape: [2, 3])
        expectClose(a .!= b, [1, 1, 0, 1, 0, 1], shape: [2, 3])
        expectClose(a .< b, [1, 1, 0, 0, 0, 0], shape: [2, 3])
        expectClose(a .<= b, [1, 1, 1, 0, 1, 0], shape: [2, 3])
        expectClose(a .> b, [0, 0, 0, 1, 0, 1], shape: [2, 3])
        expectClose(a .>= b, [0, 0, 1, 1, 1, 1], shape: [2, 3])
        expectClose(Tensor([[1], [4]]) .< Tensor([2, 5, 3]), [1, 1, 1, 0, 1, 0], shape: [2, 3])
    }

    @Test func tensorAgainstScalar() {
        let x = Tensor([-1, 0, 0.5, 2])
        expectClose(x .> 0, [0, 0, 1, 1], shape: [4])
        expectClose(x .>= 0, [0, 1, 1, 1])
        expectClose(x .< 0.5, [1, 1, 0, 0])
        expectClose(x .<= 0.5, [1, 1, 1, 0])
        expectClose(x .== 0, [0, 1, 0, 0])
        expectClose(x .!= 0, [1, 0, 1, 1])
        let threshold: Float = 0.25
        expectClose(x .> threshold, [0, 0, 1, 1])
        expectClose(threshold .< x, [0, 0, 1, 1])
        expectClose(0 .<= x, [0, 1, 1, 1])
        expectClose(2 .== x, [0, 0, 0, 1])
        expectClose(2 .!= x, [1, 1, 1, 0])
        expectClose(0.5 .> x, [1, 1, 0, 0])
        expectClose(0.5 .>= x, [1, 1, 1, 0])
    }

    /// NaN compares false with everything except `.!=`, as in NumPy.
    @Test func nanComparesUnequal() {
        let x = Tensor([.nan, 1])
        #expect((x .== x).scalars == [0, 1])
        #expect((x .!= x).scalars == [1, 0])
        #expect((x .< 2).scalars == [0, 1])
        #expect((x .>= Tensor([0, 0])).scalars == [0, 1])
    }

    /// Masks are constants: no tape records a comparison.
    @Test func comparisonsAreNotRecorded() throws {
        let x = Tensor([1, -2, 3])
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(x)
            return ((x .> 0) + (x .== Tensor([1, 1, 1])) + x.isFinite()).sum()
        }
        #expect(y.scalar == 6)
        #expect(try tape.gradient(of: y, wrt: x) == nil)
    }

    @Test func nanAndInfinityChecks() {
        let x = Tensor([1, .nan, .infinity, -.infinity, 0])
        #expect(x.isNaN().scalars == [0, 1, 0, 0, 0])
        #expect(x.isFinite().scalars == [1, 0, 0, 0, 1])
        #expect(x.isInfinite().scalars == [0, 0, 1, 1, 0])
        #expect(!x.allFinite)
        #expect(x.containsNaN)
        #expect(Tensor([1, .infinity]).containsNaN == false)
        #expect(Tensor([1, .infinity]).allFinite == false)
        #expect(Tensor([[1, 2], [3, 4]]).allFinite)
        #expect(Tensor(zeros: [0]).allFinite)
        #expect(!Tensor(zeros: [0]).containsNaN)
    }

    // MARK: - where

    @Test func whereBroadcastsAmongAllThree() {
        let condition = Tensor([[1], [0]])               // [2, 1]
        let a = Tensor([10, 20, 30])                      // [3]
        let b = Tensor(-1)                                // []
        expectClose(Tensor.where(condition, a, b), [10, 20, 30, -1, -1, -1], shape: [2, 3])
        let mask = Tensor([1, 0, 1])
        expectClose(Tensor.where(mask, Tensor([[1, 2, 3], [4, 5, 6]]), Tensor([[7], [8]])),
                    [1, 7, 3, 4, 8, 6], shape: [2, 3])
        expectClose(Tensor.where(Tensor(shape: [2, 1, 1], scalars: [0, 1]), Tensor([[1, 2]]), Tensor([[3], [4]])),
                    [3, 3, 4, 4, 1, 2, 1, 2], shape: [2, 2, 2])
        // Any nonzero condition picks a, NaN included.
        expectClose(Tensor.where(Tensor([-2, .nan, 0]), Tensor(1), Tensor(0)), [1, 1, 0], shape: [3])
        let x = Tensor([-1, 2, -3])
        expectClose(Tensor.where(x .> 0, x, 0), [0, 2, 0])
    }

    @Test func whereGradientsMatchFiniteDifferences() {
        let condition = Tensor([[1, 0, 1], [0, 0, 1]])
        let a = randomTensor([2, 3], seed: 11), b = randomTensor([3], seed: 12)
        checkGradients([a, b]) { Tensor.where(condition, $0[0], $0[1]) }
        checkGradients([Tensor([[0.5], [-1.5]]), Tensor(2.5)]) { Tensor.where(condition, $0[0], $0[1]) }
        checkGradients([b, a]) { Tensor.where(Tensor([[1], [0]]), $0[0], $0[1] * $0[1]) }
    }

    @Test func whereGivesTheConditionNoGradient() throws {
        let condition = Tensor([1, 0, 1]), a = Tensor([1, 2, 3]), b = Tensor(7)
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(condition)
            tape.watch(a)
            tape.watch(b)
            return Tensor.where(condition, a, b).sum()
        }
        let gradients = try tape.gradient(of: y, wrt: [condition, a, b])
        #expect(gradients[0] == nil)
        #expect(gradients[1]?.scalars == [1, 0, 1])
        #expect(gradients[2] == Tensor(1))
    }
}
