import Neural
import Testing

/// A [2, 3, 4] tensor of the distinct values -11.5...11.5 in a scrambled order (no ties anywhere).
/// Expected numbers below come from NumPy on the same data.
private let cube = Tensor(shape: [2, 3, 4], scalars: (0..<24).map { Float(($0 * 7) % 24) - 11.5 })

@Suite struct ReductionTests {
    @Test func sumMatchesNumPy() {
        expectClose(cube.sum(alongAxis: 0), [-11, 3, -7, 7, -3, 11, 1, -9, 5, -5, 9, -1], shape: [3, 4])
        expectClose(cube.sum(alongAxis: 1, keepDims: true),
                    [-22.5, -1.5, 19.5, -7.5, 13.5, 10.5, -16.5, 4.5], shape: [2, 1, 4])
        expectClose(cube.sum(alongAxis: -1), [-4, -12, 4, -4, 12, 4], shape: [2, 3])
        expectClose(cube.sum(alongAxes: [0, 2]), [-8, 0, 8], shape: [3])
        expectClose(cube.sum(alongAxes: [-1, 1]), [-12, 12], shape: [2])
        expectClose(cube.sum(alongAxes: [0, 2], keepDims: true), [-8, 0, 8], shape: [1, 3, 1])
        expectClose(cube.sum(alongAxes: nil), [0], shape: [])
        expectClose(cube.sum(alongAxes: nil, keepDims: true), [0], shape: [1, 1, 1])
    }

    @Test func meanMatchesNumPy() {
        expectClose(cube.mean(alongAxis: 0), [-5.5, 1.5, -3.5, 3.5, -1.5, 5.5, 0.5, -4.5, 2.5, -2.5, 4.5, -0.5],
                    shape: [3, 4])
        expectClose(cube.mean(alongAxes: [0, 2], keepDims: true), [-1, 0, 1], shape: [1, 3, 1])
        expectClose(cube.mean(alongAxis: -1), [-1, -3, 1, -1, 3, 1], shape: [2, 3])
        expectClose(cube.mean(), [0], shape: [])
        expectClose(Tensor([[1, 2], [3, 5]]).mean(), [2.75], shape: [])
        #expect(Tensor(zeros: [0]).mean().scalar.isNaN)
        #expect(Tensor(zeros: [0, 3]).sum(alongAxis: 0).scalars == [0, 0, 0])
    }

    /// An empty axis list reduces nothing (TensorFlow); `nil` reduces everything; size-1 axes between
    /// reduced ones keep the contiguous path and agree with the gathered one.
    @Test func axisListEdgeCases() {
        #expect(cube.sum(alongAxes: []) == cube)
        #expect(cube.max(alongAxes: [], keepDims: true) == cube)
        let x = Tensor(shape: [2, 1, 3], scalars: [1, 2, 3, 4, 5, 6])
        expectClose(x.sum(alongAxes: [0, 2]), [21], shape: [1])
        expectClose(x.sum(alongAxes: [0, 1]), [5, 7, 9], shape: [3])
        expectClose(x.sum(alongAxis: 1), [1, 2, 3, 4, 5, 6], shape: [2, 3])
        expectClose(x.max(alongAxes: [0, 2], keepDims: true), [6], shape: [1, 1, 1])
        let scalar = Tensor(4)
        #expect(scalar.sum(alongAxes: nil) == scalar)
        // Non-adjacent axes of a rank-4 tensor: gathered path against a chain of single-axis sums.
        let y = randomTensor([2, 3, 4, 5], seed: 21)
        let gathered = y.sum(alongAxes: [0, 2], keepDims: true)
        let chained = y.sum(alongAxis: 2, keepDims: true).sum(alongAxis: 0, keepDims: true)
        expectClose(gathered, chained.scalars, shape: [1, 3, 1, 5], tolerance: 1e-5)
        expectClose(y.sum(alongAxes: [1, 3]), y.sum(alongAxis: 3).sum(alongAxis: 1).scalars, shape: [2, 4])
    }

    @Test func maxAndMinMatchNumPy() {
        expectClose(cube.max(alongAxis: 1), [-3.5, 3.5, 10.5, 9.5, 8.5, 11.5, -1.5, 5.5], shape: [2, 4])
        expectClose(cube.max(alongAxes: [0, 2]), [9.5, 11.5, 10.5], shape: [3])
        expectClose(cube.min(alongAxis: -1, keepDims: true), [-11.5, -10.5, -6.5, -9.5, -5.5, -8.5], shape: [2, 3, 1])
        expectClose(cube.min(alongAxes: [0, 1]), [-11.5, -8.5, -9.5, -10.5], shape: [4])
        expectClose(cube.max(alongAxes: nil), [11.5], shape: [])
        #expect(Tensor([1, .nan, 3]).max(alongAxis: 0).scalar.isNaN)
        #expect(Tensor([.nan, 1, 3]).min(alongAxis: 0).scalar.isNaN)
    }

    @Test func argmaxAndArgminMatchNumPy() {
        expectClose(cube.argmax(alongAxis: 0), [1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 1], shape: [3, 4])
        expectClose(cube.argmax(alongAxis: 1), [2, 2, 2, 0, 2, 1, 2, 2], shape: [2, 4])
        expectClose(cube.argmin(alongAxis: -1), [0, 3, 3, 2, 2, 1], shape: [2, 3])
        expectClose(cube.argmin(alongAxis: 1), [0, 0, 0, 1, 0, 2, 0, 0], shape: [2, 4])
        #expect(cube.argmaxIndices(alongAxis: 1) == [2, 2, 2, 0, 2, 1, 2, 2])
        #expect(cube.argminIndices(alongAxis: -1) == [0, 3, 3, 2, 2, 1])
        // First index on ties, as NumPy.
        #expect(Tensor([[1, 3, 3], [2, 2, 0]]).argmaxIndices(alongAxis: -1) == [1, 0])
        #expect(Tensor([[1, 3, 3], [2, 2, 0]]).argmaxIndices(alongAxis: 0) == [1, 0, 0])
    }

    @Test func prodMatchesNumPy() {
        let y = cube / 10
        expectClose(y.prod(alongAxis: -1),
                    [0.1229062, -0.02559375, 0.08360625, 0.00890625, -0.04269375, 0.05960625], shape: [2, 3])
        expectClose(y.prod(alongAxis: 0), [-0.0575, -0.3375, -0.2375, -0.2375, -0.3375, -0.0575, -0.3575, -0.1575,
                                           -0.2975, -0.2975, -0.1575, -0.3575], shape: [3, 4])
        expectClose(y.prod(alongAxes: [0, 2]), [0.001094634, 0.001092693, 0.004983455], shape: [3])
        expectClose(Tensor([[2, 0, 3], [1, 4, 5]]).prod(alongAxis: 1, keepDims: true), [0, 20], shape: [2, 1])
    }

    @Test func varianceStandardDeviationAndMomentsMatchNumPy() {
        expectClose(cube.variance(alongAxes: [1]),
                    [10.66667, 10.66667, 10.66667, 74.66667, 10.66667, 74.66667, 10.66667, 10.66667], shape: [2, 4])
        expectClose(cube.variance(alongAxes: [0, 2]), [49.25, 49.25, 43.25], shape: [3])
        expectClose(cube.variance(alongAxes: nil), [47.91667], shape: [])
        expectClose(cube.standardDeviation(alongAxes: [-1]),
                    [7.826238, 6.576473, 6.576473, 6.103278, 6.103278, 6.576473], shape: [2, 3])
        let (mean, variance) = cube.moments(alongAxes: [0, 2], keepDims: true)
        expectClose(mean, [-1, 0, 1], shape: [1, 3, 1])
        expectClose(variance, [49.25, 49.25, 43.25], shape: [1, 3, 1])
        // Two passes: a large offset does not swamp a small spread.
        expectClose(Tensor([10000.5, 10001.5, 10002.5]).variance(alongAxes: nil), [2.0 / 3.0], tolerance: 1e-6)
    }

    @Test func logSumExpMatchesNumPyAndIsStable() {
        expectClose(cube.logSumExp(alongAxes: [-1]), [9.500912, 6.500912, 10.50091, 7.500957, 11.50096, 8.548631],
                    shape: [2, 3])
        expectClose(cube.logSumExp(alongAxes: [0, 2]), [9.627846, 11.50767, 10.63365], shape: [3])
        expectClose(cube.logSumExp(alongAxes: [0], keepDims: true),
                    [0.5000061, 7.500006, 2.500006, 9.500006, 4.500006, 11.50001, 6.500006, 1.500006, 8.500006,
                     3.500006, 10.50001, 5.500006], shape: [1, 3, 4])
        let small = Tensor([0, 1, 2]).logSumExp(alongAxes: nil).scalar
        let large = Tensor([1000, 1001, 1002]).logSumExp(alongAxes: nil).scalar
        let negative = Tensor([-1000, -999, -998]).logSumExp(alongAxes: nil).scalar
        #expect(abs(small - 2.407606) < 1e-5)
        #expect(abs(large - 1002.407606) < 1e-3)
        #expect(abs(negative - -997.592394) < 1e-3)
        #expect(Tensor([-Float.infinity, -.infinity]).logSumExp(alongAxes: [0]).scalar == -.infinity)
        // Column path (axis 0 of a matrix) against the row path on the transpose.
        let m = Tensor([[1000, 0], [1001, 1], [1002, 2]])
        expectClose(m.logSumExp(alongAxes: [0]), [1002.407606, 2.407606], tolerance: 1e-6)
    }

    /// Pairwise and blocked summation keep a million-element sum close to the exact value, along the
    /// last axis (rows) and the first axis (columns).
    @Test func longSumsStayAccurate() {
        let n = 1_000_000
        let values = Tensor(repeating: 0.1, shape: [n])
        let exact = Double(Float(0.1)) * Double(n)
        #expect(abs(Double(values.sum(alongAxis: 0).scalar) - exact) / exact < 1e-6)
        #expect(abs(Double(values.mean(alongAxes: nil).scalar) - Double(Float(0.1))) < 1e-7)
        let columns = Tensor(repeating: 0.1, shape: [n / 2, 2]).sum(alongAxis: 0)
        for value in columns.scalars { #expect(abs(Double(value) - exact / 2) / (exact / 2) < 1e-6) }
        let rows = Tensor(repeating: 0.1, shape: [2, n / 2]).sum(alongAxis: 1)
        for value in rows.scalars { #expect(abs(Double(value) - exact / 2) / (exact / 2) < 1e-6) }
    }

    // MARK: - Gradients

    @Test func sumAndMeanGradients() {
        let x = randomTensor([2, 3, 4], seed: 31)
        checkGradients([x]) { $0[0].sum(alongAxis: 0) }
        checkGradients([x]) { $0[0].sum(alongAxis: -1, keepDims: true) }
        checkGradients([x]) { $0[0].sum(alongAxes: [0, 2]) }
        checkGradients([x]) { $0[0].sum(alongAxes: nil, keepDims: true) }
        checkGradients([x]) { $0[0].mean(alongAxis: 1) }
        checkGradients([x]) { $0[0].mean(alongAxes: [0, 2], keepDims: true) }
        checkGradients([x]) { $0[0].mean() }
        // Through broadcasting: a reduction of a broadcast sum.
        let b = randomTensor([4], seed: 32)
        checkGradients([x, b]) { ($0[0] * $0[1]).mean(alongAxes: [0, 1]) }
    }

    @Test func maxAndMinGradients() {
        let x = cube / 4
        checkGradients([x]) { $0[0].max(alongAxis: 1) }
        checkGradients([x]) { $0[0].max(alongAxes: [0, 2], keepDims: true) }
        checkGradients([x]) { $0[0].min(alongAxis: -1) }
        checkGradients([x]) { $0[0].min(alongAxes: nil) }
    }

    /// Ties share the gradient evenly, so it still sums to the upstream gradient.
    @Test func maxGradientSplitsTiesEvenly() throws {
        let x = Tensor([[1, 3, 3, 2], [5, 0, 5, 5]])
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(x)
            return x.max(alongAxis: 1)
        }
        let gradient = try #require(try tape.gradient(of: y, wrt: x))
        expectClose(gradient, [0, 0.5, 0.5, 0, 1.0 / 3, 0, 1.0 / 3, 1.0 / 3], shape: [2, 4])
    }

    @Test func prodGradients() {
        let x = randomTensor([2, 3, 4], seed: 33, lower: 0.5, upper: 1.5)
        checkGradients([x]) { $0[0].prod(alongAxis: -1) }
        checkGradients([x]) { $0[0].prod(alongAxis: 0, keepDims: true) }
        checkGradients([x]) { $0[0].prod(alongAxes: [0, 2]) }
        let signed = randomTensor([3, 4], seed: 34, lower: 0.5, upper: 1.5) * Tensor([1, -1, 1, -1])
        checkGradients([signed]) { $0[0].prod(alongAxes: nil) }
    }

    /// The product's gradient is the product of the others, exact with one zero and with two.
    @Test func prodGradientIsExactWithZeros() throws {
        let x = Tensor([[2, 0, 3], [0, 0, 4], [1, 2, 5]])
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(x)
            return x.prod(alongAxis: 1)
        }
        let gradient = try #require(try tape.gradient(of: y, wrt: x))
        #expect(gradient.scalars == [0, 6, 0, 0, 0, 0, 10, 5, 2])
        let columns = GradientTape()
        let z = columns.record {
            columns.watch(x)
            return x.prod(alongAxis: 0)
        }
        let columnGradient = try #require(try columns.gradient(of: z, wrt: x))
        #expect(columnGradient.scalars == [0, 0, 20, 2, 0, 15, 0, 0, 12])
    }

    @Test func varianceStandardDeviationAndMomentsGradients() {
        let x = randomTensor([2, 3, 4], seed: 35)
        checkGradients([x]) { $0[0].variance(alongAxes: [1]) }
        checkGradients([x]) { $0[0].variance(alongAxes: [0, 2], keepDims: true) }
        checkGradients([x]) { $0[0].standardDeviation(alongAxes: [-1]) }
        checkGradients([x]) { $0[0].standardDeviation(alongAxes: nil) }
        checkGradients([x]) { xs in
            let (mean, variance) = xs[0].moments(alongAxes: [0])
            return mean * 2 + variance
        }
    }

    @Test func logSumExpGradients() {
        let x = randomTensor([2, 3, 4], seed: 36, lower: -2, upper: 2)
        checkGradients([x]) { $0[0].logSumExp(alongAxes: [-1]) }
        checkGradients([x]) { $0[0].logSumExp(alongAxes: [0], keepDims: true) }
        checkGradients([x]) { $0[0].logSumExp(alongAxes: [0, 2]) }
        checkGradients([x]) { $0[0].logSumExp(alongAxes: nil) }
    }

    /// Nested tapes: the backward passes are recorded tensor ops, so second derivatives are right.
    @Test func reductionSecondOrderGradients() {
        let x = randomTensor([2, 3, 4], seed: 37)
        checkSecondOrderGradients(x) { $0.sum(alongAxes: [0, 2]) * $0.mean(alongAxis: 1, keepDims: true).sum() }
        checkSecondOrderGradients(x) { $0.variance(alongAxes: [1]) }
        checkSecondOrderGradients(x + 3) { $0.standardDeviation(alongAxes: [-1]) }
        checkSecondOrderGradients(x) { $0.logSumExp(alongAxes: [0, 2]) }
        checkSecondOrderGradients(cube / 4) { $0.max(alongAxis: 0) * $0.max(alongAxis: 0) }
        let positive = randomTensor([2, 3], seed: 38, lower: 0.5, upper: 1.5)
        checkSecondOrderGradients(positive) { $0.prod(alongAxis: -1) }
        checkSecondOrderGradients(positive) { $0.prod(alongAxes: nil) }
    }
}
