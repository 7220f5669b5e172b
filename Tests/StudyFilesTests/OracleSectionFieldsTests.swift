import StudyFiles
import TestSupport
import Testing

/// An oracle section as read: its kind's settings with Keras Tuner's defaults, the other kinds'
/// settings left out, and its own seed, executions and failure limits (the tuner's settings made from
/// it are tested in StudyFileRuntimeTests).
@Suite struct OracleSectionFieldsTests {
    @Test func eachKindSetsOnlyItsOwnSettings() {
        let random = OracleSection(kind: .random, maxTrials: 3, seed: 9, maxEpochs: 4, alpha: 1)
        #expect(random.maxTrials == 3 && random.seed == 9)
        #expect(random.maxEpochs == nil && random.factor == nil && random.alpha == nil && random.acquisition == nil)
        let hyperband = OracleSection(kind: .hyperband, maxEpochs: 9, hyperbandIterations: 2)
        #expect(hyperband.maxEpochs == 9 && hyperband.factor == 3 && hyperband.hyperbandIterations == 2)
        #expect(hyperband.numInitialPoints == nil && hyperband.beta == nil)
        let bayesian = OracleSection(kind: .bayesian, maxTrials: 6, alpha: 1e-3, acquisition: .upperConfidenceBound)
        #expect(bayesian.alpha == 1e-3 && bayesian.beta == 2.6 && bayesian.acquisition == "ucb")
        #expect(bayesian.maxEpochs == nil && bayesian.factor == nil)
        #expect(bayesian.executionsPerTrial == 1 && bayesian.maxRetriesPerTrial == 0 && bayesian.maxConsecutiveFailedTrials == 3)
    }

    @Test func aParsedFileHoldsTheSettingsItNames() throws {
        let hyperband = try StudyFile.load(path: "\(packageRoot)/Studies/fashion-mnist-hyperband.yaml")
        #expect(hyperband.oracle.kind == .hyperband)
        #expect(hyperband.oracle.maxEpochs == 10 && hyperband.oracle.factor == 3 && hyperband.oracle.hyperbandIterations == 2)
        let bayesian = try StudyFile.load(path: "\(packageRoot)/Studies/fashion-mnist-bayesian.yaml")
        #expect(bayesian.oracle == OracleSection(kind: .bayesian, maxTrials: 10, seed: 42))
    }
}
