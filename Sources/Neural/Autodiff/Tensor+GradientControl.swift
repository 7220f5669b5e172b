/// Ways to shape what the tape sees: stopping gradients and supplying custom ones.
extension Tensor {
    /// The same values as a new tensor that no tape follows (TensorFlow's `tf.stop_gradient`).
    public func stopGradient() -> Tensor { withFreshIdentity() }

    /// Computes a value with a gradient of your own (TensorFlow's `@tf.custom_gradient`).
    ///
    /// `body` runs without recording and returns the value and a function from the upstream gradient
    /// to the gradient of each input. Write that function with tensor operations: an outer tape then
    /// records it, so second derivatives keep working.
    ///
    /// ```swift
    /// // Seed 000's softplus, finite at large inputs:
    /// func softplus(_ z: Tensor) -> Tensor {
    ///     Tensor.withCustomGradient(z) { z in
    ///         let e = z.exp()
    ///         return (z.softplus(), { upstream in upstream / (1 + 1 / e) })
    ///     }
    /// }
    /// ```
    public static func withCustomGradient(
        _ inputs: [Tensor], _ body: ([Tensor]) -> (value: Tensor, gradient: (Tensor) -> [Tensor?])
    ) -> Tensor {
        let (value, gradient) = withoutRecording { body(inputs) }
        let result = value.withFreshIdentity()
        if isRecording {
            result.record(inputs: inputs) { upstream, _ in gradient(upstream) }
        }
        return result
    }

    /// The one-input form of ``withCustomGradient(_:_:)-([Tensor],_)``.
    public static func withCustomGradient(
        _ input: Tensor, _ body: (Tensor) -> (value: Tensor, gradient: (Tensor) -> Tensor)
    ) -> Tensor {
        withCustomGradient([input]) { inputs in
            let (value, gradient) = body(inputs[0])
            return (value, { [gradient($0)] })
        }
    }
}
