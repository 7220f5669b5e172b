import Neural
import Testing

private func close(_ a: Float, _ b: Float, _ tolerance: Float = 1e-6) -> Bool { Swift.abs(a - b) <= tolerance }

/// Values of the built-in metrics against Keras's documented examples and hand-computed numbers.
@Suite struct MetricValueTests {
    /// Keras's `Mean` and `Sum` docstrings, plus per-sample averaging of rank-2 values.
    @Test func meanAndSum() {
        let mean = Metrics.Mean()
        #expect(mean(Tensor([1, 3, 5, 7])) == 4)
        mean.reset()
        #expect(mean(Tensor([1, 3, 5, 7]), sampleWeight: Tensor([1, 1, 0, 0])) == 2)
        mean.reset()
        #expect(mean.result() == 0)
        // Rank-2 values: each sample's mean (2 and 5) counts once.
        #expect(mean(Tensor([[1, 3], [4, 6]])) == 3.5)
        // Weights per sample on rank-2 values: (2 * 1 + 5 * 3) / 4.
        mean.reset()
        #expect(mean(Tensor([[1, 3], [4, 6]]), sampleWeight: Tensor([1, 3])) == 4.25)
        // A scalar value counts as one sample; a scalar weight weights the whole batch.
        mean.reset()
        mean(Tensor(10))
        #expect(mean(Tensor([1, 3]), sampleWeight: Tensor(2)) == 14.0 / 3)

        let sum = Metrics.Sum()
        #expect(sum(Tensor([1, 3, 5, 7])) == 16)
        sum.reset()
        #expect(sum(Tensor([1, 3, 5, 7]), sampleWeight: Tensor([1, 1, 0, 0])) == 4)
        #expect(sum(Tensor([[1, 2], [3, 4]]), sampleWeight: Tensor([1, 0])) == 7)
        #expect(sum.variables.map(\.name) == ["total"])
    }

    /// Keras's accuracy docstrings: sparse 0.5 then 0.3 weighted, categorical the same, binary 0.75
    /// then 0.5 weighted.
    @Test func accuracyKerasExamples() {
        let sparse = Metrics.SparseCategoricalAccuracy()
        #expect(sparse(Tensor([[2], [1]]), Tensor([[0.1, 0.6, 0.3], [0.05, 0.95, 0]])) == 0.5)
        sparse.reset()
        #expect(close(sparse(Tensor([[2], [1]]), Tensor([[0.1, 0.6, 0.3], [0.05, 0.95, 0]]),
                             sampleWeight: Tensor([0.7, 0.3])), 0.3))

        let categorical = Metrics.CategoricalAccuracy()
        #expect(categorical(Tensor([[0, 0, 1], [0, 1, 0]]), Tensor([[0.1, 0.9, 0.8], [0.05, 0.95, 0]])) == 0.5)
        categorical.reset()
        #expect(close(categorical(Tensor([[0, 0, 1], [0, 1, 0]]), Tensor([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]),
                                  sampleWeight: Tensor([0.7, 0.3])), 0.3))

        let binary = Metrics.BinaryAccuracy()
        #expect(binary(Tensor([[1], [1], [0], [0]]), Tensor([[0.98], [1], [0], [0.6]])) == 0.75)
        binary.reset()
        #expect(binary(Tensor([[1], [1], [0], [0]]), Tensor([[0.98], [1], [0], [0.6]]),
                       sampleWeight: Tensor([1, 0, 0, 1])) == 0.5)
        // Targets [batch] against predictions [batch, 1], and a threshold for logits.
        let logits = Metrics.BinaryAccuracy(threshold: 0)
        #expect(logits(Tensor([1, 0, 1]), Tensor([[2.0], [-1.0], [-0.5]])) == Float(2) / 3)
        // Several outputs per sample: each sample's agreement rate counts once.
        let multi = Metrics.BinaryAccuracy()
        #expect(multi(Tensor([[1, 0], [1, 1]]), Tensor([[0.9, 0.2], [0.1, 0.8]])) == 0.75)
    }

    /// Sparse accuracy streams over batches; labels [batch] and [batch, 1], logits, and predictions
    /// with a time axis (each sample's accuracy over time counts once).
    @Test func sparseCategoricalAccuracyStreams() {
        let accuracy = Metrics.SparseCategoricalAccuracy(name: "accuracy")
        #expect(accuracy.name == "accuracy")
        accuracy.update(yTrue: Tensor([0, 1, 2, 1]), yPred: Tensor([[5, 1, 0], [0, 2, 1], [3, 1, 2], [0, 0, 1]]))
        #expect(accuracy.result() == 0.5)
        accuracy.update(yTrue: Tensor([[2], [0]]), yPred: Tensor([[0, 0, 9], [1, 0, 0]]))
        #expect(close(accuracy.result(), 4.0 / 6))
        accuracy.update(
            yTrue: Tensor([0, 1]), yPred: Tensor([[0.9, 0.1, 0], [0.2, 0.3, 0.5]]), sampleWeight: Tensor([[2], [2]]))
        #expect(close(accuracy.result(), 6.0 / 10))
        let sequences = Metrics.SparseCategoricalAccuracy()
        sequences.update(
            yTrue: Tensor([[0, 1], [2, 2]]),
            yPred: Tensor([[[1, 0, 0], [1, 0, 0]], [[0, 0, 1], [0, 0, 1]]]))
        #expect(sequences.result() == 0.75)
        #expect(sequences.count.value.scalar == 2)
    }

    @Test func regressionMetrics() {
        let targets = Tensor([[0.5, 1.0, -0.3], [2.0, -1.0, 0.7]])
        let predictions = Tensor([[0.4, 1.8, 0.2], [-0.5, -1.2, 0.9]])
        let mse = Metrics.MeanSquaredError()
        #expect(mse.name == "mean_squared_error")
        #expect(close(mse(targets, predictions), 1.205, 1e-5))
        let rmse = Metrics.RootMeanSquaredError()
        #expect(close(rmse(targets, predictions), Float(1.205).squareRoot(), 1e-5))
        let mae = Metrics.MeanAbsoluteError()
        #expect(close(mae(targets, predictions), 0.7166667, 1e-5))
        mae.reset()
        // Weighted: (0.3 * 0.4666667 + 1.2 * 0.9666667) / 1.5.
        #expect(close(mae(targets, predictions, sampleWeight: Tensor([0.3, 1.2])), 0.8666667, 1e-5))
        // Keras's RootMeanSquaredError docstring: 0.5, then 0.70710677 weighted [1, 0].
        let keras = Metrics.RootMeanSquaredError()
        #expect(keras(Tensor([[0, 1], [0, 0]]), Tensor([[1, 1], [0, 0]])) == 0.5)
        keras.reset()
        #expect(close(keras(Tensor([[0, 1], [0, 0]]), Tensor([[1, 1], [0, 0]]), sampleWeight: Tensor([1, 0])),
                      0.70710677))
    }

    /// Keras's `Precision` and `Recall` docstrings.
    @Test func precisionAndRecallKerasExamples() {
        let precision = Metrics.Precision()
        #expect(close(precision(Tensor([0, 1, 1, 1]), Tensor([1, 0, 1, 1])), 0.6666667))
        precision.reset()
        #expect(precision(Tensor([0, 1, 1, 1]), Tensor([1, 0, 1, 1]), sampleWeight: Tensor([0, 0, 1, 0])) == 1)
        // topK = 2 keeps y_pred[:2]; topK = 4 keeps all four.
        #expect(Metrics.Precision(topK: 2)(Tensor([0, 0, 1, 1]), Tensor([1, 1, 1, 1])) == 0)
        #expect(Metrics.Precision(topK: 4)(Tensor([0, 0, 1, 1]), Tensor([1, 1, 1, 1])) == 0.5)

        let recall = Metrics.Recall()
        #expect(close(recall(Tensor([0, 1, 1, 1]), Tensor([1, 0, 1, 1])), 0.6666667))
        recall.reset()
        #expect(recall(Tensor([0, 1, 1, 1]), Tensor([1, 0, 1, 1]), sampleWeight: Tensor([0, 0, 1, 0])) == 1)
        #expect(recall.variables.map(\.name) == ["true_positives", "false_negatives"])
    }

    /// Several thresholds (per-threshold results), a class of multi-class predictions, and weights on
    /// rows of a `[batch, classes]` prediction.
    @Test func precisionAndRecallOptions() {
        let targets = Tensor([1, 0, 1, 1, 0])
        let predictions = Tensor([0.9, 0.6, 0.4, 0.7, 0.2])
        let precision = Metrics.Precision(thresholds: [0.3, 0.5, 0.8])
        precision.update(yTrue: targets, yPred: predictions)
        // > 0.3: 0.9, 0.6, 0.4, 0.7 (3 right of 4); > 0.5: 0.9, 0.6, 0.7 (2 of 3); > 0.8: 0.9 (1 of 1).
        let perThreshold = precision.resultsPerThreshold()
        #expect(close(perThreshold[0], 0.75) && close(perThreshold[1], 2.0 / 3) && perThreshold[2] == 1)
        #expect(precision.result() == perThreshold[0])
        // Evenly spaced thresholds take the bucketed path with the same counts.
        let even = Metrics.Recall(thresholds: [0, 0.5, 1])
        even.update(yTrue: targets, yPred: predictions)
        let generic = Metrics.Recall(thresholds: [0, 0.5, 0.99])
        generic.update(yTrue: targets, yPred: predictions)
        #expect(Array(even.resultsPerThreshold().prefix(2)) == Array(generic.resultsPerThreshold().prefix(2)))
        #expect(even.resultsPerThreshold()[2] == 0)

        let multiClass = Tensor([[0.1, 0.8, 0.1], [0.7, 0.2, 0.1], [0.2, 0.6, 0.2], [0.3, 0.3, 0.4]])
        let onehot = Tensor([[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 0]])
        let classOne = Metrics.Precision(classId: 1)
        // Class 1 predicted (> 0.5) for rows 0 and 2; right for row 0 only.
        #expect(classOne(onehot, multiClass) == 0.5)
        let recallTop1 = Metrics.Recall(topK: 1)
        // Top-1 predictions: classes 1, 0, 1, 2; right for rows 0 and 1 of the 4 positives.
        #expect(recallTop1(onehot, multiClass) == 0.5)
        let weighted = Metrics.Precision()
        // Row weights [batch] weight every class of their row: rows 1 and 3 weigh 0.
        #expect(weighted(onehot, multiClass, sampleWeight: Tensor([1, 0, 1, 0])) == 0.5)
    }

    /// Keras's `AUC(num_thresholds=3)` docstring: thresholds [-1e-7, 0.5, 1 + 1e-7], tp [2, 1, 0],
    /// fp [2, 0, 0]; area 0.75, and 1.0 with weights [1, 0, 0, 1].
    @Test func aucKerasExample() {
        let auc = Metrics.AUC(numberOfThresholds: 3)
        #expect(auc(Tensor([0, 0, 1, 1]), Tensor([0, 0.5, 0.3, 0.9])) == 0.75)
        #expect(auc.truePositives.value == Tensor([2, 1, 0]))
        #expect(auc.falsePositives.value == Tensor([2, 0, 0]))
        #expect(auc.trueNegatives.value == Tensor([0, 2, 2]))
        #expect(auc.falseNegatives.value == Tensor([0, 1, 2]))
        auc.reset()
        #expect(auc(Tensor([0, 0, 1, 1]), Tensor([0, 0.5, 0.3, 0.9]), sampleWeight: Tensor([1, 0, 0, 1])) == 1)
        #expect(auc.variables.map(\.name) == ["true_positives", "false_positives", "true_negatives", "false_negatives"])
    }

    /// With the default 200 thresholds and no two predictions in one bucket, the trapezoidal ROC area
    /// is the exact one: the share of (positive, negative) pairs ranked right, 11 of 16 here. The
    /// weighted, PR and summation variants match Scripts/loss_metric_reference.py.
    @Test func aucDefaultThresholds() {
        let targets = Tensor([0, 0, 1, 1, 1, 0, 1, 0])
        let predictions = Tensor([0.1, 0.4, 0.35, 0.8, 0.65, 0.7, 0.2, 0.05])
        let weights = Tensor([1, 0.5, 2, 1, 1, 1.5, 0.25, 1])
        let auc = Metrics.AUC()
        #expect(auc.name == "auc" && auc.thresholds.count == 200)
        #expect(close(auc(targets, predictions), 11.0 / 16))
        // Streaming: two halves give the same area as the whole batch.
        let halves = Metrics.AUC()
        halves.update(yTrue: targets[0..<3], yPred: predictions[0..<3])
        halves.update(yTrue: targets[3...], yPred: predictions[3...])
        #expect(halves.result() == auc.result())
        #expect(close(Metrics.AUC()(targets, predictions, sampleWeight: weights), 0.6470588))
        #expect(close(Metrics.AUC(summationMethod: .minoring)(targets, predictions), 0.6875))
        #expect(close(Metrics.AUC(summationMethod: .majoring)(targets, predictions), 0.6875))
        #expect(close(Metrics.AUC(curve: .pr)(targets, predictions), 0.6959012, 1e-5))
        #expect(close(Metrics.AUC(curve: .pr, summationMethod: .majoring)(targets, predictions), 0.7333333, 1e-5))
        // Logits through a sigmoid rank the same way.
        let logits = Tensor([-2.2, -0.4, -0.6, 1.4, 0.6, 0.85, -1.4, -2.9])
        #expect(close(Metrics.AUC(fromLogits: true)(targets, logits), 11.0 / 16))
        // Explicit thresholds (not evenly spaced) count prediction by prediction.
        let coarse = Metrics.AUC(thresholds: [0.3, 0.5, 0.75])
        #expect(coarse.numberOfThresholds == 5)
        // Thresholds -1e-7, 0.3, 0.5, 0.75, 1: recall 1, .75, .5, .25, 0; fp rate 1, .5, .25, 0, 0.
        #expect(close(coarse(targets, predictions), 0.5 * 0.875 + 0.25 * 0.625 + 0.25 * 0.375))
    }

    /// `"accuracy"` resolves by the loss (and by shapes, Keras 3's rule); names become metric names.
    @Test func metricNames() throws {
        #expect(try Metrics.named("accuracy", forLoss: Losses.SparseCategoricalCrossentropy())
                is Metrics.SparseCategoricalAccuracy)
        #expect(try Metrics.named("acc", forLoss: Losses.CategoricalCrossentropy()) is Metrics.CategoricalAccuracy)
        #expect(try Metrics.named("Accuracy", forLoss: Losses.BinaryCrossentropy()) is Metrics.BinaryAccuracy)
        #expect(try Metrics.named("accuracy", forLoss: Losses.SparseCategoricalCrossentropy()).name == "accuracy")
        #expect(throws: NameLookupError.accuracyNeedsShapes(name: "accuracy", loss: "mean_squared_error")) {
            try Metrics.named("accuracy", forLoss: Losses.MeanSquaredError())
        }
        #expect(Metrics.accuracy(targetShape: [32], predictionShape: [32, 10]) is Metrics.SparseCategoricalAccuracy)
        #expect(Metrics.accuracy(targetShape: [32, 1], predictionShape: [32, 10]) is Metrics.SparseCategoricalAccuracy)
        #expect(Metrics.accuracy(targetShape: [32, 10], predictionShape: [32, 10]) is Metrics.CategoricalAccuracy)
        #expect(Metrics.accuracy(targetShape: [32], predictionShape: [32, 1]) is Metrics.BinaryAccuracy)

        let mae = try Metrics.named("mae")
        #expect(mae is Metrics.MeanAbsoluteError && mae.name == "mae")
        #expect(try Metrics.named("mse") is Metrics.MeanSquaredError)
        #expect(try Metrics.named("root_mean_squared_error") is Metrics.RootMeanSquaredError)
        #expect(try Metrics.named("AUC") is Metrics.AUC)
        #expect(try Metrics.named("precision") is Metrics.Precision)
        #expect(try Metrics.named("recall").name == "recall")
        #expect(try Metrics.named("sparse_categorical_accuracy") is Metrics.SparseCategoricalAccuracy)
        Losses.register(function: SeedHuber.huberFn, named: "huber_fn_metric_lookup")
        #expect(try Metrics.named("huber_fn_metric_lookup") is Metrics.MeanMetricWrapper)
        do {
            _ = try Metrics.named("f1")
            Issue.record("an unknown name should throw")
        } catch {
            guard case let .unknownMetric(name, known) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(name == "f1" && known.contains("accuracy") && known.contains("mae"))
        }
    }
}
