/// Why an oracle refused a request. Every message says what was wrong and what to do.
public enum OracleError: Error, Hashable, Sendable {
    /// No trial has this ID.
    case unknownTrial(Trial.ID)
    /// The trial is not RUNNING, so it cannot report values, end or be requeued.
    case trialNotRunning(Trial.ID, state: TrialState)
    /// An argument is out of its allowed range.
    case invalidArgument(name: String, message: String)
    /// Hyperparameters (enqueued values or a space update) were refused.
    case invalidHyperParameters(HyperParameterError)
    /// Grid search met a parameter with infinitely many values.
    case gridNeedsDiscreteParameter(name: String)
    /// The direction of an objective cannot be guessed from its name.
    case cannotInferDirection(metric: String)
    /// A state could not be written as JSON.
    case stateEncodingFailed(String)
    /// A stored state could not be read.
    case stateDecodingFailed(String)
    /// A stored state belongs to another kind of oracle.
    case stateKindMismatch(expected: String, found: String)
}

extension OracleError: CustomStringConvertible {
    /// A sentence saying what went wrong and what to do.
    public var description: String {
        switch self {
        case .unknownTrial(let id):
            return "No trial \(id) exists in this search; use an ID returned by createTrial or enqueue."
        case .trialNotRunning(let id, let state):
            return "Trial \(id) is \(state.rawValue), not RUNNING; only a running trial can report values, end or be requeued."
        case .invalidArgument(let name, let message):
            return "Invalid \(name): \(message)"
        case .invalidHyperParameters(let error):
            return error.description
        case .gridNeedsDiscreteParameter(let name):
            return "Grid search cannot enumerate '\(name)': a float needs a step (hp.float(\"\(name)\", min:, max:, step:)) so it has finitely many values; or use random search or Bayesian optimization."
        case .cannotInferDirection(let metric):
            return "Cannot tell whether '\(metric)' should be minimized or maximized; write .minimize(\"\(metric)\") or .maximize(\"\(metric)\")."
        case .stateEncodingFailed(let reason):
            return "The oracle state could not be encoded as JSON: \(reason)"
        case .stateDecodingFailed(let reason):
            return "The stored oracle state could not be read: \(reason)"
        case .stateKindMismatch(let expected, let found):
            return "The stored oracle state is for a \(found) oracle, not \(expected); restore it with the oracle that wrote it."
        }
    }
}
