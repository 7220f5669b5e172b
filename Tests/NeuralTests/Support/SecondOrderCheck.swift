import Neural
import Testing

/// Checks second derivatives of `function` at `x`: the Hessian-vector product that nested tapes give
/// for `sum(function(x) * w)` against central finite differences of the tape's own first gradient.
///
/// `w` (positive weights) and the direction `v` are fixed random tensors, so every element takes part.
/// By the symmetry of the Hessian, `d/dx_k (gradient(x) · v) = (H v)_k`.
func checkSecondOrderGradients(
    _ x: Tensor, epsilon: Float = 1e-2, tolerance: Float = 2e-3,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ function: (Tensor) -> Tensor
) {
    let probeShape = withoutRecording { function(x).shape }
    let weights = randomTensor(probeShape, seed: 11, lower: 0.5, upper: 1.5)
    let direction = randomTensor(x.shape, seed: 12)

    func firstGradient(at point: Tensor) -> Tensor? {
        let tape = GradientTape()
        let probe = tape.record {
            tape.watch(point)
            return (function(point) * weights).sum()
        }
        return try? tape.gradient(of: probe, wrt: point)
    }

    let outer = GradientTape()
    let gradientDotDirection: Tensor? = outer.record {
        outer.watch(x)
        return firstGradient(at: x).map { ($0 * direction).sum() }
    }
    guard let gradientDotDirection,
          let analytic = try? outer.gradient(of: gradientDotDirection, wrt: x) else {
        Issue.record("the nested tapes gave no second derivative", sourceLocation: sourceLocation)
        return
    }
    #expect(analytic.shape == x.shape, "Hessian-vector product shape", sourceLocation: sourceLocation)

    func dotWithDirection(_ point: Tensor) -> Double {
        guard let gradient = firstGradient(at: point) else { return .nan }
        return zip(gradient.scalars, direction.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    for element in 0..<x.scalarCount {
        var plus = x.scalars, minus = x.scalars
        plus[element] += epsilon
        minus[element] -= epsilon
        let numeric = (dotWithDirection(Tensor(shape: x.shape, scalars: plus))
            - dotWithDirection(Tensor(shape: x.shape, scalars: minus))) / (2 * Double(epsilon))
        let value = Double(analytic.scalars[element])
        #expect(abs(value - numeric) <= Double(tolerance) * (1 + abs(numeric)),
                "element \(element): nested tapes \(value), finite difference \(numeric)",
                sourceLocation: sourceLocation)
    }
}
