/// Why a Gaussian process could not be built, fitted or queried.
public enum GaussianProcessError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No training points were given; a Gaussian process needs at least one observation.
    case emptyTrainingSet
    /// A point or a hyperparameter vector had the wrong number of coordinates.
    case dimensionMismatch(expected: Int, found: Int, context: String)
    /// A coordinate, target or hyperparameter was NaN or infinite.
    case nonFiniteValue(context: String)
    /// A hyperparameter was out of its domain (for example a non-positive length scale).
    case invalidHyperparameter(String)
    /// The covariance matrix stayed non-positive-definite even after adding the largest jitter.
    case notPositiveDefinite(largestJitter: Double)
    /// A LAPACK routine reported an argument error (a bug in this component, never the data).
    case lapackFailure(routine: String, info: Int)

    /// A message naming the problem and what to do about it.
    public var description: String {
        switch self {
        case .emptyTrainingSet:
            return "Gaussian process: no training points; give at least one (point, value) observation"
        case let .dimensionMismatch(expected, found, context):
            return "Gaussian process: \(context) has \(found) coordinates, expected \(expected); "
                + "every point must have one coordinate per unit-cube dimension"
        case let .nonFiniteValue(context):
            return "Gaussian process: \(context) is NaN or infinite; drop failed trials or clip "
                + "diverged scores before fitting"
        case let .invalidHyperparameter(message):
            return "Gaussian process: \(message)"
        case let .notPositiveDefinite(largestJitter):
            return "Gaussian process: the covariance matrix is not positive definite even with a jitter "
                + "of \(largestJitter) on its diagonal; raise the noise variance or remove near-duplicate "
                + "points with very different values"
        case let .lapackFailure(routine, info):
            return "Gaussian process: \(routine) rejected argument \(-info) (internal error, please report)"
        }
    }
}

/// Why a Bayesian optimizer could not suggest a point.
public enum BayesianOptimizationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The description of the unit-cube space is invalid (the message names the variable and problem).
    case invalidSpace(String)
    /// A configuration value is out of range (the message names the setting).
    case invalidConfiguration(String)
    /// An observation or pending point has the wrong number of coordinates for the space.
    case dimensionMismatch(expected: Int, found: Int, context: String)
    /// An observation or pending point contains NaN or infinity.
    case nonFiniteValue(context: String)
    /// Every point of a finite space has already been evaluated or is pending: the search is over.
    case spaceExhausted(distinctPoints: Int)
    /// The Gaussian-process model failed (see the wrapped error).
    case model(GaussianProcessError)

    /// A message naming the problem and what to do about it.
    public var description: String {
        switch self {
        case let .invalidSpace(message):
            return "Bayesian optimization space: \(message)"
        case let .invalidConfiguration(message):
            return "Bayesian optimization configuration: \(message)"
        case let .dimensionMismatch(expected, found, context):
            return "Bayesian optimization: \(context) has \(found) coordinates but the space has "
                + "\(expected) unit-cube dimensions"
        case let .nonFiniteValue(context):
            return "Bayesian optimization: \(context) is NaN or infinite; report failed trials as failed "
                + "(not as observations) or clip diverged scores to a large finite value"
        case let .spaceExhausted(distinctPoints):
            return "Bayesian optimization: all \(distinctPoints) points of the finite space have been "
                + "evaluated or are pending; the search is over"
        case let .model(error):
            return "Bayesian optimization: \(error.description)"
        }
    }
}
