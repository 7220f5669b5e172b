import Foundation
import Testing
import Tuning

/// `PrunerSettings` as stored with a study: the study file's keys, defaults for missing settings,
/// unknown types refused.
@Suite struct PrunerSettingsCodingTests {
    static let every: [PrunerSettings] = [
        .median(startupTrials: 3, warmupEpochs: 1),
        .percentile(percentile: 25, startupTrials: 5, warmupEpochs: 0, intervalEpochs: 2),
        .threshold(lower: -1, upper: nil, warmupEpochs: 0, intervalEpochs: 1),
        .threshold(lower: nil, upper: 2.5, warmupEpochs: 3, intervalEpochs: 1),
        .patient(wrapped: .median(startupTrials: 5, warmupEpochs: 0), patience: 2, minDelta: 0.01),
        .patient(wrapped: nil, patience: 0, minDelta: 0),
        .successiveHalving(minEpochs: 1, factor: 3, minEarlyStoppingRate: 0, bootstrapCount: 2),
    ]

    @Test func everyPrunerRoundTrips() throws {
        for settings in Self.every {
            let data = try JSONEncoder().encode(settings)
            #expect(try JSONDecoder().decode(PrunerSettings.self, from: data) == settings, "\(String(decoding: data, as: UTF8.self))")
        }
    }

    @Test func theStoredFormIsTheStudyFilesMapping() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let asha = PrunerSettings.successiveHalving(minEpochs: 2, factor: 3, minEarlyStoppingRate: 1, bootstrapCount: 0)
        #expect(String(decoding: try encoder.encode(asha), as: UTF8.self)
                == #"{"bootstrap_count":0,"factor":3,"min_early_stopping_rate":1,"min_epochs":2,"type":"asha"}"#)
        #expect(asha.description == "asha(min_epochs: 2, factor: 3, min_early_stopping_rate: 1, bootstrap_count: 0)")
    }

    @Test func missingSettingsTakeOptunasDefaults() throws {
        let decoded = try JSONDecoder().decode(PrunerSettings.self, from: Data(#"{"type": "asha"}"#.utf8))
        #expect(decoded == .successiveHalving(minEpochs: 1, factor: 4, minEarlyStoppingRate: 0, bootstrapCount: 0))
        let median = try JSONDecoder().decode(PrunerSettings.self, from: Data(#"{"type": "median"}"#.utf8))
        #expect(median == .median(startupTrials: 5, warmupEpochs: 0))
    }

    @Test func unknownTypesAndMissingRequiredSettingsAreRefused() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PrunerSettings.self, from: Data(#"{"type": "hyperband"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PrunerSettings.self, from: Data(#"{"type": "percentile"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PrunerSettings.self, from: Data(#"{"factor": 3}"#.utf8)) }
    }
}
