/// What went wrong when building, running, saving or restoring an optimizer.
///
/// Unlike the tensor core, which traps on programmer errors, optimizers take values a user wrote
/// (hyperparameters from a study file, a saved configuration, a checkpoint), so they throw. Each
/// message names the optimizer or schedule, the offending value and what would be accepted.
public enum OptimizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A hyperparameter outside its valid range. `owner` is the optimizer or schedule, `value` the
    /// rejected value as written, `requirement` what is accepted (e.g. "in [0, 1)").
    case invalidHyperparameter(owner: String, name: String, value: String, requirement: String)
    /// More than one of `clipnorm`, `clipvalue` and `globalClipnorm` was set (Keras allows one).
    case conflictingClipping(clipnorm: Double?, clipvalue: Double?, globalClipnorm: Double?)
    /// The learning rate was set to a number while a schedule drives it (Keras raises a TypeError).
    case learningRateIsScheduled(optimizer: String)
    /// `apply(gradients:to:)` got a different number of gradients and variables.
    case gradientCountMismatch(gradients: Int, variables: Int)
    /// A gradient's shape differs from its variable's.
    case gradientShapeMismatch(index: Int, variable: String, variableShape: [Int], gradientShape: [Int])
    /// Every gradient passed to `apply(gradients:to:)` was `nil`.
    case noGradients(variables: [String])
    /// A state dictionary lacks an entry this optimizer needs.
    case missingState(optimizer: String, key: String)
    /// A state dictionary has entries this optimizer does not know.
    case unexpectedState(optimizer: String, keys: [String])
    /// A state entry has the wrong shape.
    case stateShapeMismatch(optimizer: String, key: String, expected: [Int], found: [Int])
    /// A state entry has an impossible value (a negative or fractional iteration count, say).
    case invalidState(optimizer: String, key: String, message: String)
    /// A configuration names an optimizer class that is neither built in nor among the custom ones.
    case unknownOptimizer(className: String)
    /// A configuration names a schedule class that is neither built in nor among the custom ones.
    case unknownSchedule(className: String)
    /// A configuration entry is missing, of the wrong type, unknown, or asks for an unsupported feature.
    case invalidConfiguration(className: String, key: String, message: String)

    /// What happened and how to fix it.
    public var description: String {
        switch self {
        case let .invalidHyperparameter(owner, name, value, requirement):
            return "\(owner): \(name) must be \(requirement), got \(value)"
        case let .conflictingClipping(clipnorm, clipvalue, globalClipnorm):
            func show(_ value: Double?) -> String { value.map { "\($0)" } ?? "nil" }
            return "only one of clipnorm, clipvalue and globalClipnorm can be set; got clipnorm=\(show(clipnorm)), "
                + "clipvalue=\(show(clipvalue)), globalClipnorm=\(show(globalClipnorm)); keep one and pass nil for the others"
        case let .learningRateIsScheduled(optimizer):
            return "\(optimizer): the learning rate follows a schedule and cannot be set to a number; "
                + "create the optimizer with a constant learning rate if callbacks must change it"
        case let .gradientCountMismatch(gradients, variables):
            return "apply(gradients:to:): \(gradients) gradients for \(variables) variables; pass one gradient "
                + "(or nil) per variable, in the same order"
        case let .gradientShapeMismatch(index, variable, variableShape, gradientShape):
            return "apply(gradients:to:): gradient \(index) has shape \(gradientShape) but variable '\(variable)' "
                + "has shape \(variableShape)"
        case let .noGradients(variables):
            return "apply(gradients:to:): no gradient was provided for any variable (\(variables.joined(separator: ", "))); "
                + "does the loss depend on the variables, and were they read inside the tape?"
        case let .missingState(optimizer, key):
            return "\(optimizer): the state has no entry '\(key)'; was it saved by an optimizer of the same "
                + "class and configuration, for the same variables?"
        case let .unexpectedState(optimizer, keys):
            return "\(optimizer): the state has entries this optimizer does not use: \(keys.sorted()); "
                + "was it saved by an optimizer of another class or configuration, or for other variables?"
        case let .stateShapeMismatch(optimizer, key, expected, found):
            return "\(optimizer): state entry '\(key)' has shape \(found) but \(expected) is needed"
        case let .invalidState(optimizer, key, message):
            return "\(optimizer): state entry '\(key)' \(message)"
        case let .unknownOptimizer(className):
            return "unknown optimizer class '\(className)'; built in: SGD, Adam, AdamW, Nadam, RMSprop, Adagrad "
                + "(pass others through customOptimizers)"
        case let .unknownSchedule(className):
            return "unknown learning rate schedule class '\(className)'; built in: ExponentialDecay, "
                + "PiecewiseConstantDecay, CosineDecay (pass others through customSchedules)"
        case let .invalidConfiguration(className, key, message):
            return "\(className) configuration, '\(key)': \(message)"
        }
    }
}
