import Foundation
import Neural
import StudyFileRuntime
import StudyFiles
import TestSupport
import Testing
import Tuning

/// The shipped studies at work: their hypermodels build and train, their data loads, their oracle
/// sections make oracles and stored configurations (what they declare is checked in StudyFilesTests).
@Suite struct ShippedStudiesRuntimeTests {
    @Test func hyperbandStudyStoresItsIterations() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/fashion-mnist-hyperband.yaml")
        #expect(study.oracle.tunerSettings.displayConfiguration["hyperband_iterations"] == .int(2))
    }

    @Test func cnnStudyBuildsConvolutionsAndTrains() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/fashion-mnist-cnn-hyperband.yaml")
        #expect(study.oracle.kind == .hyperband)
        #expect(Set(study.searchSpace().names) == ["filters", "kernel_size", "dropout", "learning_rate"])
        let hyperModel = try StudyFileHyperModel(study: study)
        let hp = HyperParameters()
        let model = try hyperModel.build(hp)
        #expect(hp.values["filters"] == .int(32))
        let x = GlobalRandom.withSeed(3) { Tensor(randomNormal: [64, 28, 28]) }
        let y = Tensor((0..<64).map { Float($0 % 10) })
        let history = try model.fit(x, y, batchSize: 32, epochs: 1, verbosity: .silent)
        #expect(history.last("loss")?.isFinite == true)
        let layers = try #require(model as? Sequential).layers
        #expect(layers.filter { $0 is Conv2D }.count == 2)
        #expect(layers.filter { $0 is MaxPooling2D }.count == 2)
    }

    @Test func bayesianStudyMakesItsOracle() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/fashion-mnist-bayesian.yaml")
        let oracle = try study.oracle.makeOracle(objective: study.objective, searchSpace: study.searchSpace())
        #expect(oracle.maxTrials == 10)
    }

    @Test func regressionStudyLoadsItsDataWithTheValidationSplit() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/housing-regression.yaml")
        let data = try StudyData.load(for: study)
        #expect(data.training.count == 1600)
        #expect(data.validation?.count == 400)
        #expect(data.training.inputs[0].shape == [1600, 8])
    }

    @Test func wideAndDeepStudyBuildsATwoInputModelAndSplitsTheColumns() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/housing-wide-deep.yaml")
        let hyperModel = try StudyFileHyperModel(study: study)
        let model = try hyperModel.build(HyperParameters())
        let functional = try #require(model as? Functional)
        #expect(functional.inputs.map(\.shape) == [[5], [6]])
        #expect(functional.outputNames == ["output", "aux_output"])
        #expect(model.lossWeights == [0.9, 0.1])
        let data = try StudyData.load(for: study)
        #expect(data.training.inputs.map { $0.shape } == [[1600, 5], [1600, 6]])
        #expect(data.training.targets.count == 2)
        let hp = HyperParameters()
        var arguments = hyperModel.fitArguments(data: data)
        arguments.epochs = 1
        let history = try GlobalRandom.withSeed(1) { try hyperModel.fit(hp, model: try hyperModel.build(hp), arguments: arguments) }
        for name in ["loss", "output_loss", "aux_output_loss", "val_loss", "val_output_root_mean_squared_error"] {
            #expect(history.values[name]?.count == 1, "\(name) missing from \(history.names)")
        }
    }
}

@Suite struct OracleSectionTests {
    @Test func everyKindMakesItsOracleWithTheFileSettings() throws {
        let space = try SearchSpace([try .int("n", min: 1, max: 4), try .float("x", min: 0, max: 1, step: 0.5)])
        let objective = Objective.minimize("loss")
        let kinds: [(OracleSection, String)] = [
            (OracleSection(kind: .random, maxTrials: 3, seed: 9), "random"),
            (OracleSection(kind: .grid), "grid"),
            (OracleSection(kind: .hyperband, seed: 1, maxEpochs: 9, factor: 3, hyperbandIterations: 2), "hyperband"),
            (OracleSection(kind: .bayesian, maxTrials: 6, alpha: 1e-3, beta: 3), "bayesian"),
            (OracleSection(kind: .tpe, maxTrials: 6, seed: 4, numInitialPoints: 2, numCandidates: 8), "\"kind\":\"tpe\""),
        ]
        for (settings, kind) in kinds {
            let oracle = try settings.makeOracle(objective: objective, searchSpace: space)
            #expect(oracle.searchSpace == space)
            #expect(oracle.seed == settings.seed)
            #expect(oracle.maxTrials == settings.maxTrials)
            let state = try oracle.exportState()
            let text = String(decoding: state, as: UTF8.self)
            #expect(text.contains(kind), "\(kind): \(text.prefix(200))")
        }
        let hyperband = OracleSection(kind: .hyperband, seed: 1, maxEpochs: 9, factor: 3, hyperbandIterations: 2)
        #expect(hyperband.tunerSettings.displayConfiguration
            == ["factor": 3, "hyperband_iterations": 2, "max_epochs": 9])
        #expect(OracleSection(kind: .bayesian, maxTrials: 6).tunerSettings.displayConfiguration["acquisition"] == .string("log_ei"))
    }
}
