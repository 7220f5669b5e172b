import Foundation
import Neural
import StudyFiles
import TestSupport
import Testing
import Tuning

@Suite struct ShippedStudiesTests {
    static let files = [
        "fashion-mnist-random.yaml", "fashion-mnist-hyperband.yaml", "fashion-mnist-bayesian.yaml",
        "housing-regression.yaml", "housing-wide-deep.yaml", "quadratic-command.yaml", "fashion-mnist-cnn-hyperband.yaml",
        "fashion-mnist-pareto.yaml",
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

    /// The two-objective study: accuracy up, the measured parameter count down, a limit on epoch time.
    @Test func paretoStudyHasTwoObjectivesAndAConstraint() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/fashion-mnist-pareto.yaml")
        #expect(study.objectives == [.maximize("val_accuracy"), .minimize("params")])
        #expect(study.constraints == [MetricConstraint(metric: "epoch_seconds", .max, 2)])
        #expect(study.oracle.kind == .random)
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
    }

    @Test func cnnStudyIsAHyperbandStudyOverFourHyperparameters() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/fashion-mnist-cnn-hyperband.yaml")
        #expect(study.oracle.kind == .hyperband)
        #expect(Set(study.searchSpace().names) == ["filters", "kernel_size", "dropout", "learning_rate"])
    }

    @Test func bayesianStudyMatchesTheBook() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/fashion-mnist-bayesian.yaml")
        #expect(study.oracle.kind == .bayesian)
        #expect(study.oracle.maxTrials == 10)
        #expect(study.oracle.alpha == 1e-4)
        #expect(study.oracle.beta == 2.6)
        #expect(study.searchSpace()["normalize"]?.typeName == "Boolean")
    }

    @Test func regressionStudyInfersMinimizeAndHasConditions() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/housing-regression.yaml")
        #expect(study.objective == .minimize("val_loss"))
        let space = study.searchSpace()
        #expect(space["dropout_rate"]?.conditions == [Condition(parent: "use_dropout", values: [.bool(true)])])
        #expect(space["momentum"]?.conditions == [Condition(parent: "optimizer", values: ["sgd"])])
    }

    @Test func commandStudyReadsItsCommand() throws {
        let study = try StudyFile.load(path: "\(packageRoot)/Studies/quadratic-command.yaml")
        let command = try #require(study.commandStudy)
        #expect(command.workdir.hasSuffix("Studies/scripts"))
        #expect(command.timeout == 60)
        #expect(study.modelStudy == nil)
    }
}
