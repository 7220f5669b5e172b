import Foundation
import StudyStore
import Testing
import TestSupport

/// The study-name rule: names that cannot be stored faithfully are refused where studies are created
/// and looked up, with a sentence saying why.
struct StudyNameTests {
    @Test func namesThatCannotBeStoredFaithfullyAreRefused() {
        #expect(StudyName.problem(with: "") == "it is empty")
        #expect(StudyName.problem(with: "victim\0other")?.contains("U+0000 at position 7") == true)
        #expect(StudyName.problem(with: "a\tb")?.contains("U+0009") == true)
        #expect(StudyName.problem(with: "a\u{1B}[31m")?.contains("U+001B") == true)
        #expect(StudyName.problem(with: String(repeating: "x", count: 201))?.contains("201 characters") == true)
        #expect(StudyName.problem(with: "a\u{FFFD}")?.contains("not UTF-8") == true)
        for name in ["..", ".", "a b", "a/b", "a_b", "é", String(repeating: "x", count: 200), "日本語"] {
            #expect(StudyName.problem(with: name) == nil, "\(name) should be allowed")
        }
    }

    @Test func aLongNameIsShownShortenedInTheMessage() {
        let error = StudyNameError(name: String(repeating: "n", count: 10_000), problem: "too long")
        #expect(error.description.count < 400)
        #expect(error.description.contains("…"))
        #expect(StudyNameError(name: "a\0b", problem: "x").description.contains("a\\0b"))
    }

    @Test func theStoreRefusesBadNamesAndANulNeverFindsAnotherStudy() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        try store.createStudy(try sampleStudy("victim"))
        #expect(throws: StudyNameError.self) { try store.createStudy(try sampleStudy("victim\0other")) }
        #expect(throws: StudyNameError.self) { try store.createStudy(try sampleStudy("")) }
        #expect(throws: StudyNameError.self) { try store.createStudy(try sampleStudy(String(repeating: "n", count: 10_000))) }
        // SQLite would read "victim\0other" as "victim": the lookup and the delete must not reach it.
        #expect(throws: StudyNameError.self) { try store.study(named: "victim\0other") }
        #expect(throws: StudyNameError.self) { try store.deleteStudy(named: "victim\0other") }
        #expect(throws: StudyNameError.self) { try store.snapshot(study: "victim\0other") }
        #expect(throws: StudyNameError.self) { try store.requireStudy(named: String(repeating: "n", count: 10_000)) }
        #expect(throws: StoreError.studyNotFound(name: "nobody")) { try store.requireStudy(named: "nobody") }
        #expect(try store.studies().map(\.name) == ["victim"])
    }
}
