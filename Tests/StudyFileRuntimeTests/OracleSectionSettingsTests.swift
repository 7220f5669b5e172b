import Foundation
import StudyFileRuntime
import StudyFiles
import TestSupport
import Testing
import TunerKit
import Tuning

/// An oracle section gives TunerKit's `OracleSettings` for the algorithm (only its kind's settings, with
/// Keras Tuner's defaults) and keeps its own seed, executions and failure limits.
@Suite struct OracleSectionSettingsTests {
    @Test func eachKindHoldsTheTunerSettingsOfItsKind() {
        #expect(OracleSection(kind: .random, maxTrials: 3, seed: 9).tunerSettings == .randomSearch(maxTrials: 3))
        #expect(OracleSection(kind: .grid).tunerSettings == .gridSearch())
        #expect(OracleSection(kind: .hyperband, maxEpochs: 9, hyperbandIterations: 2).tunerSettings
            == .hyperband(maxEpochs: 9, factor: 3, iterations: 2))
        #expect(OracleSection(kind: .bayesian, maxTrials: 6, alpha: 1e-3, acquisition: .upperConfidenceBound).tunerSettings
            == .bayesian(maxTrials: 6, alpha: 1e-3, beta: 2.6, acquisition: "ucb"))
        #expect(OracleSection(kind: .tpe, maxTrials: 50).tunerSettings == .tpe(maxTrials: 50))
        #expect(OracleSection(kind: .tpe, maxTrials: 50, numInitialPoints: 5, numCandidates: 48).tunerSettings
            == .tpe(maxTrials: 50, numInitialPoints: 5, numCandidates: 48))
    }

    /// `acquisition: hedge` names scikit-optimize's GP-Hedge portfolio, through the section and the
    /// settings to the oracle's strategy.
    @Test func theHedgeAcquisitionReachesTheOracle() throws {
        let settings = OracleSection(kind: .bayesian, maxTrials: 6, acquisition: .hedge).tunerSettings
        #expect(settings == .bayesian(maxTrials: 6, alpha: 1e-4, beta: 2.6, acquisition: "hedge"))
        let oracle = try settings.makeOracle(objective: .minimize("loss"), searchSpace: SearchSpace(), seed: 1)
        let bayesian = try #require(oracle as? BayesianOptimizationOracle)
        #expect(bayesian.state.strategy.acquisition == .hedge)
        #expect(bayesian.state.strategy.optimizer.configuration.acquisition == .hedge(.scikitOptimize))
    }

    @Test func eachKindIsTheTunersKindOfTheSameName() {
        for kind in OracleSection.Kind.allCases {
            #expect(kind.tunerKind.rawValue == kind.rawValue)
        }
        #expect(OracleSection.Kind.allCases.map(\.rawValue) == OracleSettings.Kind.allCases.map(\.rawValue))
    }

    @Test func settingsReadAndWriteThroughTheSection() {
        var section = OracleSection(kind: .hyperband, maxEpochs: 4)
        section.factor = 2
        section.maxTrials = 7
        #expect(section.tunerSettings == .hyperband(maxEpochs: 4, factor: 2, iterations: 1, maxTrials: 7))
        #expect(section.kind == .hyperband && section.maxEpochs == 4)
        #expect(section.executionsPerTrial == 1 && section.maxRetriesPerTrial == 0 && section.maxConsecutiveFailedTrials == 3)
    }

    /// What a study keeps of its oracle (beside the seed and executions per trial, which the study's
    /// definition adds) is the settings' display configuration.
    @Test func theDisplayedConfigurationHasTheKindsSettings() {
        let bayesian = OracleSection(kind: .bayesian, maxTrials: 6, alpha: 1e-3, beta: 3)
        #expect(bayesian.tunerSettings.displayConfiguration["alpha"] == .double(1e-3))
        #expect(bayesian.tunerSettings.displayConfiguration["beta"] == .double(3))
        #expect(bayesian.tunerSettings.displayConfiguration["acquisition"] == .string("log_ei"))
        #expect(bayesian.tunerSettings.displayConfiguration["max_trials"] == .int(6))
        let random = OracleSection(kind: .random, maxTrials: 2, seed: 5, executionsPerTrial: 2, maxRetriesPerTrial: 1)
        #expect(random.tunerSettings.displayConfiguration == ["max_trials": 2])
        let tpe = OracleSection(kind: .tpe, maxTrials: 50, numInitialPoints: 5, numCandidates: 48)
        #expect(tpe.tunerSettings.displayConfiguration == ["max_trials": 50, "num_initial_points": 5, "num_candidates": 48])
    }

    @Test func aParsedFileGivesTheSettingsItNames() throws {
        let hyperband = try StudyFile.load(path: "\(packageRoot)/Studies/fashion-mnist-hyperband.yaml")
        #expect(hyperband.oracle.tunerSettings == .hyperband(maxEpochs: 10, factor: 3, iterations: 2, maxTrials: hyperband.oracle.maxTrials))
        let bayesian = try StudyFile.load(path: "\(packageRoot)/Studies/fashion-mnist-bayesian.yaml")
        #expect(bayesian.oracle.tunerSettings == .bayesian(maxTrials: 10, alpha: 1e-4, beta: 2.6, acquisition: "log_ei"))
        #expect(bayesian.oracle.seed == 42)
    }
}
