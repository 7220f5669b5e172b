#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Neural
import Testing

@Suite struct ActivationTests {
    static let x = Tensor([-3, -1, -0.25, 0.5, 2])
    /// Away from 0, where relu, leaky relu, elu and selu have their kink.
    static let smooth = Tensor([[-2.3, -0.7, 0.35], [1.2, -0.15, 2.6]])

    // MARK: - Values (NumPy / SciPy in Double, rounded to Float)

    @Test func values() {
        let x = Self.x
        expectClose(x.sigmoid(), [0.047425874, 0.26894143, 0.4378235, 0.62245935, 0.8807971])
        expectClose(x.relu(), [0, 0, 0, 0.5, 2])
        expectClose(x.leakyRelu(), [-0.6, -0.2, -0.05, 0.5, 2])
        expectClose(x.leakyRelu(alpha: 0.3), [-0.9, -0.3, -0.075, 0.5, 2])
        expectClose(x.elu(), [-0.95021296, -0.63212055, -0.22119921, 0.5, 2])
        expectClose(x.elu(alpha: 0.5), [-0.47510648, -0.31606027, -0.11059961, 0.5, 2])
        expectClose(x.selu(), [-1.6705687, -1.1113307, -0.3888902, 0.5253505, 2.101402])
        expectClose(x.softplus(), [0.048587352, 0.3132617, 0.5759394, 0.974077, 2.126928])
        expectClose(x.gelu(), [-0.004049694, -0.15865526, -0.10032342, 0.34573123, 1.9544997])
        expectClose(x.gelu(approximate: true), [-0.003637392, -0.15880801, -0.100324646, 0.345714, 1.9545977])
        expectClose(x.swish(), [-0.14227761, -0.26894143, -0.109455876, 0.31122968, 1.7615942])
        expectClose(x.softsign(), [-0.75, -0.5, -0.2, 0.33333334, 0.6666667])
        #expect(Tensor.seluAlpha == 1.6732632423543772)
        #expect(Tensor.seluScale == 1.0507009873554805)
    }

    /// Large inputs neither overflow nor lose the small side.
    @Test func largeInputsStayFinite() throws {
        let x = Tensor([-100, 100])
        #expect(x.sigmoid().scalars == [expf(-100), 1])
        #expect(x.softplus().scalars[1] == 100)
        // log(1 + e^-100) ≈ e^-100, a subnormal Float: kept, not flushed to 0.
        let tail = Tensor(-100).softplus().scalar
        #expect(tail > 0 && Swift.abs(tail - expf(-100)) <= 0.05 * expf(-100))
        #expect(x.swish().scalars == [-100 * expf(-100), 100])
        #expect(Tensor(-100).elu().scalar == -1)
        #expect(x.gelu().scalars == [0, 100])
        #expect(x.gelu(approximate: true).scalars == [0, 100])
        for f in [{ $0.sigmoid() }, { $0.softplus() }, { $0.swish() }, { $0.elu() }, { $0.selu() },
                  { $0.gelu() }, { $0.gelu(approximate: true) }, { $0.softsign() }] as [(Tensor) -> Tensor] {
            #expect(try tapeGradient(at: x, f).allFinite)
        }
        expectClose(try tapeGradient(at: x) { $0.sigmoid() }, [0, 0], tolerance: 1e-30)
        #expect(try tapeGradient(at: x) { $0.softplus() }.scalars == [expf(-100), 1])
    }

    // MARK: - Gradients

    @Test func gradientsMatchFiniteDifferences() {
        let x = Self.smooth
        checkGradients([x]) { $0[0].sigmoid() }
        checkGradients([x]) { $0[0].relu() }
        checkGradients([x]) { $0[0].leakyRelu() }
        checkGradients([x]) { $0[0].leakyRelu(alpha: 0.01) }
        checkGradients([x]) { $0[0].elu() }
        checkGradients([x]) { $0[0].elu(alpha: 0.7) }
        checkGradients([x]) { $0[0].selu() }
        checkGradients([x]) { $0[0].softplus() }
        checkGradients([x]) { $0[0].gelu() }
        checkGradients([x]) { $0[0].gelu(approximate: true) }
        checkGradients([x]) { $0[0].swish() }
        checkGradients([x]) { $0[0].softsign() }
    }

    /// The slope on each side of the kink, and 0 at exactly 0 for relu (TensorFlow's choice).
    @Test func piecewiseSlopes() throws {
        let x = Tensor([-2, 0, 3])
        #expect(try tapeGradient(at: x) { $0.relu() }.scalars == [0, 0, 1])
        #expect(try tapeGradient(at: x) { $0.leakyRelu() }.scalars == [0.2, 0.2, 1])
        expectClose(try tapeGradient(at: x) { $0.elu() }, [expf(-2), 1, 1])
        let s = Tensor.seluScale, a = Tensor.seluAlpha
        expectClose(try tapeGradient(at: x) { $0.selu() }, [s * a * expf(-2), s * a, s])
    }

    // MARK: - Second derivatives

    @Test func secondDerivativesThroughNestedTapes() throws {
        let x = Tensor([-1.3, -0.4, 0.6, 1.9])
        func expect(_ f: (Tensor) -> Tensor, _ exact: (Double) -> Double,
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
            let expected = x.scalars.map { Float(exact(Double($0))) }
            expectClose(try #require(try elementwiseSecondDerivative(at: x, f)), expected, tolerance: 1e-4,
                        sourceLocation: sourceLocation)
        }
        func sigma(_ v: Double) -> Double { 1 / (1 + Glibc.exp(-v)) }
        func density(_ v: Double) -> Double { Glibc.exp(-v * v / 2) / (2 * Double.pi).squareRoot() }
        try expect({ $0.sigmoid() }, { let s = sigma($0); return s * (1 - s) * (1 - 2 * s) })
        try expect({ $0.softplus() }, { let s = sigma($0); return s * (1 - s) })
        try expect({ $0.swish() }, { let s = sigma($0); return s * (1 - s) * (2 + $0 * (1 - 2 * s)) })
        // Piecewise linear: the first derivative is a constant mask, which the outer tape does not follow.
        #expect(try elementwiseSecondDerivative(at: x) { $0.relu() } == nil)
        #expect(try elementwiseSecondDerivative(at: x) { $0.leakyRelu() } == nil)
        try expect({ $0.elu(alpha: 0.7) }, { $0 > 0 ? 0 : 0.7 * Glibc.exp($0) })
        try expect({ $0.selu() }, { $0 > 0 ? 0 : 1.0507009873554805 * 1.6732632423543772 * Glibc.exp($0) })
        try expect({ $0.gelu() }, { density($0) * (2 - $0 * $0) })
        try expect({ $0.softsign() }, { -2 * ($0 > 0 ? 1 : -1) / Glibc.pow(1 + Swift.abs($0), 3) })
        // The tanh form: y = x (1 + t) / 2 with t = tanh(u), u = c (x + k x³).
        try expect({ $0.gelu(approximate: true) }, { v in
            let c = (2 / Double.pi).squareRoot(), k = 0.044715
            let t = Glibc.tanh(c * (v + k * v * v * v))
            let du = c * (1 + 3 * k * v * v), d2u = c * 6 * k * v
            let dt = (1 - t * t) * du, d2t = -2 * t * (1 - t * t) * du * du + (1 - t * t) * d2u
            return dt + 0.5 * v * d2t
        })
    }
}
