import Testing
import Neural

/// Precision and Recall share one base: their state keeps Keras's names and order, each counts its own
/// outcome, and a loaded metric counts as a fresh one does.
@Suite struct ConfusionMetricStateTests {
    @Test func stateVariablesKeepKerasNamesAndOrder() throws {
        let precision = Metrics.Precision(thresholds: [0.3, 0.7])
        #expect(precision.variables.map(\.name) == ["true_positives", "false_positives"])
        #expect(precision.variables[0] === precision.truePositives && precision.variables[1] === precision.falsePositives)
        let recall = try Metrics.Recall(configuration: ["thresholds": [0.3, 0.7]])
        #expect(recall.variables.map(\.name) == ["true_positives", "false_negatives"])
        #expect(recall.variables[1] === recall.falseNegatives)
        #expect(recall.falseNegatives.shape == [2] && precision.falsePositives.shape == [2])
    }

    @Test func eachCountsItsOwnOutcome() throws {
        // Targets 1, 1, 0, 0, 1 against predictions 0.9, 0.2, 0.8, 0.1, 0.6 at threshold 0.5:
        // tp 2 (0.9, 0.6), fp 1 (0.8), fn 1 (0.2).
        let targets = Tensor([1, 1, 0, 0, 1])
        let predictions = Tensor([0.9, 0.2, 0.8, 0.1, 0.6])
        let precision = Metrics.Precision()
        let recall = try Metrics.Recall(configuration: Metrics.Recall().configuration)
        precision.update(yTrue: targets, yPred: predictions)
        recall.update(yTrue: targets, yPred: predictions)
        #expect(precision.truePositives.value == Tensor([2]) && precision.falsePositives.value == Tensor([1]))
        #expect(recall.truePositives.value == Tensor([2]) && recall.falseNegatives.value == Tensor([1]))
        #expect(precision.result() == Float(2) / 3 && recall.result() == Float(2) / 3)
        recall.update(yTrue: Tensor([1, 1]), yPred: Tensor([0.1, 0.2]))
        #expect(recall.resultsPerThreshold() == [0.4])   // tp 2, fn 1 + 2
        recall.reset()
        #expect(recall.falseNegatives.value == Tensor([0]) && recall.result() == 0)
    }
}
