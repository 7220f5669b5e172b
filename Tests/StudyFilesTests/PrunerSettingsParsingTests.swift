import Foundation
import StudyFiles
import TestSupport
import Testing

/// The `pruner` section: each type with its defaults and settings, and the mistakes a user makes,
/// reported where they are written.
@Suite struct PrunerSettingsParsingTests {
    static func parse(_ pruner: String, oracle: String = "{ type: random, max_trials: 4 }") throws(StudyFileError) -> StudyFile {
        let yaml = """
        name: pruned
        objective: { metric: loss, direction: min }
        oracle: \(oracle)
        pruner: \(pruner)
        hyperparameters:
          lr: { type: float, min: 0.001, max: 1 }
        command:
          run: 'echo loss=1'
        """
        return try StudyFile.parse(yaml: yaml, fileName: "p.yaml", directory: FileManager.default.temporaryDirectory.path)
    }

    /// The key paths of the problems `pruner` has, or [] when it is accepted.
    static func problems(_ pruner: String, oracle: String = "{ type: random, max_trials: 4 }") -> [String] {
        do {
            _ = try parse(pruner, oracle: oracle)
            return []
        } catch {
            return error.issues.map(\.keyPath)
        }
    }

    @Test func eachTypeReadsItsSettingsWithOptunasDefaults() throws {
        #expect(try Self.parse("{ type: median }").pruner == .median(startupTrials: 5, warmupEpochs: 0))
        #expect(try Self.parse("{ type: asha, min_epochs: 1, factor: 3 }").pruner
                == .successiveHalving(minEpochs: 1, factor: 3, minEarlyStoppingRate: 0, bootstrapCount: 0))
        #expect(try Self.parse("{ type: asha }").pruner
                == .successiveHalving(minEpochs: 1, factor: 4, minEarlyStoppingRate: 0, bootstrapCount: 0))
        #expect(try Self.parse("{ type: percentile, percentile: 25, warmup_epochs: 2 }").pruner
                == .percentile(percentile: 25, startupTrials: 5, warmupEpochs: 2, intervalEpochs: 1))
        #expect(try Self.parse("{ type: threshold, upper: 10 }").pruner
                == .threshold(lower: nil, upper: 10, warmupEpochs: 0, intervalEpochs: 1))
        #expect(try Self.parse("{ type: patient, patience: 3, wrap: { type: median, startup_trials: 2 } }").pruner
                == .patient(wrapped: .median(startupTrials: 2, warmupEpochs: 0), patience: 3, minDelta: 0))
    }

    @Test func mistakesAreReportedWhereTheyAreWritten() {
        #expect(Self.problems("{ type: asha }").isEmpty)
        #expect(Self.problems("{ type: nope }") == ["pruner.type"])
        #expect(Self.problems("{ type: median, factor: 3 }") == ["pruner.factor"])
        #expect(Self.problems("{ type: asha, factor: 1 }") == ["pruner.factor"])
        #expect(Self.problems("{ type: percentile }") == ["pruner.percentile"])
        #expect(Self.problems("{ type: percentile, percentile: 150 }") == ["pruner.percentile"])
        #expect(Self.problems("{ type: threshold }") == ["pruner"])
        #expect(Self.problems("{ type: threshold, lower: 2, upper: 1 }") == ["pruner.lower"])
        #expect(Self.problems("{ type: patient, patience: 2, wrap: { type: nope } }") == ["pruner.wrap.type"])
        #expect(Self.problems("{ type: median }", oracle: "{ type: hyperband, max_epochs: 9 }") == ["pruner"])
    }

    /// `tuner create --pruner`: a mapping or a bare type, with the section's own checks and messages.
    @Test func aPrunerGivenOnTheCommandLine() throws {
        #expect(try StudyFile.parsePruner(yaml: "asha", source: "--pruner")
                == .successiveHalving(minEpochs: 1, factor: 4, minEarlyStoppingRate: 0, bootstrapCount: 0))
        #expect(try StudyFile.parsePruner(yaml: "{type: threshold, upper: 2}", source: "--pruner")
                == .threshold(lower: nil, upper: 2, warmupEpochs: 0, intervalEpochs: 1))
        do {
            _ = try StudyFile.parsePruner(yaml: "ashaa", source: "--pruner")
            Issue.record("a misspelt type was accepted")
        } catch {
            #expect(error.issues.map(\.keyPath) == ["pruner.type"])
            #expect(error.description.contains("--pruner") && error.description.contains("asha"), "\(error.description)")
        }
        do {
            _ = try StudyFile.parsePruner(yaml: "{type: median, factor: 3}", source: "--pruner")
            Issue.record("a setting of another type was accepted")
        } catch {
            #expect(error.issues.map(\.keyPath) == ["pruner.factor"])
        }
        #expect(throws: StudyFileError.self) { try StudyFile.parsePruner(yaml: "[asha]", source: "--pruner") }
        #expect(throws: StudyFileError.self) { try StudyFile.parsePruner(yaml: "{type: asha", source: "--pruner") }
    }

    @Test func aTPEOracleTakesAnyPruner() throws {
        let study = try Self.parse("{ type: asha, min_epochs: 1, factor: 3 }", oracle: "{ type: tpe, max_trials: 20 }")
        #expect(study.oracle.kind == .tpe)
        #expect(study.pruner == .successiveHalving(minEpochs: 1, factor: 3, minEarlyStoppingRate: 0, bootstrapCount: 0))
    }
}
