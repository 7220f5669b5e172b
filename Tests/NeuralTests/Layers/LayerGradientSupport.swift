import Neural
import Testing

/// Checks the tape's gradients with respect to a layer's variables (its `gamma`, `beta`, ...) against
/// central finite differences, perturbing each element of each variable in place.
///
/// The probe is `sum(forward() * w)` with fixed random weights `w`, as in ``checkGradients(_:epsilon:tolerance:sourceLocation:_:)``.
/// `forward` may have side effects that do not change its output (batch normalization's moving
/// statistics), since it is called many times.
func checkVariableGradients(
    _ variables: [Variable], epsilon: Float = 1e-2, tolerance: Float = 2e-2,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ forward: () throws -> Tensor
) throws {
    let outputShape = try withoutRecording { try forward().shape }
    let weights = randomTensor(outputShape, seed: 21, lower: 0.5, upper: 1.5)
    let tape = GradientTape()
    let probe = try tape.record { (try forward() * weights).sum() }
    let gradients = try tape.gradient(of: probe, wrt: variables)

    func numericProbe() throws -> Double {
        let output = try withoutRecording { try forward() }
        return zip(output.scalars, weights.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    for (index, variable) in variables.enumerated() {
        guard let gradient = gradients[index] else {
            Issue.record("variable \(variable.name): the tape gave no gradient", sourceLocation: sourceLocation)
            continue
        }
        #expect(gradient.shape == variable.shape, sourceLocation: sourceLocation)
        let original = variable.value
        for element in 0..<original.scalarCount {
            var plus = original.scalars, minus = original.scalars
            plus[element] += epsilon
            minus[element] -= epsilon
            variable.assign(Tensor(shape: original.shape, scalars: plus))
            let up = try numericProbe()
            variable.assign(Tensor(shape: original.shape, scalars: minus))
            let down = try numericProbe()
            variable.assign(original)
            let numeric = (up - down) / (2 * Double(epsilon))
            let value = Double(gradient.scalars[element])
            #expect(abs(value - numeric) <= Double(tolerance) * (1 + abs(numeric)),
                    "\(variable.name) element \(element): tape \(value), finite difference \(numeric)",
                    sourceLocation: sourceLocation)
        }
    }
}

/// Batch or layer normalization written with plain tensor ops (the tape differentiates it): the
/// reference the fused layers are compared with.
func referenceNormalization(_ x: Tensor, axes: [Int], epsilon: Float, gamma: Tensor?, beta: Tensor?,
                            parameterShape: [Int]) -> Tensor {
    let (mean, variance) = x.moments(alongAxes: axes, keepDims: true)
    var y = (x - mean) / (variance + epsilon).sqrt()
    if let gamma { y = y * gamma.reshaped(to: parameterShape) }
    if let beta { y = y + beta.reshaped(to: parameterShape) }
    return y
}

/// Expects `body` to throw a ``LayerError`` whose description contains `fragment`.
func expectLayerError(_ fragment: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected a LayerError mentioning '\(fragment)'", sourceLocation: sourceLocation)
    } catch let error as LayerError {
        #expect(error.description.contains(fragment), "\(error.description)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a LayerError, got \(error)", sourceLocation: sourceLocation)
    }
}
