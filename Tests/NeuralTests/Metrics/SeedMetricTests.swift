import Neural
import Testing

/// Seed 000's streaming metric: `tf.keras.metrics.Precision` over two batches, then `HuberMetric`.
@Suite struct SeedMetricTests {
    /// 5 positive predictions, 4 right: 0.8. Then 3 positive predictions, all wrong: 4 / 8 = 0.5 over
    /// both batches (not the 0.4 a mean of the two batch precisions would give).
    @Test func precisionOverTwoBatches() throws {
        let precision = Metrics.Precision()
        #expect(precision.name == "precision")
        let first = precision(Tensor([0, 1, 1, 1, 0, 1, 0, 1]), Tensor([1, 1, 0, 1, 0, 1, 0, 1]))
        #expect(Swift.abs(first - 0.8) < 1e-6)
        let second = precision(Tensor([0, 1, 0, 0, 1, 0, 1, 1]), Tensor([1, 0, 1, 1, 0, 0, 0, 0]))
        #expect(second == 0.5)
        #expect(precision.result() == 0.5)
        // precision.variables: true_positives [4.], false_positives [4.], non-trainable.
        let variables = precision.variables
        #expect(variables.map(\.name) == ["true_positives", "false_positives"])
        #expect(variables.map(\.value) == [Tensor([4]), Tensor([4])])
        #expect(variables.allSatisfy { !$0.trainable })
        // precision.reset_states(): both variables back to 0.
        precision.reset()
        #expect(precision.variables.map(\.value) == [Tensor([0]), Tensor([0])])
        #expect(precision.result() == 0)
        #expect(precision(Tensor([1, 0]), Tensor([1, 1])) == 0.5)
    }

    /// The seed's `HuberMetric`: total Huber loss over the number of instances, with its threshold
    /// saved in the configuration and rebuilt through the registry.
    @Test func huberMetricTracksTheMeanHuberLoss() throws {
        let metric = HuberMetric(threshold: 2)
        #expect(metric.name == "huber_metric")
        let targets = Tensor([[0.5], [2.0], [-1.0], [3.0]])
        let predictions = Tensor([[0.25], [4.5], [-1.5], [-0.5]])
        // Errors 0.25, -2.5, 0.5, 3.5 with threshold 2: 0.03125, 3, 0.125, 5.
        let first = metric(targets, predictions)
        #expect(Swift.abs(first - 8.15625 / 4) < 1e-6)
        let second = metric(Tensor([[0]]), Tensor([[1]]))
        #expect(Swift.abs(second - 8.65625 / 5) < 1e-6)
        #expect(metric.variables.map(\.name) == ["total", "count"])
        #expect(metric.count.value.scalar == 5)

        ObjectRegistry.shared.register(HuberMetric.self)
        let saved = try jsonRoundTrip(metric.configuration)
        #expect(metric.configuration == ["name": "huber_metric", "dtype": "float32", "threshold": 2.0])
        #expect(saved["threshold"]?.doubleValue == 2)
        let loaded = try ObjectRegistry.shared.make("HuberMetric", configuration: saved, as: Metric.self, kind: "metric")
        let huber = try #require(loaded as? HuberMetric)
        #expect(huber.threshold == 2 && huber.name == "huber_metric")
        // A loaded metric starts from zero state, as in Keras.
        #expect(huber.result().isNaN || huber.result() == 0)
        metric.reset()
        #expect(metric.total.value.scalar == 0 && metric.count.value.scalar == 0)
    }

    /// `metrics=[create_huber(2.0)]`: a function becomes a running mean (Keras's `MeanMetricWrapper`),
    /// saved by name only.
    @Test func functionAsMetric() throws {
        let metric = Metrics.MeanMetricWrapper(name: "huber_fn", fn: SeedHuber.createHuber(threshold: 2))
        let targets = Tensor([0.5, 2.0, -1.0, 3.0])
        let predictions = Tensor([[0.25], [4.5], [-1.5], [-0.5]])
        #expect(Swift.abs(metric(targets, predictions) - 8.15625 / 4) < 1e-6)
        metric.update(yTrue: Tensor([0, 0]), yPred: Tensor([[1], [0]]), sampleWeight: Tensor([2, 0]))
        #expect(Swift.abs(metric.result() - (8.15625 + 1) / 6) < 1e-6)
        #expect(metric.configuration == ["name": "huber_fn", "dtype": "float32", "fn": "huber_fn"])

        Metrics.registerBuiltins()
        Losses.register(function: SeedHuber.createHuber(threshold: 2), named: "huber_fn_metric_2")
        let loaded = try ObjectRegistry.shared.make(
            "MeanMetricWrapper", configuration: ["name": "huber_fn_metric_2", "dtype": "float32"],
            as: Metric.self, kind: "metric")
        #expect(Swift.abs(loaded(targets, predictions) - 8.15625 / 4) < 1e-6)
        #expect(throws: ConfigurationError.self) {
            try ObjectRegistry.shared.make(
                "MeanMetricWrapper", configuration: ["name": "never_registered"], as: Metric.self, kind: "metric")
        }
    }

    /// Seed 001: metrics reset at each epoch, so results are per epoch, and `sample_weight` reaches them.
    @Test func resetPerEpochAndSampleWeights() {
        let lossTracker = Metrics.Mean(name: "loss")
        let mae = Metrics.MeanAbsoluteError(name: "mae")
        var perEpoch: [[Float]] = []
        for epoch in 0..<2 {
            lossTracker.reset()
            mae.reset()
            let offset = Float(epoch)
            for batch in 0..<3 {
                let targets = Tensor([1, 2])
                let predictions = Tensor([[1 + offset + Float(batch)], [2]])
                lossTracker(Tensor(offset + Float(batch)))
                mae.update(yTrue: targets, yPred: predictions, sampleWeight: Tensor([1, 3]))
            }
            perEpoch.append([lossTracker.result(), mae.result()])
        }
        // Epoch 0: losses 0, 1, 2; errors (0, 0), (1, 0), (2, 0) weighted 1 and 3: 3 / 12.
        #expect(perEpoch[0] == [1, 0.25])
        // Epoch 1: losses 1, 2, 3; errors 1, 2, 3 on the first sample: 6 / 12.
        #expect(perEpoch[1] == [2, 0.5])
    }

    /// Updates run with every tape paused: nothing a metric computes is recorded.
    @Test func updatesAreNotRecorded() throws {
        let probe = RecordingProbe()
        let x = Tensor([1, 2, 3])
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(x)
            probe.update(yTrue: x, yPred: x)
            return (x * x).sum()
        }
        #expect(probe.sawRecording == false)
        #expect(try tape.gradient(of: y, wrt: x) == Tensor([2, 4, 6]))
    }
}

/// Seed 000's `HuberMetric`, written as the seed writes it.
final class HuberMetric: Metric {
    override class var typeName: String { "HuberMetric" }
    let threshold: Float
    let huberFn: Losses.Function
    let total = Metric.stateVariable(named: "total")
    let count = Metric.stateVariable(named: "count")

    init(threshold: Float = 1, name: String? = nil) {
        self.threshold = threshold
        self.huberFn = SeedHuber.createHuber(threshold: threshold)
        super.init(name: name)
    }

    required init(configuration: Configuration) throws {
        threshold = Float(try configuration.double("threshold", in: Self.typeName))
        huberFn = SeedHuber.createHuber(threshold: threshold)
        try super.init(configuration: configuration)
    }

    override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
        let sampleMetrics = huberFn(yTrue, yPred)
        total.assignAdd(sampleMetrics.sum())
        count.assignAdd(Tensor(Float(yTrue.scalarCount)))
    }

    override func result() -> Float { total.value.scalar / count.value.scalar }

    override var configuration: Configuration {
        super.configuration.merging(["threshold": .double(Double(threshold))]) { $1 }
    }
}

/// A metric that notes whether any tape was recording during its update.
final class RecordingProbe: Metric {
    var sawRecording = false
    override func updateState(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) {
        sawRecording = sawRecording || Tensor.isRecording
        _ = yPred * yPred
    }
    override func result() -> Float { 0 }
}
