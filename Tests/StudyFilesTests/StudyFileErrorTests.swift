import Foundation
import StudyFiles
import TestSupport
import Testing

/// A bad study file and what its first error must say.
struct BadStudy: CustomStringConvertible, Sendable {
    var label: String
    var yaml: String
    var line: Int
    var keyPath: String
    var messageFragment: String
    var suggestion: String? = nil

    var description: String { label }
}

/// A valid command study to mutate: line numbers below refer to this layout.
private func commandStudy(hyperparameters: String = "  x: { type: float, min: 0, max: 1 }", oracle: String = "{ type: random, max_trials: 3 }", command: String = "  run: echo {x}") -> String {
    """
    name: t
    objective: { metric: loss, direction: min }
    oracle: \(oracle)
    hyperparameters:
    \(hyperparameters)
    command:
    \(command)
    """
}

/// A valid model study on `csv` to mutate.
private func modelStudy(model: String, compile: String = "{ loss: mse, optimizer: adam, learning_rate: 0.01 }", data: String = "{ source: csv, path: data.csv, label: y }", extra: String = "") -> String {
    """
    name: m
    objective: val_loss
    oracle: { type: random, max_trials: 2 }
    hyperparameters:
      n_neurons: { type: int, min: 4, max: 16 }
      n_hidden: { type: int, min: 0, max: 3 }
      learning_rate: { type: float, min: 1e-4, max: 1e-1, sampling: log }
    \(extra)data: \(data)
    model:
    \(model)
    compile: \(compile)
    fit: { epochs: 1 }
    """
}

@Suite struct StudyFileErrorTests {
    static let cases: [BadStudy] = [
        BadStudy(
            label: "unknown top-level key with suggestion",
            yaml: commandStudy() + "\nobjectve: loss\n", line: 8, keyPath: "objectve", messageFragment: "unknown key \"objectve\"",
            suggestion: "objective"),
        BadStudy(
            label: "unknown hyperparameter key",
            yaml: commandStudy(hyperparameters: "  x: { type: float, min: 0, max: 1, samplin: log }"), line: 5,
            keyPath: "hyperparameters.x.samplin", messageFragment: "unknown key", suggestion: "sampling"),
        BadStudy(
            label: "wrong type for max_trials",
            yaml: commandStudy(oracle: "{ type: random, max_trials: five }"), line: 3, keyPath: "oracle.max_trials",
            messageFragment: "expected an integer, found the string \"five\""),
        BadStudy(
            label: "min above max",
            yaml: commandStudy(hyperparameters: "  x: { type: int, min: 9, max: 1 }"), line: 5, keyPath: "hyperparameters.x.min",
            messageFragment: "min 9 is above max 1"),
        BadStudy(
            label: "log sampling with min at zero",
            yaml: commandStudy(hyperparameters: "  x: { type: float, min: 0, max: 1, sampling: log }"), line: 5,
            keyPath: "hyperparameters.x.min", messageFragment: "log sampling needs positive bounds"),
        BadStudy(
            label: "bad oracle type",
            yaml: commandStudy(oracle: "{ type: randm, max_trials: 3 }"), line: 3, keyPath: "oracle.type",
            messageFragment: "\"randm\" is not one of random, grid, hyperband, bayesian, bohb, tpe", suggestion: "random"),
        BadStudy(
            label: "oracle without a type",
            yaml: commandStudy(oracle: "{ max_trials: 3 }"), line: 3, keyPath: "oracle.type",
            messageFragment: "missing required key \"type\""),
        BadStudy(
            label: "an argument the layer does not know",
            yaml: modelStudy(model: "  - dense: { units: 3, input_shape: [2] }"), line: 10, keyPath: "model[0].dense.input_shape",
            messageFragment: "unknown argument \"input_shape\" for Dense"),
        BadStudy(
            label: "hyperband option on a random oracle",
            yaml: commandStudy(oracle: "{ type: random, max_trials: 3, factor: 3 }"), line: 3, keyPath: "oracle.factor",
            messageFragment: "applies to the hyperband and bohb oracles"),
        BadStudy(
            label: "Bayesian option on a tpe oracle",
            yaml: commandStudy(oracle: "{ type: tpe, max_trials: 30, alpha: 0.001 }"), line: 3, keyPath: "oracle.alpha",
            messageFragment: "\"alpha\" applies to the bayesian oracle, not to tpe"),
        BadStudy(
            label: "tpe option on a Bayesian oracle",
            yaml: commandStudy(oracle: "{ type: bayesian, max_trials: 30, num_candidates: 48 }"), line: 3, keyPath: "oracle.num_candidates",
            messageFragment: "\"num_candidates\" applies to the tpe oracle, not to bayesian"),
        BadStudy(
            label: "initial points on a random oracle",
            yaml: commandStudy(oracle: "{ type: random, max_trials: 3, num_initial_points: 2 }"), line: 3, keyPath: "oracle.num_initial_points",
            messageFragment: "\"num_initial_points\" applies to the bayesian and tpe oracles, not to random"),
        BadStudy(
            label: "tpe oracle without max_trials",
            yaml: commandStudy(oracle: "{ type: tpe }"), line: 3, keyPath: "oracle.max_trials",
            messageFragment: "the tpe oracle needs max_trials"),
        BadStudy(
            label: "tpe oracle with no candidates",
            yaml: commandStudy(oracle: "{ type: tpe, max_trials: 5, num_candidates: 0 }"), line: 3, keyPath: "oracle.num_candidates",
            messageFragment: "0 is out of range"),
        BadStudy(
            label: "undefined placeholder in the command",
            yaml: commandStudy(command: "  run: echo {xx}"), line: 7, keyPath: "command.run",
            messageFragment: "unknown hyperparameter \"xx\"", suggestion: "x"),
        BadStudy(
            label: "condition on an undefined parent",
            yaml: commandStudy(hyperparameters: "  x: { type: float, min: 0, max: 1 }\n  z: { type: float, min: 0, max: 1, when: { xx: [1] } }"),
            line: 6, keyPath: "hyperparameters.z.when.xx", messageFragment: "unknown hyperparameter \"xx\"", suggestion: "x"),
        BadStudy(
            label: "condition value the parent can never take",
            yaml: commandStudy(hyperparameters: "  o: { type: choice, values: [sgd, adam] }\n  z: { type: float, min: 0, max: 1, when: { o: [adamw] } }"),
            line: 6, keyPath: "hyperparameters.z.when.o[0]", messageFragment: "\"o\" can never be adamw"),
        BadStudy(
            label: "YAML syntax error",
            yaml: "name: t\nobjective: { metric: loss\noracle: { type: random }\n", line: 3, keyPath: "",
            messageFragment: "YAML syntax error"),
        BadStudy(
            label: "missing required section",
            yaml: "name: t\nobjective: loss\nhyperparameters: {}\ncommand: echo 1\n", line: 1, keyPath: "oracle",
            messageFragment: "missing required key \"oracle\""),
        BadStudy(
            label: "misspelled hyperparameter in a layer argument",
            yaml: modelStudy(model: "  - dense: { units: n_neuron }\n  - dense: { units: 1 }"), line: 10,
            keyPath: "model[0].dense.units", messageFragment: "unknown hyperparameter \"n_neuron\"", suggestion: "n_neurons"),
        BadStudy(
            label: "undefined {hp: name} reference",
            yaml: modelStudy(model: "  - dense: { units: { hp: width } }"), line: 10, keyPath: "model[0].dense.units.hp",
            messageFragment: "unknown hyperparameter \"width\""),
        BadStudy(
            label: "unknown layer with suggestion",
            yaml: modelStudy(model: "  - dens: { units: 3 }"), line: 10, keyPath: "model[0].dens",
            messageFragment: "unknown layer \"dens\"", suggestion: "dense"),
        BadStudy(
            label: "unknown layer argument",
            yaml: modelStudy(model: "  - dense: { units: 3, activaton: relu }"), line: 10, keyPath: "model[0].dense.activaton",
            messageFragment: "unknown argument \"activaton\" for Dense", suggestion: "activation"),
        BadStudy(
            label: "wrong type for a layer argument",
            yaml: modelStudy(model: "  - dense: { units: many }"), line: 10, keyPath: "model[0].dense.units",
            messageFragment: "should be an integer"),
        BadStudy(
            label: "repeat count naming a float hyperparameter",
            yaml: modelStudy(model: "  - repeat: learning_rate\n    layers: [ { dense: { units: 2 } } ]"), line: 10,
            keyPath: "model[0].repeat", messageFragment: "needs a non-negative integer hyperparameter"),
        BadStudy(
            label: "unknown optimizer",
            yaml: modelStudy(model: "  - dense: { units: 1 }", compile: "{ loss: mse, optimizer: adamm }"), line: 11,
            keyPath: "compile.optimizer", messageFragment: "unknown optimizer \"adamm\"", suggestion: "adam"),
        BadStudy(
            label: "loss weights that do not match the outputs",
            yaml: modelStudy(model: "  - dense: { units: 1 }", compile: "{ loss: mse, optimizer: adam, loss_weights: [0.9, 0.1] }"), line: 11,
            keyPath: "compile.loss_weights", messageFragment: "2 weights for a model with 1 output"),
        BadStudy(
            label: "missing data file",
            yaml: modelStudy(model: "  - dense: { units: 1 }", data: "{ source: csv, path: nowhere.csv, label: y }"), line: 8,
            keyPath: "data.path", messageFragment: "nowhere.csv\" does not exist"),
        BadStudy(
            label: "objective metric the model does not log",
            yaml: modelStudy(model: "  - dense: { units: 1 }").replacingOccurrences(of: "objective: val_loss", with: "objective: { metric: mea, direction: min }")
                .replacingOccurrences(of: "learning_rate: 0.01 }", with: "learning_rate: 0.01, metrics: [mae] }"),
            line: 2, keyPath: "objective.metric", messageFragment: "the model does not log \"mea\"", suggestion: "mae"),
        BadStudy(
            label: "validation metric without validation data",
            yaml: modelStudy(model: "  - dense: { units: 1 }"), line: 2, keyPath: "objective.metric",
            messageFragment: "needs validation data"),
        BadStudy(
            label: "early stopping on a metric the model does not log",
            yaml: modelStudy(model: "  - dense: { units: 1 }", data: "{ source: csv, path: data.csv, label: y, validation: 1 }")
                .replacingOccurrences(of: "fit: { epochs: 1 }", with: "fit: { epochs: 1, early_stopping: { monitor: val_los } }"),
            line: 12, keyPath: "fit.early_stopping.monitor", messageFragment: "does not log \"val_los\"", suggestion: "val_loss"),
        BadStudy(
            label: "functional node taking an undefined name",
            yaml: modelStudy(model: "  inputs: { a: [1] }\n  nodes:\n    - name: out\n      inputs: [b]\n      dense: { units: 1 }\n  outputs: [out]"),
            line: 13, keyPath: "model.nodes[0].inputs[0]", messageFragment: "\"b\" is not an input or an earlier node", suggestion: "a"),
        BadStudy(
            label: "functional graph whose shapes do not fit",
            yaml: modelStudy(model: "  inputs: { a: [2], b: [3, 4] }\n  nodes:\n    - name: c\n      inputs: [a, b]\n      concatenate: {}\n  outputs: [c]", data: "{ source: csv, path: data.csv, label: y, validation: 1 }"),
            line: 12, keyPath: "model.nodes[0]", messageFragment: "are not compatible"),
        BadStudy(
            label: "grid search over a continuous float",
            yaml: commandStudy(oracle: "{ type: grid }"), line: 5, keyPath: "hyperparameters.x",
            messageFragment: "grid search needs a step"),
        BadStudy(
            label: "objective direction that cannot be inferred",
            yaml: commandStudy().replacingOccurrences(of: "{ metric: loss, direction: min }", with: "score"), line: 2,
            keyPath: "objective.direction", messageFragment: "add direction: min or direction: max"),
        BadStudy(
            label: "hyperparameter names giving the same environment variable",
            yaml: commandStudy(hyperparameters: "  a=b: { type: float, min: 0, max: 1 }\n  a_b: { type: float, min: 0, max: 1 }",
                               command: "  run: echo $TUNER_HP_A_B"),
            line: 6, keyPath: "hyperparameters.a_b",
            messageFragment: "hyperparameters \"a=b\" and \"a_b\" would both be passed as the environment variable TUNER_HP_A_B"),
    ]

    @Test(arguments: cases)
    func badStudyFileIsRefusedWithItsLocation(_ bad: BadStudy) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("x1,y\n1,2\n3,4\n", to: "\(directory)/data.csv")
        do {
            _ = try StudyFile.parse(yaml: bad.yaml, fileName: "bad.yaml", directory: directory)
            Issue.record("\(bad.label): accepted")
        } catch {
            let issue = try #require(error.issues.first)
            #expect(issue.line == bad.line, "\(bad.label): \(error)")
            #expect(issue.keyPath == bad.keyPath, "\(bad.label): \(error)")
            #expect(issue.message.contains(bad.messageFragment), "\(bad.label): \(error)")
            #expect(issue.suggestion == bad.suggestion, "\(bad.label): \(error)")
            #expect(issue.file == "bad.yaml")
        }
    }

    @Test func descriptionShowsFileLineColumnKeyAndSuggestion() throws {
        let yaml = modelStudy(model: "  - dense: { units: n_neuron }")
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("x1,y\n1,2\n", to: "\(directory)/data.csv")
        do {
            _ = try StudyFile.parse(yaml: yaml, fileName: "Studies/x.yaml", directory: directory)
            Issue.record("accepted")
        } catch {
            #expect(error.description == "Studies/x.yaml:10:21: model[0].dense.units: unknown hyperparameter \"n_neuron\" (did you mean \"n_neurons\"?)")
        }
    }

    @Test func severalErrorsAreReportedTogetherInFileOrder() throws {
        let yaml = """
        name: t
        objective: { metric: loss, direction: min }
        oracle: { type: random, max_trials: 0 }
        hyperparameters:
          x: { type: float, min: 2, max: 1 }
          y: { type: int, min: 0, max: 3, step: two }
        command:
          run: echo {x} {w}
        """
        do {
            _ = try StudyFile.parse(yaml: yaml, fileName: "multi.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.issues.map(\.line) == [3, 5, 6, 8])
            #expect(error.issues.map(\.keyPath) == ["oracle.max_trials", "hyperparameters.x.min", "hyperparameters.y.step", "command.run"])
        }
    }

    @Test func missingStudyFileNamesThePath() {
        do {
            _ = try StudyFile.load(path: "/nonexistent/study.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.file == "/nonexistent/study.yaml")
            #expect(error.message.contains("does not exist"))
        }
    }
}
