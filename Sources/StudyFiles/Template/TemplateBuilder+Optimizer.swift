import Neural

extension TemplateBuilder {
    /// Keras's class names for the optimizer names study files use.
    static let optimizerClassNames = [
        "sgd": "SGD", "adam": "Adam", "adamw": "AdamW", "nadam": "Nadam", "rmsprop": "RMSprop", "adagrad": "Adagrad",
    ]

    /// The optimizer `name` with the learning rate and options of `settings` resolved by this builder:
    /// what a trial's model is compiled with, and what validation makes for each optimizer a file can
    /// choose (with the defaults) to check its options and rates.
    ///
    /// - Throws: `ConfigurationError.unknownType` for an unknown name; what `Optimizer.fromConfiguration`
    ///   throws for an unknown option or a refused value.
    public func makeOptimizer(_ settings: CompileSettings, name: String) throws -> Optimizer {
        guard let className = Self.optimizerClassNames[name.lowercased()] else {
            throw ConfigurationError.unknownType(kind: "optimizer", name: name, known: Optimizers.knownNames)
        }
        var configuration: Configuration = [:]
        for (key, value) in settings.optimizerOptions {
            // An option tied to an inactive hyperparameter (momentum only for SGD) is left out.
            let names = value.referencedNames
            if !names.isEmpty && !names.contains(where: { values[$0] != nil }) { continue }
            configuration[key] = resolve(value)
        }
        if let rate = settings.learningRate {
            configuration["learning_rate"] = resolve(rate)
        }
        return try Optimizer.fromConfiguration(OptimizerConfiguration(className: className, config: configuration))
    }
}
