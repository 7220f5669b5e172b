import Neural
import Testing

/// Checks the tape's gradients of `function` at `inputs` against central finite differences.
///
/// The scalar probed is `sum(function(inputs) * w)` with fixed random weights `w`, so every output
/// element and every input element is checked. The tape's side runs in Float; the finite-difference
/// side sums each probe in Double so that only the op's own Float rounding is left, and compares with
/// `|analytic - numeric| <= tolerance * (1 + |numeric|)`. Keep inputs away from kinks (relu at 0, abs
/// at 0) where a central difference is meaningless.
func checkGradients(
    _ inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Float = 2e-2,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ function: ([Tensor]) -> Tensor
) {
    var generator = SeededGenerator(seed: 7)
    let probeShape = withoutRecording { function(inputs).shape }
    let weights = Tensor(randomUniform: probeShape, lower: 0.5, upper: 1.5, generator: &generator)

    let tape = GradientTape()
    let analytic: [Tensor?] = tape.record {
        for input in inputs { tape.watch(input) }
        let probe = (function(inputs) * weights).sum()
        return (try? tape.gradient(of: probe, wrt: inputs)) ?? inputs.map { _ in nil }
    }

    func probe(_ values: [Tensor]) -> Double {
        let output = withoutRecording { function(values) }
        return zip(output.scalars, weights.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    for (index, input) in inputs.enumerated() {
        guard let gradient = analytic[index] else {
            Issue.record("input \(index): the tape gave no gradient", sourceLocation: sourceLocation)
            continue
        }
        #expect(gradient.shape == input.shape, "input \(index): gradient shape", sourceLocation: sourceLocation)
        guard gradient.shape == input.shape else { continue }
        for element in 0..<input.scalarCount {
            var plus = inputs, minus = inputs
            plus[index] = perturbed(input, element, by: epsilon)
            minus[index] = perturbed(input, element, by: -epsilon)
            let numeric = (probe(plus) - probe(minus)) / (2 * Double(epsilon))
            let value = Double(gradient.scalars[element])
            let ok = abs(value - numeric) <= Double(tolerance) * (1 + abs(numeric))
            #expect(ok, "input \(index) element \(element): tape \(value), finite difference \(numeric)",
                    sourceLocation: sourceLocation)
        }
    }
}

private func perturbed(_ tensor: Tensor, _ element: Int, by delta: Float) -> Tensor {
    var values = tensor.scalars
    values[element] += delta
    return Tensor(shape: tensor.shape, scalars: values)
}

/// Expects `actual` to have `shape` and elements within `tolerance` of `expected`.
func expectClose(
    _ actual: Tensor, _ expected: [Float], shape: [Int]? = nil, tolerance: Float = 1e-5,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    if let shape { #expect(actual.shape == shape, sourceLocation: sourceLocation) }
    #expect(actual.scalarCount == expected.count, "element count", sourceLocation: sourceLocation)
    for (index, (a, e)) in zip(actual.scalars, expected).enumerated() {
        let ok = a == e || abs(a - e) <= tolerance * Swift.max(1, abs(e))
        #expect(ok, "element \(index): \(a) vs expected \(e)", sourceLocation: sourceLocation)
    }
}

/// A reproducible random tensor for tests.
func randomTensor(_ shape: [Int], seed: UInt64 = 1, lower: Float = -1, upper: Float = 1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor(randomUniform: shape, lower: lower, upper: upper, generator: &generator)
}
