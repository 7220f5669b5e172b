import Neural
import Testing

/// Checks second derivatives through a linear op (a reshape, slice, gather...): the Hessian-vector
/// product nested tapes give for `f(x) = sum(op(x)³ · w)`, with fixed weights `w`, against central
/// finite differences of the first gradient. Cubing makes the Hessian nonzero, so the op's backward
/// pass must itself be recorded (and correct) for the check to pass.
func checkLinearOpSecondOrder(
    _ x: Tensor, sourceLocation: SourceLocation = #_sourceLocation, _ op: (Tensor) -> Tensor
) throws {
    let outputShape = withoutRecording { op(x).shape }
    let w = randomTensor(outputShape, seed: 99, lower: 0.5, upper: 1.5)
    let v = randomTensor(x.shape, seed: 98)
    func firstGradient(_ point: Tensor) throws -> Tensor {
        let tape = GradientTape()
        let y = tape.record { () -> Tensor in
            tape.watch(point)
            let o = op(point)
            return (o * o * o * w).sum()
        }
        return try #require(try tape.gradient(of: y, wrt: point), sourceLocation: sourceLocation)
    }
    let outer = GradientTape()
    let gradientDotV: Tensor = try outer.record {
        outer.watch(x)
        return (try firstGradient(x) * v).sum()
    }
    let hv = try #require(try outer.gradient(of: gradientDotV, wrt: x), sourceLocation: sourceLocation)
    let epsilon: Float = 1e-2
    // No tape records here (the outer one is done), so these are plain first gradients.
    let plus = try firstGradient(x + epsilon * v)
    let minus = try firstGradient(x - epsilon * v)
    let numeric = (plus - minus) / (2 * epsilon)
    expectClose(hv, numeric.scalars, shape: x.shape, tolerance: 2e-2, sourceLocation: sourceLocation)
}
