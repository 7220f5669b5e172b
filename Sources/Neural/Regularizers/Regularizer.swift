/// A penalty on a weight tensor that joins the model's loss: Keras's `keras.regularizers.Regularizer`.
///
/// The penalty is a scalar tensor computed with recorded tensor ops, so a ``GradientTape`` that
/// records the loss also differentiates the penalty with respect to the weights. Built-ins follow
/// Keras 3 (defaults, formulas, configuration keys); custom types register with ``ObjectRegistry``,
/// custom functions with ``ClosureRegularizer``.
public protocol Regularizer: ConfigurationRepresentable, Sendable {
    /// The penalty for `weights`: a rank-0 tensor, differentiable through the tape.
    func callAsFunction(_ weights: Tensor) -> Tensor
}

/// Traps, naming the regularizer, unless `factor` is a finite non-negative number (Keras's
/// `validate_float_arg`).
internal func checkRegularizationFactor(_ factor: Float, _ name: String, _ typeName: String) {
    guard factor.isFinite, factor >= 0 else {
        trap(.invalidArgument(op: typeName, message: "\(name) must be a finite non-negative number, got \(factor)"))
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// A regularization factor at `key` (absent or null: `defaultValue`), checked as Keras checks it.
    func regularizationFactor(_ key: String, in type: String, default defaultValue: Float) throws(ConfigurationError) -> Float {
        let factor = try float(key, in: type, default: defaultValue)
        guard factor >= 0 else {
            throw invalid(key, in: type, expected: "a non-negative number")
        }
        return factor
    }
}
