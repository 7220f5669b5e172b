import Foundation
import Neural
import StudyFileRuntime
import StudyFiles
import TestSupport
import Testing
import Tuning

@Suite struct TemplateBuildTests {
    static let yaml = """
    name: template
    objective: { metric: val_accuracy }
    oracle: { type: random, max_trials: 2 }
    hyperparameters:
      n_hidden: { type: int, min: 0, max: 5, default: 1 }
      n_neurons: { type: int, min: 4, max: 32, default: 8 }
      use_dropout: { type: boolean }
      rate: { type: float, min: 0.1, max: 0.5, when: { use_dropout: [true] } }
      optimizer: { type: choice, values: [sgd, adam] }
      learning_rate: { type: float, min: 1e-4, max: 1e-1, sampling: log, default: 1e-3 }
      momentum: { type: float, min: 0.5, max: 0.95, default: 0.9, when: { optimizer: [sgd] } }
    data: { source: csv, path: data.csv, label: y, validation: 1 }
    model:
      - input_layer: { shape: [3] }
      - repeat: n_hidden
        layers:
          - dense: { units: n_neurons, activation: relu }
      - layers:
          - dropout: { rate: rate }
          - Dense: { units: 4 }
        when: { use_dropout: [true] }
      - dense: { units: 2, activation: softmax }
    compile:
      loss: sparse_categorical_crossentropy
      optimizer: optimizer
      learning_rate: learning_rate
      optimizer_options: { momentum: momentum }
      metrics: [accuracy]
    fit: { epochs: 1, batch_size: 4 }
    """

    static func study() throws -> (StudyFile, String) {
        let directory = try makeTemporaryDirectory()
        try write("a,b,c,y\n0,0,0,0\n1,1,1,1\n", to: "\(directory)/data.csv")
        return (try StudyFile.parse(yaml: yaml, fileName: "template.yaml", directory: directory), directory)
    }

    static func trialHP(_ study: StudyFile, _ values: [String: HyperParameterValue]) throws -> HyperParameters {
        try HyperParameters(space: study.searchSpace(), values: values)
    }

    @Test func repeatBuildsTheCountTheHyperparameterSays() throws {
        let (study, directory) = try Self.study()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hyperModel = try StudyFileHyperModel(study: study)
        let hp = try Self.trialHP(study, ["n_hidden": 3, "n_neurons": 16])
        let model = try #require(try hyperModel.build(hp) as? Sequential)
        let dense = model.layers.compactMap { $0 as? Dense }
        // input layer + 3 repeated dense + output dense
        #expect(model.layers.count == 5)
        #expect(dense.map(\.units) == [16, 16, 16, 2])
    }

    @Test func conditionalBlockFollowsItsCondition() throws {
        let (study, directory) = try Self.study()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hyperModel = try StudyFileHyperModel(study: study)
        let off = try #require(try hyperModel.build(try Self.trialHP(study, ["n_hidden": 0, "use_dropout": false])) as? Sequential)
        #expect(off.layers.count == 2)
        #expect(!off.layers.contains { $0 is Dropout })
        let on = try #require(try hyperModel.build(try Self.trialHP(study, ["n_hidden": 0, "use_dropout": true, "rate": 0.25])) as? Sequential)
        #expect(on.layers.count == 4)
        let dropout = try #require(on.layers.compactMap { $0 as? Dropout }.first)
        #expect(dropout.configuration["rate"]?.doubleValue == 0.25)
    }

    @Test func compilePicksTheOptimizerAndLearningRateFromTheTrial() throws {
        let (study, directory) = try Self.study()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hyperModel = try StudyFileHyperModel(study: study)
        let sgdModel = try hyperModel.build(try Self.trialHP(study, ["optimizer": "sgd", "learning_rate": 0.05, "momentum": 0.7]))
        let sgd = try #require(sgdModel.optimizer as? SGD)
        #expect(abs(sgd.currentLearningRate - 0.05) < 1e-7)
        #expect(abs(sgd.momentum - 0.7) < 1e-9)
        let adamModel = try hyperModel.build(try Self.trialHP(study, ["optimizer": "adam", "learning_rate": 0.002]))
        let adam = try #require(adamModel.optimizer as? Adam)
        #expect(abs(adam.currentLearningRate - 0.002) < 1e-7)
        #expect(adamModel.isCompiled)
    }

    @Test func defineHyperParametersDeclaresTheSpaceWithConditions() throws {
        let (study, directory) = try Self.study()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hp = HyperParameters()
        try study.defineHyperParameters(in: hp)
        #expect(hp.space == study.searchSpace())
        #expect(hp.space["rate"]?.conditions == [Condition(parent: "use_dropout", values: [true])])
        #expect(!hp.isActive("rate"))
        #expect(hp.isActive("momentum"))
    }

    @Test func explicitReferenceFormResolvesAStringThatWouldBeALiteral() throws {
        let yaml = """
        name: ref
        objective: loss
        oracle: { type: grid }
        hyperparameters:
          act: { type: choice, values: [relu, tanh] }
        data: { source: csv, path: data.csv, label: y }
        model:
          - dense: { units: 2, activation: { hp: act } }
        compile: { loss: mse, optimizer: sgd }
        fit: { epochs: 1 }
        """
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("a,y\n0,0\n", to: "\(directory)/data.csv")
        let study = try StudyFile.parse(yaml: yaml, fileName: "ref.yaml", directory: directory)
        guard case .sequential(let items)? = study.modelStudy?.model, case .layer(let spec)? = items.first else {
            Issue.record("not a sequential model with a layer")
            return
        }
        #expect(spec.arguments["activation"] == .hyperParameter("act"))
        let model = try #require(try StudyFileHyperModel(study: study).build(try Self.trialHP(study, ["act": "tanh"])) as? Sequential)
        #expect(model.layers.first?.configuration["activation"] == "tanh")
    }
}
