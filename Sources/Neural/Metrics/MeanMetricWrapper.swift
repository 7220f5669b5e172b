extension Metrics {
    /// Keras's `MeanMetricWrapper`: the running mean of a per-sample function of targets and predictions,
    /// Keras's way to use a loss-like function (seed 000's `create_huber(2.0)`) as a metric.
    ///
    /// Targets and predictions are rank-matched first (``Losses/squeezeOrExpandToSameRank(_:_:expandRank1:)``);
    /// the function's values are then averaged as ``Mean`` does. As with ``ClosureLoss``, only the name
    /// is saved: a saved wrapper loads where a function of that name was registered with
    /// ``Losses/register(function:named:)``, and values its closure captured are not saved.
    open class MeanMetricWrapper: Mean {
        /// `"MeanMetricWrapper"`, Keras's class name.
        open override class var typeName: String { "MeanMetricWrapper" }

        /// The per-sample function.
        public let function: Losses.Function

        /// Wraps `fn` under `name` (also the name the function is saved and looked up by).
        public init(name: String, fn: @escaping Losses.Function) {
            self.function = fn
            super.init(name: name)
        }

        /// Rebuilds the wrapper from `name` and `fn` (the registered function's name; `name` when absent).
        ///
        /// - Throws: ``ConfigurationError/invalidValue(type:key:expected:found:)`` when no function of
        ///   that name is registered.
        public required init(configuration: Configuration) throws {
            function = try Losses.registeredFunction(in: configuration, type: Self.typeName).function
            try super.init(configuration: configuration)
        }

        /// `name`, `dtype` and `fn` (the function's name, which is `name`).
        open override var configuration: Configuration {
            var configuration = super.configuration
            configuration["fn"] = .string(name)
            return configuration
        }

        /// Averages `function(yTrue, yPred)` (ranks matched first), weighted by `sampleWeight`.
        open override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
            let (t, p) = Losses.squeezeOrExpandToSameRank(yTrue, yPred)
            accumulate(values: function(t, p), sampleWeight: sampleWeight)
        }
    }
}
