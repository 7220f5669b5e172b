#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Neural
import Testing

@Suite struct ElementwiseMathTests {
    static let mixed = Tensor([-2, -0.5, 0.25, 1.5, 3])
    static let positive = Tensor([0.25, 1, 2.5, 9])

    // MARK: - Values (NumPy / SciPy in Double, rounded to Float)

    @Test func unaryValuesOnMixedSigns() {
        let x = Self.mixed
        expectClose(x.abs(), [2, 0.5, 0.25, 1.5, 3], shape: [5])
        expectClose(Tensor([-3, 0, 2]).sign(), [-1, 0, 1])
        expectClose(x.exp(), [0.13533528, 0.60653067, 1.2840254, 4.481689, 20.085537])
        expectClose(x.squared(), [4, 0.25, 0.0625, 2.25, 9])
        expectClose(x.sin(), [-0.9092974, -0.47942555, 0.24740396, 0.997495, 0.14112])
        expectClose(x.cos(), [-0.41614684, 0.87758255, 0.9689124, 0.0707372, -0.9899925])
        expectClose(x.tanh(), [-0.9640276, -0.46211717, 0.24491866, 0.90514827, 0.9950548])
        expectClose(x.erf(), [-0.9953223, -0.5204999, 0.2763264, 0.96610516, 0.9999779])
        #expect(Tensor([[1], [2]]).exp().shape == [2, 1])
    }

    @Test func unaryValuesOnPositives() {
        let x = Self.positive
        expectClose(x.log(), [-1.3862944, 0, 0.91629076, 2.1972246])
        expectClose(x.log1p(), [0.22314355, 0.6931472, 1.2527629, 2.3025851])
        expectClose(x.sqrt(), [0.5, 1, 1.5811388, 3])
        expectClose(x.rsqrt(), [2, 1, 0.6324555, 0.33333334])
        expectClose(x.pow(3), [0.015625, 1, 15.625, 729])
        expectClose(x.pow(-1.5), [8, 1, 0.2529822, 0.037037037])
        expectClose(x.pow(2), [0.0625, 1, 6.25, 81])
        expectClose(x.pow(1), x.scalars)
        expectClose(x.pow(0), [1, 1, 1, 1])
        // log1p keeps precision where log(1 + x) rounds 1 + x away.
        expectClose(Tensor(1e-8).log1p(), [1e-8], tolerance: 1e-6)
    }

    @Test func edgeValuesFollowIEEE() {
        let values = Tensor([0, -1]).log().scalars
        #expect(values[0] == -.infinity)
        #expect(values[1].isNaN)
        #expect(Tensor(0).sqrt().scalar == 0)
        #expect(Tensor(0).rsqrt().scalar == .infinity)
        #expect(Tensor(-8).pow(1.0 / 3).scalar.isNaN)
        #expect(Tensor(Float.nan).sign().scalar.isNaN)
    }

    // MARK: - Gradients (finite differences)

    @Test func unaryGradientsMatchFiniteDifferences() {
        let x = Tensor([[-1.7, -0.6, 0.3], [0.8, 1.4, -2.1]])
        checkGradients([x]) { $0[0].abs() }
        checkGradients([x]) { $0[0].exp() }
        checkGradients([x]) { $0[0].squared() }
        checkGradients([x]) { $0[0].sin() }
        checkGradients([x]) { $0[0].cos() }
        checkGradients([x]) { $0[0].tanh() }
        checkGradients([x]) { $0[0].erf() }
        checkGradients([x]) { $0[0].pow(2) }
        checkGradients([x]) { $0[0].pow(3) }
        checkGradients([x]) { $0[0].pow(1) * $0[0] }
        let p = Tensor([[0.4, 1.3, 2.2], [0.9, 3.1, 0.6]])
        checkGradients([p]) { $0[0].log() }
        checkGradients([p]) { $0[0].log1p() }
        checkGradients([p]) { $0[0].sqrt() }
        checkGradients([p]) { $0[0].rsqrt() }
        checkGradients([p]) { $0[0].pow(0.5) }
        checkGradients([p]) { $0[0].pow(-1.5) }
        checkGradients([p]) { $0[0].pow(2.5) }
    }

    @Test func signAndZeroPowerHaveZeroGradients() throws {
        let x = Tensor([-1.5, 0.5, 2])
        #expect(try tapeGradient(at: x) { $0.sign() }.scalars == [0, 0, 0])
        #expect(try tapeGradient(at: x) { $0.pow(0) }.scalars == [0, 0, 0])
        // TensorFlow's convention: |x|' is 0 at 0.
        #expect(try tapeGradient(at: Tensor([0, -2, 3])) { $0.abs() }.scalars == [0, -1, 1])
    }

    // MARK: - Second derivatives (backward functions are differentiable)

    @Test func secondDerivativesThroughNestedTapes() throws {
        let x = Tensor([-1.2, 0.4, 1.7])
        func expect(_ f: (Tensor) -> Tensor, _ exact: (Double) -> Double, at input: Tensor? = nil,
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
            let point = input ?? x
            let expected = point.scalars.map { Float(exact(Double($0))) }
            expectClose(try #require(try elementwiseSecondDerivative(at: point, f)), expected, tolerance: 1e-4,
                        sourceLocation: sourceLocation)
        }
        try expect({ $0.exp() }, { Glibc.exp($0) })
        try expect({ $0.sin() }, { -Glibc.sin($0) })
        try expect({ $0.cos() }, { -Glibc.cos($0) })
        try expect({ $0.tanh() }, { let t = Glibc.tanh($0); return -2 * t * (1 - t * t) })
        try expect({ $0.squared() }, { _ in 2 })
        try expect({ $0.pow(3) }, { 6 * $0 })
        try expect({ $0.erf() }, { -4 * $0 / Double.pi.squareRoot() * Glibc.exp(-$0 * $0) })
        try expect({ $0.abs() }, { _ in 0 })
        let p = Tensor([0.5, 1.5, 4])
        try expect({ $0.log() }, { -1 / ($0 * $0) }, at: p)
        try expect({ $0.log1p() }, { -1 / ((1 + $0) * (1 + $0)) }, at: p)
        try expect({ $0.sqrt() }, { -0.25 * Glibc.pow($0, -1.5) }, at: p)
        try expect({ $0.rsqrt() }, { 0.75 * Glibc.pow($0, -2.5) }, at: p)
        try expect({ $0.pow(2.5) }, { 3.75 * Glibc.pow($0, 0.5) }, at: p)
        try expect({ pow($0, Tensor(2.5)) }, { 3.75 * Glibc.pow($0, 0.5) }, at: p)
        try expect({ Tensor.pow(Tensor(2), $0) }, { Glibc.pow(2, $0) * Glibc.log(2) * Glibc.log(2) }, at: p)
    }

    // MARK: - pow with two tensors

    @Test func tensorPowerBroadcastsAndHasBothGradients() throws {
        let base = Tensor([[0.5, 2, 3], [1.5, 4, 0.25]])
        let exponent = Tensor([2, -1, 0.5])
        expectClose(Tensor.pow(base, exponent), [0.25, 0.5, 1.7320508, 2.25, 0.25, 0.5], shape: [2, 3])
        expectClose(pow(base, exponent), [0.25, 0.5, 1.7320508, 2.25, 0.25, 0.5], shape: [2, 3])
        checkGradients([base, exponent]) { Tensor.pow($0[0], $0[1]) }
        let column = Tensor([[1.5], [0.8]])
        checkGradients([column, Tensor([-1.2, 0.7, 2.4])]) { Tensor.pow($0[0], $0[1]) }
        checkGradients([Tensor(1.7), Tensor([[0.5, -1], [2, 1.5]])]) { Tensor.pow($0[0], $0[1]) }
    }

    /// The exponent's gradient `log(base) · base^exponent` is taken as 0 where `base <= 0`.
    @Test func tensorPowerExponentGradientIsZeroForNonPositiveBases() throws {
        let base = Tensor([-2, 0, 2]), exponent = Tensor([2, 2, 2])
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(base)
            tape.watch(exponent)
            return Tensor.pow(base, exponent).sum()
        }
        #expect(y.scalar == 8)
        let gradients = try tape.gradient(of: y, wrt: [base, exponent])
        expectClose(try #require(gradients[0]), [-4, 0, 4])
        expectClose(try #require(gradients[1]), [0, 0, 4 * logf(2)])
    }

    // MARK: - maximum, minimum

    @Test func maximumAndMinimumBroadcast() {
        let a = Tensor([[1, 5, -2], [4, 0, 3]]), b = Tensor([2, 2, 2])
        expectClose(maximum(a, b), [2, 5, 2, 4, 2, 3], shape: [2, 3])
        expectClose(minimum(a, b), [1, 2, -2, 2, 0, 2], shape: [2, 3])
        expectClose(maximum(a, 0), [1, 5, 0, 4, 0, 3])
        expectClose(minimum(1.5, a), [1, 1.5, -2, 1.5, 0, 1.5])
        let limit: Float = 2.5
        expectClose(minimum(a, limit), [1, 2.5, -2, 2.5, 0, 2.5])
        expectClose(maximum(limit, a), [2.5, 5, 2.5, 4, 2.5, 3])
        #expect(maximum(Tensor([Float.nan, 1]), Tensor([1, .nan])).isNaN().scalars == [1, 1])
        #expect(minimum(Tensor([Float.nan, 1]), Tensor([1, .nan])).isNaN().scalars == [1, 1])
    }

    @Test func maximumAndMinimumGradientsMatchFiniteDifferences() {
        // Values at least 0.1 apart so a finite-difference step never crosses a tie.
        let a = Tensor([[0.3, -1.2, 2.0], [1.1, 0.5, -0.4]])
        let b = Tensor([0.9, -0.6, 0.1])
        checkGradients([a, b]) { maximum($0[0], $0[1]) }
        checkGradients([a, b]) { minimum($0[0], $0[1]) }
        checkGradients([b, a]) { maximum($0[0], $0[1]) }
        checkGradients([Tensor([[0.2], [-0.7]]), b]) { minimum($0[0], $0[1]) }
        checkGradients([a]) { maximum($0[0], 0.05) }
    }

    /// On a tie the whole gradient goes to the first argument, as in TensorFlow.
    @Test func tiesSendTheGradientToTheFirstArgument() throws {
        let a = Tensor([1, 2, 5]), b = Tensor([1, 3, 4])
        for function in [maximum, minimum] as [(Tensor, Tensor) -> Tensor] {
            let tape = GradientTape()
            let y = tape.record {
                tape.watch(a)
                tape.watch(b)
                return function(a, b).sum()
            }
            let gradients = try tape.gradient(of: y, wrt: [a, b])
            let ga = try #require(gradients[0]).scalars, gb = try #require(gradients[1]).scalars
            #expect(ga[0] == 1 && gb[0] == 0)
            #expect(zip(ga, gb).allSatisfy { $0 + $1 == 1 })
        }
        // Broadcast b: its gradient sums over the rows it won.
        let rows = Tensor([[0, 5], [3, 1]]), threshold = Tensor([2, 2])
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(threshold)
            return maximum(rows, threshold).sum()
        }
        #expect(try tape.gradient(of: y, wrt: threshold)?.scalars == [1, 1])
    }

    // MARK: - clipped

    @Test func clippedLimitsValuesAndPassesGradientInside() throws {
        let x = Tensor([-3, -1, 0.5, 1, 4])
        expectClose(x.clipped(min: -1, max: 1), [-1, -1, 0.5, 1, 1])
        #expect(Tensor(Float.nan).clipped(min: 0, max: 1).scalar.isNaN)
        // Bounds included, as in TensorFlow's clip_by_value.
        #expect(try tapeGradient(at: x) { $0.clipped(min: -1, max: 1) }.scalars == [0, 1, 1, 1, 0])
        checkGradients([Tensor([[-2.5, -0.3], [0.45, 1.8]])]) { $0[0].clipped(min: -1, max: 1) }
    }

    // MARK: - Free-function forms

    /// `exp(x)`, `log(x)`, `sqrt(x)`, `abs(x)` and `pow(x, y)` for tensors sit beside the C and Swift
    /// scalar functions without making either ambiguous at a call site.
    @Test func freeFunctionFormsCoexistWithScalarOnes() {
        let x = Tensor([0.5, 2, 9])
        #expect(exp(x) == x.exp())
        #expect(log(x) == x.log())
        #expect(sqrt(x) == x.sqrt())
        #expect(abs(-x) == x)
        #expect(pow(x, 2) == Tensor.pow(x, Tensor(2)))
        let e = exp(1.0), root = sqrt(Float(16)), magnitude = abs(-3), logarithm = log(1.0)
        let power = pow(2.0, 10.0), floatPower = pow(Float(2), Float(3))
        #expect(Swift.abs(e - 2.718281828459045) < 1e-12)
        #expect(root == 4)
        #expect(magnitude == 3)
        #expect(logarithm == 0)
        #expect(power == 1024)
        #expect(floatPower == 8)
    }
}
