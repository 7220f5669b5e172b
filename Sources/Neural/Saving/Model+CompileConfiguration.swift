/// The arguments of `compile` as a saved model records them (Keras's `compile_config`), and
/// compiling again from them.
///
/// ```json
/// {"optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.001, ...}},
///  "loss": {"class_name": "HuberLoss", "config": {"name": "huber_loss", "threshold": 2.0, ...}},
///  "metrics": ["mae", {"class_name": "HuberMetric", "config": {"name": "huber_metric", "threshold": 2.0}}],
///  "loss_weights": null}
/// ```
/// `loss` is a list when the model was compiled with one loss per output. Metric names are kept as
/// names (so `"accuracy"` resolves against the loss again); metric objects are saved by class and
/// configuration. Losses and metric objects load through ``ObjectRegistry`` (custom types must be
/// registered; closure losses and metrics need their function registered under their name with
/// ``Losses/register(function:named:)``), optimizers through
/// ``Optimizer/fromConfiguration(_:customOptimizers:customSchedules:)``.
extension Model {
    /// The compile arguments as JSON values, or `nil` for a model that was never compiled.
    public var compileConfiguration: Configuration? {
        guard isCompiled || optimizer != nil else { return nil }
        var configuration: Configuration = [:]
        configuration["optimizer"] = optimizer.map { JSONValue(optimizerConfiguration: $0.configuration) } ?? .null
        switch compiledLosses.count {
        case 0: configuration["loss"] = .null
        case 1: configuration["loss"] = serialize(compiledLosses[0])
        default: configuration["loss"] = .array(compiledLosses.map(serialize))
        }
        configuration["metrics"] = .array(compiledMetricSpecs.map { spec in
            switch spec {
            case .named(let name): return .string(name)
            case .metric(let metric): return serialize(metric)
            }
        })
        configuration["loss_weights"] = lossWeights.map { .array($0.map { JSONValue($0) }) } ?? .null
        return configuration
    }

    /// Compiles with arguments saved by ``compileConfiguration``: a fresh optimizer of the saved class
    /// and hyperparameters (its state is restored separately), the losses, metrics and loss weights.
    ///
    /// - Throws: ``ConfigurationError`` for an unknown loss or metric class (register it) or a value of
    ///   the wrong kind, ``OptimizerError`` for an optimizer configuration that does not load, and
    ///   ``LayerError`` from `compile`.
    public func compile(
        configuration: Configuration,
        customOptimizers: [String: (OptimizerConfiguration) throws(OptimizerError) -> Optimizer] = [:]
    ) throws {
        let type = "compile_config"
        var optimizer: Optimizer?
        if let value = configuration["optimizer"], value != .null {
            guard let members = value.objectValue, let className = members["class_name"]?.stringValue else {
                throw ConfigurationError.invalidValue(type: type, key: "optimizer", expected: "{\"class_name\": ..., \"config\": {...}}", found: value)
            }
            let settings = members["config"]?.objectValue ?? [:]
            optimizer = try Optimizer.fromConfiguration(
                OptimizerConfiguration(className: className, config: settings),
                customOptimizers: customOptimizers)
        }
        func loss(_ value: JSONValue) throws -> any Loss {
            guard let loss = try deserializeOptional(value, as: (any Loss).self) else {
                throw ConfigurationError.invalidValue(type: type, key: "loss", expected: "a loss {\"class_name\", \"config\"}", found: value)
            }
            return loss
        }
        var single: (any Loss)?
        var perOutput: [any Loss]?
        switch configuration["loss"] {
        case nil, .null?: break
        case .array(let values)?: perOutput = try values.map(loss)
        case let value?: single = try loss(value)
        }
        let metrics = try (configuration["metrics"]?.arrayValue ?? []).map { value -> MetricSpec in
            if let name = value.stringValue { return .named(name) }
            guard let metric = try deserializeOptional(value, as: Metric.self) else {
                throw ConfigurationError.invalidValue(type: type, key: "metrics", expected: "metric names or {\"class_name\", \"config\"}", found: value)
            }
            return .metric(metric)
        }
        var lossWeights: [Float]?
        if let value = configuration["loss_weights"], value != .null {
            guard let numbers = value.arrayValue?.compactMap(\.doubleValue), numbers.count == value.arrayValue?.count else {
                throw ConfigurationError.invalidValue(type: type, key: "loss_weights", expected: "a list of numbers or null", found: value)
            }
            lossWeights = numbers.map { Float($0) }
        }
        try compile(optimizer: optimizer, loss: single, losses: perOutput, metrics: metrics, lossWeights: lossWeights)
    }
}

extension JSONValue {
    /// An optimizer's configuration in Keras's `{"class_name", "config"}` form.
    init(optimizerConfiguration configuration: OptimizerConfiguration) {
        self = .object([
            "class_name": .string(configuration.className),
            "config": .object(configuration.config),
        ])
    }
}
