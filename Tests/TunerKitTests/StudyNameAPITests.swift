import Foundation
import StudyStore
import Testing
import TunerKit
import Tuning
import TestSupport

/// The Swift APIs apply the study-name rule before touching the storage.
struct StudyNameAPITests {
    private func definition(_ name: String) throws -> StudyDefinition {
        var space = SearchSpace()
        try space.add(.float("x", min: 0, max: 1))
        return StudyDefinition(name: name, objective: Objective("loss", direction: .minimize),
                               oracle: .randomSearch(maxTrials: 2), searchSpace: space)
    }

    @Test func badNamesAreRefusedAndNeverReachAnotherStudy() throws {
        let directory = try TemporaryDirectory()
        let storage = directory.path("tuner.sqlite")
        try StudyRunner(definition: try definition("victim"), storage: storage).createOrResume()
        for name in ["", "victim\0other", String(repeating: "n", count: 201), "a\nb"] {
            #expect(throws: StudyNameError.self, "\(name.debugDescription)") {
                try StudyRunner(definition: try definition(name), storage: storage, overwrite: true).createOrResume()
            }
        }
        #expect(throws: StudyNameError.self) { try StudyAskTell(storagePath: storage, study: "victim\0other").ask() }
        #expect(throws: StudyNameError.self) { try StudyDeletion.delete(study: "victim\0other", storagePath: storage) }
        let store = try SQLiteStudyStorage(path: storage)
        #expect(try store.studies().map(\.name) == ["victim"])
        #expect(try store.trials(study: try store.requireStudy(named: "victim").id).isEmpty)
    }
}
