/// Why a multi-objective computation (dominance, hypervolume, a suggestion) could not be done.
public enum MultiObjectiveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two lists that must be parallel have different lengths (for example a value vector with more
    /// columns than there are directions, or fewer constraint rows than observations).
    case lengthMismatch(expected: Int, found: Int, context: String)
    /// No objective was given; a multi-objective computation needs at least one.
    case noObjectives
    /// No observation was given where at least one is needed.
    case noObservations
    /// A value that must be finite (a reference point, an observed input, objective or constraint
    /// value given to the suggestion) is NaN or infinite.
    case nonFiniteValue(context: String)
    /// A setting is out of range (the message names it).
    case invalidConfiguration(String)
    /// A Gaussian process of the suggestion could not be fitted (see the wrapped error).
    case model(GaussianProcessError)
    /// Every point of a finite space has been observed or excluded: there is nothing left to suggest.
    case spaceExhausted(distinctPoints: Int)

    /// A message naming the problem and what to do about it.
    public var description: String {
        switch self {
        case let .lengthMismatch(expected, found, context):
            return "multi-objective: \(context) has \(found) entries, expected \(expected); "
                + "give one value per objective (or constraint) and one row per trial"
        case .noObjectives:
            return "multi-objective: no objectives were given; give at least one value column and its direction"
        case .noObservations:
            return "multi-objective: no observations were given; evaluate an initial design "
                + "(random or Sobol points) before asking the model for a suggestion"
        case let .nonFiniteValue(context):
            return "multi-objective: \(context) is NaN or infinite; report failed trials as excluded points "
                + "(not as observations) or clip diverged values to a large finite value"
        case let .invalidConfiguration(message):
            return "multi-objective configuration: \(message)"
        case let .model(error):
            return "multi-objective: \(error.description)"
        case let .spaceExhausted(distinctPoints):
            return "multi-objective: all \(distinctPoints) points of the finite space have been evaluated "
                + "or excluded; the search is over"
        }
    }
}
