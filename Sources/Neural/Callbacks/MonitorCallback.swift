import Foundation

/// Which way a monitored quantity should go for the run to be improving.
public enum MonitorMode: String, Sendable, Equatable {
    /// Inferred from the quantity: see ``MonitorCallback/inferredMode(for:metrics:)``.
    case auto
    /// Lower is better (losses, errors).
    case min
    /// Higher is better (accuracy, AUC, precision, recall).
    case max
}

/// The shared part of callbacks that watch one logged quantity (Keras's `MonitorCallback`):
/// the monitored name, the direction, the minimum change that counts, and the best value so far.
/// ``EarlyStopping``, ``ModelCheckpoint`` and ``ReduceLROnPlateau`` build on it.
open class MonitorCallback: Callback {
    /// The logged quantity watched, e.g. `"val_loss"` or `"val_accuracy"`.
    public let monitor: String
    /// The direction asked for; `.auto` is resolved on first use (see ``resolvedMode()``).
    public let mode: MonitorMode
    /// How much a value must beat the reference by to count as an improvement (always >= 0).
    public let minDelta: Double
    /// The best value seen so far (nil before the first one).
    public var best: Float?
    /// Where warnings go (a monitored quantity missing from the logs, ...): one line each, standard
    /// error by default.
    public var warnings: (String) -> Void = { message in
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    private var cachedMode: MonitorMode?
    private var warnedAboutMissing = false

    /// Watches `monitor` in direction `mode`; only changes larger than `|minDelta|` count;
    /// `baseline`, when given, is the initial ``best``.
    public init(monitor: String, mode: MonitorMode, minDelta: Double = 0, baseline: Float? = nil) {
        self.monitor = monitor
        self.mode = mode
        self.minDelta = Swift.abs(minDelta)
        self.best = baseline
        super.init()
    }

    /// The callback's name in messages and errors (its type name).
    open var callbackName: String { String(describing: type(of: self)) }

    /// `.min` or `.max`: ``mode``, or for `.auto` the direction inferred from the monitored quantity
    /// and the model's metrics (once, then kept, as Keras does).
    /// - Throws: ``CallbackError/cannotInferMode(callback:monitor:)`` when `.auto` cannot decide.
    public func resolvedMode() throws -> MonitorMode {
        if let cachedMode { return cachedMode }
        var resolved = mode
        if mode == .auto {
            guard let inferred = Self.inferredMode(for: monitor, metrics: model?.metrics ?? []) else {
                throw CallbackError.cannotInferMode(callback: callbackName, monitor: monitor)
            }
            resolved = inferred
        }
        cachedMode = resolved
        return resolved
    }

    /// Whether `value` improves on `reference` by more than ``minDelta`` (any value improves on nil),
    /// as Keras compares: `value - minDelta` (in double precision) against the reference in float.
    /// - Throws: ``CallbackError/cannotInferMode(callback:monitor:)`` from ``resolvedMode()``.
    public func isImprovement(_ value: Float, over reference: Float?) throws -> Bool {
        guard let reference else { return true }
        switch try resolvedMode() {
        case .max: return Float(Double(value) - minDelta) > reference
        default: return Float(Double(value) + minDelta) < reference
        }
    }

    /// The monitored value in `logs`; when it is missing, warns once per training run (the message
    /// names the available quantities) and returns nil.
    public func monitoredValue(in logs: Logs, purpose: String) -> Float? {
        if let value = logs[monitor] { return value }
        if !warnedAboutMissing {
            warnedAboutMissing = true
            warnings("\(callbackName): \(purpose) is conditioned on metric `\(monitor)` which is not available. Available metrics are: \(logs.names.joined(separator: ","))")
        }
        return nil
    }

    /// Lets the next missing-quantity warning through (called at each training start).
    public func resetWarnings() { warnedAboutMissing = false }

    /// The direction of `monitor` for `.auto` mode, or nil when nothing tells. With any `val_` prefix
    /// dropped: `loss` and `*_loss` go down; a metric of the model with that name goes up for the
    /// accuracies, precision, recall and AUC and down for errors and loss-function means (Keras 3's
    /// metric directions); otherwise the name decides (Keras 2's rule, widened): `acc`, `auc`,
    /// `precision`, `recall`, `f1`, `fmeasure`, `iou` go up; `loss`, `error`, `crossentropy`, `hinge`,
    /// `divergence`, `mse`, `mae` go down.
    public static func inferredMode(for monitor: String, metrics: [Metric]) -> MonitorMode? {
        let name = monitor.hasPrefix("val_") ? String(monitor.dropFirst(4)) : monitor
        if name == "loss" || name.hasSuffix("_loss") { return .min }
        if let metric = metrics.first(where: { $0.name == name }) {
            switch metric {
            case is Metrics.SparseCategoricalAccuracy, is Metrics.CategoricalAccuracy, is Metrics.BinaryAccuracy,
                 is Metrics.Precision, is Metrics.Recall, is Metrics.AUC:
                return .max
            case is Metrics.MeanSquaredError, is Metrics.MeanAbsoluteError, is Metrics.RootMeanSquaredError:
                return .min
            default:
                // The built-in wrapper holds loss-like functions (Keras 3: down when `fn` is a loss);
                // a subclass may wrap anything.
                if type(of: metric) == Metrics.MeanMetricWrapper.self { return .min }
            }
        }
        let lowered = name.lowercased()
        if ["acc", "auc", "precision", "recall", "f1", "fmeasure", "iou"].contains(where: lowered.contains) { return .max }
        if ["loss", "error", "crossentropy", "hinge", "divergence", "mse", "mae"].contains(where: lowered.contains) { return .min }
        return nil
    }
}
