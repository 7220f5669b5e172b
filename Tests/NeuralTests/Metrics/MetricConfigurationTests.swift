import Neural
import Testing

/// Every metric saves its configuration and is rebuilt through the shared ``ObjectRegistry`` with the
/// same configuration and behaviour (from zero state).
@Suite struct MetricConfigurationTests {
    @Test func builtinMetricsRoundTripThroughTheRegistry() throws {
        Metrics.registerBuiltins()
        let metrics: [Metric] = [
            Metrics.Mean(name: "loss"),
            Metrics.Sum(),
            Metrics.SparseCategoricalAccuracy(name: "accuracy"),
            Metrics.CategoricalAccuracy(),
            Metrics.BinaryAccuracy(threshold: 0.3),
            Metrics.MeanSquaredError(),
            Metrics.MeanAbsoluteError(name: "mae"),
            Metrics.RootMeanSquaredError(),
            Metrics.Precision(thresholds: [0.25, 0.75], name: "p"),
            Metrics.Precision(topK: 2, classId: 1),
            Metrics.Recall(threshold: 0.6),
            Metrics.AUC(numberOfThresholds: 50, curve: .pr, summationMethod: .majoring, fromLogits: true),
            Metrics.AUC(thresholds: [0.2, 0.9, 0.4]),
        ]
        for metric in metrics {
            let typeName = type(of: metric).typeName
            let loaded = try ObjectRegistry.shared.make(
                typeName, configuration: try jsonRoundTrip(metric.configuration), as: Metric.self, kind: "metric")
            #expect(type(of: loaded) == type(of: metric), "\(typeName)")
            #expect(loaded.configuration == metric.configuration, "\(typeName)")
            #expect(loaded.variables.map(\.shape) == metric.variables.map(\.shape), "\(typeName)")
        }
    }

    @Test func configurationsUseKerasKeys() throws {
        #expect(Metrics.Precision().configuration ==
                ["name": "precision", "dtype": "float32", "thresholds": nil, "top_k": nil, "class_id": nil])
        #expect(Metrics.BinaryAccuracy().configuration == ["name": "binary_accuracy", "dtype": "float32", "threshold": 0.5])
        let auc = Metrics.AUC().configuration
        #expect(auc["num_thresholds"] == 200 && auc["curve"] == "ROC" && auc["summation_method"] == "interpolation")
        #expect(auc["thresholds"] == nil)
        // A Keras-written AUC configuration reads back.
        let keras = try Metrics.AUC(configuration: [
            "name": "auc_1", "dtype": "float32", "num_thresholds": 100, "curve": "PR",
            "summation_method": "minoring", "multi_label": false, "num_labels": nil, "label_weights": nil,
            "from_logits": false,
        ])
        #expect(keras.name == "auc_1" && keras.numberOfThresholds == 100 && keras.curve == .pr)
        #expect(keras.summationMethod == .minoring)
        let recall = try Metrics.Recall(configuration: ["name": "recall", "thresholds": [0.5, 0.7], "top_k": 3])
        #expect(recall.thresholds == [0.5, 0.7] && recall.topK == 3)
        // Builtins that share a Keras class name with a loss register under their own names.
        #expect(Metrics.MeanSquaredError.typeName == "MeanSquaredErrorMetric")
        #expect(Metrics.MeanAbsoluteError.typeName == "MeanAbsoluteErrorMetric")
    }

    @Test func invalidConfigurationsThrow() {
        #expect(throws: ConfigurationError.self) { try Metrics.Precision(configuration: ["thresholds": 1.5]) }
        #expect(throws: ConfigurationError.self) { try Metrics.Recall(configuration: ["top_k": 0]) }
        #expect(throws: ConfigurationError.self) { try Metrics.AUC(configuration: ["curve": "PRGAIN"]) }
        #expect(throws: ConfigurationError.self) { try Metrics.AUC(configuration: ["num_thresholds": 1]) }
        #expect(throws: ConfigurationError.self) { try Metrics.AUC(configuration: ["multi_label": true]) }
        #expect(throws: ConfigurationError.self) { try Metrics.BinaryAccuracy(configuration: ["threshold": "half"]) }
        #expect(throws: ConfigurationError.self) { try Metrics.Mean(configuration: ["name": 3]) }
    }

    /// Default names follow Keras's snake case of the class name.
    @Test func defaultNames() {
        #expect(Metrics.SparseCategoricalAccuracy().name == "sparse_categorical_accuracy")
        #expect(Metrics.RootMeanSquaredError().name == "root_mean_squared_error")
        #expect(Metrics.AUC().name == "auc")
        #expect(Metrics.Mean().name == "mean")
        #expect(RecordingProbe().name == "recording_probe")
        #expect(String(describing: Metrics.Recall()) == "<Recall name=recall>")
    }
}
