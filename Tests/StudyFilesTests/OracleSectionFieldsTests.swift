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
        #expect(bayesian.numCandidates == nil)
        let tpe = OracleSection(kind: .tpe, maxTrials: 50, numInitialPoints: 5, alpha: 1, numCandidates: 48)
        #expect(tpe.numInitialPoints == 5 && tpe.numCandidates == 48)
        #expect(tpe.alpha == nil && tpe.beta == nil && tpe.acquisition == nil && tpe.maxEpochs == nil)
    }

    @Test func aTPESectionParsesWithItsSettingsOrOptunasDefaults() throws {
        func oracle(_ section: String) throws -> OracleSection {
            let yaml = """
                name: t
                objective: { metric: loss, direction: min }
                oracle: \(section)
                hyperparameters:
                  x: { type: float, min: 0, max: 1 }
                command:
                  run: echo {x}
                """
            return try StudyFile.parse(yaml: yaml, fileName: "tpe.yaml").oracle
        }
        #expect(try oracle("{ type: tpe, max_trials: 50 }") == OracleSection(kind: .tpe, maxTrials: 50))
        #expect(try oracle("{ type: tpe, max_trials: 50, seed: 3, num_initial_points: 0, num_candidates: 64 }")
            == OracleSection(kind: .tpe, maxTrials: 50, seed: 3, numInitialPoints: 0, numCandidates: 64))
    }

    @Test func aParsedFileHoldsTheSettingsItNames() throws {
        let hyperband = try StudyFile.load(path: "\(packageRoot)/Studies/fashion-mnist-hyperband.yaml")
        #expect(hyperband.oracle.kind == .hyperband)
        #expect(hyperband.oracle.maxEpochs == 10 && hyperband.oracle.factor == 3 && hyperband.oracle.hyperbandIterations == 2)
        let bayesian = try StudyFile.load(path: "\(packageRoot)/Studies/fashion-mnist-bayesian.yaml")
        #expect(bayesian.oracle == OracleSection(kind: .bayesian, maxTrials: 10, seed: 42))
    }
}
