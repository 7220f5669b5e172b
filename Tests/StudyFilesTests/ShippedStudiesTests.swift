import Foundation
import Neural
import StudyFiles
import Testing
import Tuning

@Suite struct ShippedStudiesTests {
    static let files = [
        "fashion-mnist-random.yaml", "fashion-mnist-hyperband.yaml", "fashion-mnist-bayesian.yaml",
        "housing-regression.yaml", "housing-wide-deep.yaml", "quadratic-command.yaml", "fashion-mnist-cnn-hyperband.yaml",
    ]

    @Test(arguments: files)
    func shippedStudyLoadsAndValidates(file: String) throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/\(file)")
        #expect(study.name + ".yaml" == file)
        #expect(!study.searchSpace().isEmpty)
    }

    @Test func theStudiesFolderHoldsExactlyTheShippedStudies() throws {
        let found = try FileManager.default.contentsOfDirectory(atPath: "\(packageRoot)/Studies").filter { $0.hasSuffix(".yaml") }
        #expect(Set(found) == Set(Self.files))
    }

    @Test func randomStudyMatchesTheBook() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/fashion-mnist-random.yaml")
        #expect(study.objective == .maximize("val_accuracy"))
        #expect(study.oracle.kind == .random)
        #expect(study.oracle.maxTrials == 5)
        #expect(study.oracle.seed == 42)
        let space = study.searchSpace()
        #expect(space.names == ["n_hidden", "n_neurons", "learning_rate", "optimizer"])
        let nHidden = try #require(space["n_hidden"])
        #expect(nHidden.defaultValue == .int(2))
        guard case .float(let rate)? = space["learning_rate"]?.kind else {
            Issue.record("learning_rate is not a float")
            return
        }
        #expect(rate.sampling == .log)
        #expect(rate.min == 1e-4 && rate.max == 1e-2)
        let model = try #require(study.modelStudy)
        #expect(model.fit.epochs == 10)
        #expect(model.data.source == .fashionMNIST(directory: FashionMNIST.defaultDirectory))
        #expect(model.data.validation == .count(5000))
        #expect(model.data.scaling == .divide(255))
    }

    @Test func hyperbandStudyMatchesTheBook() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/fashion-mnist-hyperband.yaml")
        #expect(study.oracle.kind == .hyperband)
        #expect(study.oracle.maxEpochs == 10)
        #expect(study.oracle.factor == 3)
        #expect(study.oracle.hyperbandIterations == 2)
        let fit = try #require(study.modelStudy?.fit)
        #expect(fit.earlyStopping == EarlyStoppingSettings(monitor: "val_loss", patience: 2))
        #expect(fit.normalize == .hyperParameter("normalize"))
        #expect(study.oracle.storeConfigurationJSON.contains("\"hyperband_iterations\": 2"))
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

    @Test func bayesianStudyMatchesTheBook() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/fashion-mnist-bayesian.yaml")
        #expect(study.oracle.kind == .bayesian)
        #expect(study.oracle.maxTrials == 10)
        #expect(study.oracle.alpha == 1e-4)
        #expect(study.oracle.beta == 2.6)
        #expect(study.searchSpace()["normalize"]?.typeName == "Boolean")
        let oracle = try study.oracle.makeOracle(objective: study.objective, searchSpace: study.searchSpace())
        #expect(oracle.maxTrials == 10)
    }

    @Test func regressionStudyInfersMinimizeAndHasConditions() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/housing-regression.yaml")
        #expect(study.objective == .minimize("val_loss"))
        let space = study.searchSpace()
        #expect(space["dropout_rate"]?.conditions == [Condition(parent: "use_dropout", values: [.bool(true)])])
        #expect(space["momentum"]?.conditions == [Condition(parent: "optimizer", values: ["sgd"])])
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

    @Test func commandStudyReadsItsCommand() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/quadratic-command.yaml")
        let command = try #require(study.commandStudy)
        #expect(command.workdir.hasSuffix("Studies/scripts"))
        #expect(command.timeout == 60)
        #expect(study.modelStudy == nil)
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
        #expect(hyperband.storeConfigurationJSON
            == #"{"executions_per_trial": 1, "factor": 3, "hyperband_iterations": 2, "max_consecutive_failed_trials": 3, "max_epochs": 9, "max_retries_per_trial": 0, "seed": 1}"#)
        #expect(OracleSection(kind: .bayesian, maxTrials: 6).storeConfiguration["acquisition"] == .string("log_ei"))
    }
}
