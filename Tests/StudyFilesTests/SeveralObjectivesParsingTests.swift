import Foundation
import StudyFiles
import TestSupport
import Testing
import Tuning

/// `objectives:` (several) and `constraints:` in study files: read with directions (built-in model
/// metrics are minimized), and every mistake reported at its key path.
@Suite struct SeveralObjectivesParsingTests {
    /// A model study with `head` in place of its objective section and `oracle` as its oracle.
    static func parse(_ head: String, oracle: String = "{ type: random, max_trials: 3 }") throws(StudyFileError) -> StudyFile {
        let yaml = """
        name: mo
        \(head)
        oracle: \(oracle)
        hyperparameters:
          units: { type: int, min: 4, max: 8 }
        data: { source: fashion-mnist, validation: 100, scale: 255 }
        model:
          - flatten
          - dense: { units: units, activation: relu }
          - dense: { units: 10, activation: softmax }
        compile: { loss: sparse_categorical_crossentropy, optimizer: adam, metrics: [accuracy] }
        fit: { epochs: 1 }
        """
        return try StudyFile.parse(yaml: yaml, fileName: "mo.yaml")
    }

    /// The key paths of the problems `head` has, or [] when it is accepted.
    static func problems(_ head: String, oracle: String = "{ type: random, max_trials: 3 }") -> [String] {
        do {
            _ = try parse(head, oracle: oracle)
            return []
        } catch {
            return error.issues.map(\.keyPath).sorted()
        }
    }

    @Test func objectivesAndConstraintsAreRead() throws {
        let study = try Self.parse("""
            objectives: [val_accuracy, params, { metric: inference_microseconds, direction: min }]
            constraints: [{ metric: epoch_seconds, max: 3 }, { metric: accuracy, min: 0.5 }]
            """)
        #expect(study.objectives == [.maximize("val_accuracy"), .minimize("params"), .minimize("inference_microseconds")])
        #expect(study.constraints == [MetricConstraint(metric: "epoch_seconds", .max, 3), MetricConstraint(metric: "accuracy", .min, 0.5)])
        #expect(try Self.parse("objective: val_accuracy").objectives == [.maximize("val_accuracy")])
    }

    @Test func mistakesAreReportedWhereTheyAre() {
        #expect(Self.problems("objective: val_accuracy\nobjectives: [params]") == ["objectives"])
        #expect(Self.problems("description: none") == ["objective"])
        #expect(Self.problems("objectives: []") == ["objectives"])
        #expect(Self.problems("objectives: [val_accuracy, val_accuracy]") == ["objectives[1]"])
        #expect(Self.problems("objectives: [val_accuracy, val_top5]") == ["objectives[1].direction"])
        #expect(Self.problems("objectives: [val_accuracy, { metric: val_auc, direction: max }]") == ["objectives[1].metric"])
        #expect(Self.problems("objective: val_accuracy\nconstraints: [{ metric: gpu_memory, max: 3 }]") == ["constraints[0].metric"])
        #expect(Self.problems("objective: val_accuracy\nconstraints: [{ metric: params, max: 3, min: 1 }]") == ["constraints[0]"])
        #expect(Self.problems("objective: val_accuracy\nconstraints: [{ metric: params }]") == ["constraints[0]"])
        #expect(Self.problems("objective: val_accuracy\nconstraints: [{ metric: params, max: lots }]") == ["constraints[0].max"])
        #expect(Self.problems("objectives: [val_accuracy, params]", oracle: "{ type: hyperband, max_epochs: 3 }").isEmpty)
        #expect(Self.problems("objectives: [val_accuracy, params]", oracle: "{ type: bayesian, max_trials: 3 }").isEmpty)
        #expect(Self.problems("objectives: [val_accuracy, params]\nconstraints: [{ metric: params, max: 9 }]",
                                oracle: "{ type: bohb, max_epochs: 3 }").isEmpty)
        // Of the pruners only asha judges several objectives (it ranks a rung by non-dominated sorting).
        #expect(Self.problems("objectives: [val_accuracy, params]\npruner: { type: asha, min_epochs: 1 }").isEmpty)
        #expect(Self.problems("objectives: [val_accuracy, params]\npruner: { type: median }") == ["pruner.type"])
        #expect(Self.problems("objective: val_accuracy\nconstraints: [{ metric: params, max: 9 }]\npruner: { type: median }").isEmpty)
    }
}
