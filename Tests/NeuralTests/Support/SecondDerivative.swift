import Neural
import Testing

/// The second derivative of an elementwise function `f` at each element of `x`, through nested tapes:
/// the outer tape records the inner tape's backward pass, so this checks that backward functions are
/// themselves differentiable. `nil` when the first derivative does not depend on `x` as far as the
/// outer tape can see (a piecewise-linear function such as relu).
func elementwiseSecondDerivative(at x: Tensor, _ f: (Tensor) -> Tensor) throws -> Tensor? {
    let outer = GradientTape()
    let firstSum: Tensor = try outer.record {
        outer.watch(x)
        let inner = GradientTape()
        let y = inner.record {
            inner.watch(x)
            return f(x).sum()
        }
        return try #require(try inner.gradient(of: y, wrt: x)).sum()
    }
    return try outer.gradient(of: firstSum, wrt: x)
}

/// The tape's gradient of `sum(f(x))` with respect to `x`.
func tapeGradient(at x: Tensor, _ f: (Tensor) -> Tensor) throws -> Tensor {
    let tape = GradientTape()
    let y = tape.record {
        tape.watch(x)
        return f(x).sum()
    }
    return try #require(try tape.gradient(of: y, wrt: x))
}
