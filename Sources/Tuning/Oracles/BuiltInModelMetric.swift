/// Metrics of a model trial the tuner measures itself, so that a study can minimize them or constrain
/// them without user code (`objectives: [val_accuracy, { metric: params, direction: min }]`).
public enum BuiltInModelMetric: String, CaseIterable, Sendable {
    /// The model's number of weights (trainable and not), as Keras's `count_params()`.
    case params
    /// The mean wall-clock seconds of a training epoch (validation included, as Keras times an epoch).
    case epochSeconds = "epoch_seconds"
    /// The median wall-clock microseconds to predict one sample (batch of one) with the trained model,
    /// over repeated calls: what serving one request costs.
    case inferenceMicroseconds = "inference_microseconds"
}
