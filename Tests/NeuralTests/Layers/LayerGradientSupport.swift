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

/// The gradients of `sum(forward(x) * weights)` with respect to `x` and `variables`, computed once
/// plainly (the layers' fused first-order kernels) and once while an outer tape records (their
/// tensor-op backward passes); both must agree.
func expectRecordedBackwardMatchesFused(
    _ x: Tensor, _ variables: [Variable], sourceLocation: SourceLocation = #_sourceLocation,
    _ forward: (Tensor) throws -> Tensor
) throws {
    let weights = randomTensor(try withoutRecording { try forward(x).shape }, seed: 31, lower: 0.5, upper: 1.5)
    func gradients() throws -> [Tensor?] {
        let tape = GradientTape()
        let probe = try tape.record { tape.watch(x); return (try forward(x) * weights).sum() }
        return try tape.gradient(of: probe, wrt: [x] + variables.map(\.value))
    }
    let fused = try gradients()
    let outer = GradientTape()
    let recorded = try outer.record { outer.watch(x); return try gradients() }
    for (index, (a, b)) in zip(fused, recorded).enumerated() {
        guard let a, let b else {
            Issue.record("gradient \(index) missing", sourceLocation: sourceLocation)
            continue
        }
        expectClose(a, b.scalars, shape: b.shape, tolerance: 1e-4, sourceLocation: sourceLocation)
    }
}

/// Like `checkGradients`, but takes the gradient after the tape has stopped recording, as
/// `Model.trainStep` does: the layers then run their fused first-order backward kernels (inside a
/// recording tape they use their tensor-op backward passes instead).
func checkFusedGradients(
    _ x: Tensor, epsilon: Float = 1e-2, tolerance: Float = 2e-2,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ function: (Tensor) throws -> Tensor
) throws {
    let weights = randomTensor(try withoutRecording { try function(x).shape }, seed: 41, lower: 0.5, upper: 1.5)
    let tape = GradientTape()
    let probe = try tape.record { tape.watch(x); return (try function(x) * weights).sum() }
    let gradient = try #require(try tape.gradient(of: probe, wrt: x), sourceLocation: sourceLocation)
    func value(_ point: Tensor) throws -> Double {
        let output = try withoutRecording { try function(point) }
        return zip(output.scalars, weights.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    for element in 0..<x.scalarCount {
        var plus = x.scalars, minus = x.scalars
        plus[element] += epsilon
        minus[element] -= epsilon
        let numeric = (try value(Tensor(shape: x.shape, scalars: plus))
            - value(Tensor(shape: x.shape, scalars: minus))) / (2 * Double(epsilon))
        let analytic = Double(gradient.scalars[element])
        #expect(abs(analytic - numeric) <= Double(tolerance) * (1 + abs(numeric)),
                "element \(element): tape \(analytic), finite difference \(numeric)", sourceLocation: sourceLocation)
    }
}
