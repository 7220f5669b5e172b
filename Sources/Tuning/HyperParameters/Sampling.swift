/// How a numeric hyperparameter's range is explored: which values are as likely as each other.
///
/// The raw values are Keras Tuner's spellings, so study files and stored spaces read the same.
public enum Sampling: String, Codable, Hashable, Sendable, CaseIterable {
    /// Uniform in the value itself: 0.1 to 0.2 is as likely as 0.8 to 0.9.
    case linear
    /// Uniform in the logarithm: 1e-4 to 1e-3 is as likely as 1e-3 to 1e-2 (learning rates).
    case log
    /// Dense near the upper bound (momentum, Adam's beta): `max + min - value` is log-uniform between
    /// `min` and `max`, as in Keras Tuner, so the crowding is strong when `min` is small. Floats only.
    case reverseLog = "reverse_log"
}
