/// Why a hyperparameter definition or value was refused. Every message names the parameter and the
/// problem, and says what would be accepted.
public enum HyperParameterError: Error, Hashable, Sendable {
    /// The name is empty or only whitespace.
    case emptyName
    /// A bound, step or default is NaN or infinite.
    case nonFiniteNumber(name: String, argument: String, value: Double)
    /// `min` is greater than `max`.
    case minAboveMax(name: String, min: String, max: String)
    /// Log or reverse-log sampling with a bound that is zero or negative.
    case nonPositiveLogBound(name: String, sampling: Sampling, min: String)
    /// A step that is zero or negative.
    case stepNotPositive(name: String, step: String)
    /// A multiplicative (log-sampling) float step that is not above 1.
    case logStepNotAboveOne(name: String, step: String)
    /// A float step so small that the range would hold more values than can be counted.
    case stepTooSmall(name: String, step: Double, range: Double)
    /// Reverse-log sampling requested for an integer (only floats support it).
    case reverseLogForInt(name: String)
    /// The default is outside `min...max`.
    case defaultOutOfRange(name: String, default: String, min: String, max: String)
    /// The default lies in the range but not on the values the step allows.
    case defaultNotOnStep(name: String, default: String, allowed: String)
    /// A choice without values.
    case emptyChoice(name: String)
    /// A choice whose values are not all of one type.
    case mixedChoiceTypes(name: String, types: [String])
    /// A choice listing the same value twice.
    case duplicateChoice(name: String, value: HyperParameterValue)
    /// `ordered: true` for strings or booleans, which have no order.
    case orderedNonNumericChoice(name: String)
    /// A choice default that is not one of the values.
    case defaultNotAChoice(name: String, default: HyperParameterValue, values: [HyperParameterValue])
    /// The same name defined again with a different definition or under different conditions.
    case redefined(name: String, existing: String, new: String)
    /// A conditional scope on a parent that has not been defined yet.
    case unknownParent(parent: String)
    /// A conditional scope without parent values.
    case emptyParentValues(parent: String)
    /// A conditional scope whose parent can never take one of the listed values.
    case impossibleParentValue(parent: String, value: HyperParameterValue, parentDefinition: String)
    /// A value supplied for a name the space does not define.
    case unknownParameter(name: String)
    /// A value that the parameter's definition does not allow (wrong type, out of range, off step).
    case invalidValue(name: String, value: HyperParameterValue, definition: String)
    /// A value supplied for a parameter whose conditions are not met by the other values.
    case valueForInactiveParameter(name: String, conditions: String)
    /// A value was asked for by name and the name is not defined.
    case undefined(name: String)
}

extension HyperParameterError: CustomStringConvertible {
    /// A sentence naming the parameter, the problem and what would be accepted.
    public var description: String {
        switch self {
        case .emptyName:
            return "A hyperparameter name must not be empty; give each hyperparameter a unique name such as \"learning_rate\"."
        case .nonFiniteNumber(let name, let argument, let value):
            return "Hyperparameter '\(name)': \(argument) is \(value); bounds, steps and defaults must be finite numbers."
        case .minAboveMax(let name, let min, let max):
            return "Hyperparameter '\(name)': min \(min) is above max \(max); swap them or fix the bounds."
        case .nonPositiveLogBound(let name, let sampling, let min):
            return "Hyperparameter '\(name)': \(sampling.rawValue) sampling needs positive bounds, but min is \(min); use a positive min (such as 1e-5) or linear sampling."
        case .stepNotPositive(let name, let step):
            return "Hyperparameter '\(name)': step \(step) is not positive; use a step above 0."
        case .logStepNotAboveOne(let name, let step):
            return "Hyperparameter '\(name)': with log sampling the step multiplies (1e-4, 1e-3, ... for step 10), so it must be above 1, but it is \(step)."
        case .stepTooSmall(let name, let step, let range):
            return "Hyperparameter '\(name)': step \(step) divides the range \(range) into too many values; use a larger step or no step."
        case .reverseLogForInt(let name):
            return "Hyperparameter '\(name)': reverse-log sampling is only for floats; use linear or log sampling for integers."
        case .defaultOutOfRange(let name, let defaultValue, let min, let max):
            return "Hyperparameter '\(name)': default \(defaultValue) is outside the range \(min)...\(max); choose a default inside it or leave it out (min is used)."
        case .defaultNotOnStep(let name, let defaultValue, let allowed):
            return "Hyperparameter '\(name)': default \(defaultValue) is not one of the values the step allows (\(allowed))."
        case .emptyChoice(let name):
            return "Hyperparameter '\(name)': a choice needs at least one value."
        case .mixedChoiceTypes(let name, let types):
            return "Hyperparameter '\(name)': choice values must all have one type, found \(types.joined(separator: " and ")); write 1.0 rather than 1 among floats."
        case .duplicateChoice(let name, let value):
            return "Hyperparameter '\(name)': choice value \(value) is listed twice; list each value once."
        case .orderedNonNumericChoice(let name):
            return "Hyperparameter '\(name)': only numeric choices can be ordered; leave ordered out for strings and booleans."
        case .defaultNotAChoice(let name, let defaultValue, let values):
            return "Hyperparameter '\(name)': default \(defaultValue) is not one of the choices [\(values.map(\.description).joined(separator: ", "))]."
        case .redefined(let name, let existing, let new):
            return "Hyperparameter '\(name)' is already defined as \(existing) and cannot be redefined as \(new); use another name or the same definition."
        case .unknownParent(let parent):
            return "Conditional scope on '\(parent)': that hyperparameter is not defined yet; define it (for example with hp.choice) before opening the scope."
        case .emptyParentValues(let parent):
            return "Conditional scope on '\(parent)': give at least one parent value that activates the scope."
        case .impossibleParentValue(let parent, let value, let parentDefinition):
            return "Conditional scope on '\(parent)': the value \(value) can never occur for \(parentDefinition)."
        case .unknownParameter(let name):
            return "Hyperparameter '\(name)' is not in the search space; check the name or define it in the model-building code."
        case .invalidValue(let name, let value, let definition):
            return "Hyperparameter '\(name)': value \(value) (\(value.typeName)) is not allowed by \(definition)."
        case .valueForInactiveParameter(let name, let conditions):
            return "Hyperparameter '\(name)' was given a value but is inactive: it needs \(conditions); leave it out or change its parent."
        case .undefined(let name):
            return "Hyperparameter '\(name)' is not defined; define it with hp.int, hp.float, hp.choice, hp.boolean or hp.fixed first."
        }
    }
}
