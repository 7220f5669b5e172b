import Neural
import Testing

/// The numerical-trouble examples of Géron, chapter 12 (seed 000, "Computación de gradientes usando
/// Autodiff"), in Float32 as TensorFlow computes them.
@Suite struct SeedAutodiffTests {
    /// `f(x) = sqrt(x)` at `x = 1e-50`: in Float32, 1e-50 underflows to 0, and the gradient
    /// `1 / (2 sqrt(x))` is +infinity, as TensorFlow reports.
    @Test func sqrtGradientAtTinyInputIsInfinite() throws {
        let x = Tensor(Float(1e-50 as Double))
        #expect(x.scalar == 0)
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(x)
            return x.sqrt()
        }
        #expect(y.scalar == 0)
        let gradient = try #require(try tape.gradient(of: y, wrt: x)).scalar
        #expect(gradient.isInfinite)
        #expect(gradient > 0)
    }

    /// The seed's `my_softplus` with its own gradient, `1 / (1 + 1 / e^z)`.
    static func mySoftplus(_ z: Tensor) -> Tensor {
        Tensor.withCustomGradient(z) { z in
            let e = z.exp()
            return ((1 + e).log(), { upstream in upstream / (1 + 1 / e) })
        }
    }

    /// The value and the tape gradient of `function` at the scalar `z`.
    static func valueAndGradient(at z: Float, _ function: (Tensor) -> Tensor) throws -> (Float, Float) {
        let x = Tensor(z)
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(x)
            return function(x)
        }
        return (y.scalar, try #require(try tape.gradient(of: y, wrt: x)).scalar)
    }

    /// At z = 100, e^100 overflows Float32 to +inf. The naive `log(1 + e^z)` is +inf and its tape
    /// gradient is `(1 / inf) · inf = 0 · inf = NaN`. The custom gradient `1 / (1 + 1 / inf)` is exactly 1
    /// (its value is still +inf, since it is computed the naive way). The stable `softplus()` gets both
    /// right: the value 100 and the gradient σ(100) = 1.
    @Test func softplusAtOneHundred() throws {
        let (naiveValue, naiveGradient) = try Self.valueAndGradient(at: 100) { (1 + $0.exp()).log() }
        #expect(naiveValue == .infinity)
        #expect(naiveGradient.isNaN)

        let (customValue, customGradient) = try Self.valueAndGradient(at: 100, Self.mySoftplus)
        #expect(customValue == .infinity)
        #expect(customGradient == 1)

        let (stableValue, stableGradient) = try Self.valueAndGradient(at: 100) { $0.softplus() }
        #expect(stableValue == 100)
        #expect(stableGradient == 1)
    }

    /// Away from overflow all three agree with log(1 + e) and σ(1).
    @Test func softplusFormsAgreeAtModerateInputs() throws {
        let forms: [(Tensor) -> Tensor] = [{ (1 + $0.exp()).log() }, Self.mySoftplus, { $0.softplus() }]
        for form in forms {
            let (value, gradient) = try Self.valueAndGradient(at: 1, form)
            #expect(Swift.abs(value - 1.3132617) < 1e-6)
            #expect(Swift.abs(gradient - 0.7310586) < 1e-6)
        }
    }
}
