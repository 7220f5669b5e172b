import Foundation
import Testing
import Tuning
@testable import StudyStore
import TestSupport

/// The dashboard's writes through `StudyStorage`, on both backends: a study's note, trials asked for
/// (stored PENDING, settled once), and a stop asked for a running trial, answered by `recordMetrics`.
@Suite("Steering calls")
struct SteeringStoreTests {
    /// A note is stored, read back with the study (and in its snapshot), replaced and cleared; it survives
    /// reopening; a note for a study that does not exist is `.studyNotFound`.
    @Test(arguments: Backend.allCases)
    func aStudyNoteIsStoredAndReplaced(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        #expect(try store.requireStudy(named: "mnist").note.isEmpty)
        let note = try StudyNote("lr above 0.01 diverges\n<b>keep</b> 64 units ✓")
        try store.updateStudyNote(study.id, note)
        #expect(try storage.open().requireStudy(named: "mnist").note == note)
        #expect(try store.snapshot(study: "mnist").study.note == note)
        #expect(try store.studies().first?.note == note)
        try store.updateStudyNote(study.id, StudyNote())
        #expect(try store.requireStudy(named: "mnist").note.isEmpty)
        #expect(throws: StoreError.self) { try store.updateStudyNote(study.id + 1000, note) }
    }

    /// The note's rule: at most 10,000 characters, no control characters but line breaks and tabs; CRLF
    /// is kept as LF.
    @Test func aNoteIsBoundedAndHasNoControlCharacters() throws {
        #expect(try StudyNote(String(repeating: "é", count: StudyNote.maximumLength)).text.count == StudyNote.maximumLength)
        #expect(throws: StudyNoteError.tooLong(length: StudyNote.maximumLength + 1)) {
            try StudyNote(String(repeating: "a", count: StudyNote.maximumLength + 1))
        }
        #expect(throws: StudyNoteError.controlCharacter(0)) { try StudyNote("a\u{0}b") }
        #expect(throws: StudyNoteError.controlCharacter(0x1B)) { try StudyNote("a\u{1B}[31m") }
        #expect(try StudyNote("a\r\nb\rc\td").text == "a\nb\nc\td")
    }

    /// A trial request is stored PENDING with its typed values, listed, taken as pending, settled once
    /// (a second settle is refused, as a second worker's would be), and deleted with its study.
    @Test(arguments: Backend.allCases)
    func trialRequestsAreSettledExactlyOnce(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        let values: [String: HyperParameterValue] = ["n_hidden": .int(3), "lr": .float(0.001), "act": .string("relu")]
        let first = try store.requestTrial(study: study.id, hyperparameters: values, now: 10)
        let second = try store.requestTrial(study: study.id, hyperparameters: ["n_hidden": .int(1)], now: 11)
        #expect(first.status == .pending && first.hyperparameters == values && first.requestedAt == 10 && first.settledAt == nil)
        #expect(try store.pendingTrialRequests(study: study.id).map(\.id) == [first.id, second.id])

        try store.write { store in
            let pending = try store.pendingTrialRequests(study: study.id)
            try store.settleTrialRequest(pending[0].id, as: .enqueued(trial: 7), now: 12)
            try store.settleTrialRequest(pending[1].id, as: .rejected(reason: "n_hidden: out of range"), now: 12)
        }
        #expect(try store.pendingTrialRequests(study: study.id).isEmpty)
        let settled = try storage.open().trialRequests(study: study.id)
        #expect(settled.map(\.status) == [.enqueued(trial: 7), .rejected(reason: "n_hidden: out of range")])
        #expect(settled.map(\.settledAt) == [12, 12])
        #expect(throws: StoreError.self) { try store.settleTrialRequest(first.id, as: .enqueued(trial: 8), now: 13) }
        #expect(throws: StoreError.self) { try store.settleTrialRequest(first.id, as: .pending, now: 13) }
        #expect(throws: StoreError.self) { try store.requestTrial(study: study.id + 1000, hyperparameters: values, now: 1) }

        try store.deleteStudy(named: "mnist")
        #expect(try storage.rowCount("trial_requests") == 0)
    }

    /// A stop asked for a RUNNING trial is answered by its next `recordMetrics` (and not before it was
    /// asked), kept at the first time when asked twice, marked as a change for live views; a trial that
    /// is not RUNNING cannot be asked to stop.
    @Test(arguments: Backend.allCases)
    func aStopRequestIsAnsweredByTheNextMetricsWrite(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        let waiting = try store.insertTrial(study: study.id)
        #expect(throws: StoreError.self) { try store.requestStop(trial: waiting.id, now: 1) }
        let trial = try #require(try store.claimNextTrial(study: study.id, worker: "w"))
        #expect(try store.recordMetrics(trial: trial.id, step: 0, values: ["loss": 1], now: 2) == nil)

        let cursor = try store.changeCursor()
        let stopped = try storage.open().requestStop(trial: trial.id, now: 3)
        #expect(stopped.stopRequestedAt == 3 && stopped.state == .running)
        #expect(try store.changes(study: study.id, since: cursor).trials.map(\.stopRequestedAt) == [3])
        try store.requestStop(trial: trial.id, now: 4)
        #expect(try store.requireTrial(id: trial.id).stopRequestedAt == 3)

        #expect(try store.recordMetrics(trial: trial.id, step: 1, values: ["loss": 0.5], now: 5) == TrialStopRequest(requestedAt: 3))
        // An empty step still answers (a command may report a step without values).
        #expect(try store.recordMetrics(trial: trial.id, step: 2, values: [:], now: 6) == TrialStopRequest(requestedAt: 3))
        #expect(try store.metrics(trial: trial.id).curves["loss"]?.map(\.value) == [1, 0.5])

        try store.finishTrial(trial.id, worker: "w", state: .pruned)
        #expect(throws: StoreError.self) { try store.requestStop(trial: trial.id, now: 7) }
        #expect(throws: StoreError.self) { try store.requestStop(trial: 999_999, now: 7) }
    }
}
