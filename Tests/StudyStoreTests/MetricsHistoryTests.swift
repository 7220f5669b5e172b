import Testing
import StudyStore

/// `MetricsHistory`, a trial's learning curves (Keras Tuner's `trial.metrics`): seed 002 reads the
/// best trial's `metrics.get_last_value("val_accuracy")`, which is `lastValue("val_accuracy")` here.
@Suite struct MetricsHistoryTests {
    /// The book's best trial ends its 10 epochs at 0.8736000061035156 (its score too); curves given
    /// out of step order are sorted, so the last value is the one of the highest step.
    @Test func lastValueIsTheValueOfTheLastStep() {
        let history = MetricsHistory(curves: [
            "val_accuracy": [
                MetricPoint(step: 9, value: 0.8736000061035156),
                MetricPoint(step: 0, value: 0.8208000063896179),
                MetricPoint(step: 4, value: 0.8740000128746033),
            ],
            "loss": [MetricPoint(step: 0, value: 0.9), MetricPoint(step: 1, value: .nan)],
        ])
        #expect(history.lastValue("val_accuracy") == 0.8736000061035156)
        #expect(history.values("val_accuracy") == [0.8208000063896179, 0.8740000128746033, 0.8736000061035156])
        // The last value is not the best one: get_last_value and the best epoch differ here.
        #expect(history.bestValue("val_accuracy", maximize: true) == 0.8740000128746033)
        // A diverged last epoch is reported as it is (NaN), while the best value skips it.
        #expect(history.lastValue("loss")?.isNaN == true)
        #expect(history.bestValue("loss", maximize: false) == 0.9)
        #expect(history.lastValue("accuracy") == nil)
        #expect(MetricsHistory().lastValue("val_accuracy") == nil)
        #expect(history.lastValues["val_accuracy"] == history.lastValue("val_accuracy"))
        #expect(history.stepCount == 10)
    }
}
