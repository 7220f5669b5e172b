import Foundation
import GRDB
import JSONValues
import Testing
import StudyStore
import TestSupport

/// A stored field that does not hold what the tuner wrote there (a file edited by hand, a disk that
/// flipped bits) makes every read of it throw `StoreError.damagedData` naming the study, the trial
/// and the field, never a default value or a crash.
@Suite("Damaged data")
struct DamagedDataTests {
    /// One way to damage the file of `sampleStudy()` holding trial 0, and what the error must name.
    struct Damage: Sendable, CustomTestStringConvertible {
        var sql: String
        var field: String
        var trial: Int?
        var testDescription: String { "\(field): \(sql)" }
    }

    static let trialDamages = [
        Damage(sql: "UPDATE trials SET hyperparameters = '{not json'", field: "hyperparameters", trial: 0),
        Damage(sql: #"UPDATE trials SET hyperparameters = '{"units":64}'"#, field: "hyperparameters", trial: 0),
        Damage(sql: #"UPDATE trials SET hyperparameters = '[1,2]'"#, field: "hyperparameters", trial: 0),
        Damage(sql: #"UPDATE trials SET hyperband = '{"bracket":0}'"#, field: "hyperband", trial: 0),
        Damage(sql: "UPDATE trials SET hyperband = 'nope'", field: "hyperband", trial: 0),
        Damage(sql: "UPDATE trials SET state = 'DONE'", field: "state", trial: 0),
    ]

    static let studyDamages = [
        Damage(sql: #"UPDATE studies SET search_space = '{"x":1}'"#, field: "search_space"),
        Damage(sql: #"UPDATE studies SET search_space = '{"parameters":[{"name":"a"}]}'"#, field: "search_space"),
        Damage(sql: "UPDATE studies SET search_space = 'garbage'", field: "search_space"),
        Damage(sql: "UPDATE studies SET direction = 'up'", field: "direction"),
        Damage(sql: "UPDATE studies SET oracle_config = '{bad'", field: "oracle_config"),
    ]

    /// A store holding study "mnist" with one WAITING trial 0, damaged by `damage` (past the CHECK
    /// constraints, which would refuse text that is not JSON, or an unknown state).
    private func damagedStore(_ storage: TestStorage, _ damage: Damage) throws -> (any StudyStorage, StoredTrial) {
        let store = try storage.open()
        let study = try store.createStudy(try sampleStudy())
        let trial = try store.insertTrial(study: study.id, hyperparameters: ["units": .int(64)],
                                          hyperband: try hyperbandAssignment(bracket: 0, round: 0))
        try storage.damage(damage.sql)
        return (store, trial)
    }

    private func expectDamaged(_ damage: Damage, path: String, sourceLocation: SourceLocation = #_sourceLocation,
                               _ read: () throws -> Void) {
        do {
            try read()
            Issue.record("a damaged \(damage.field) was read", sourceLocation: sourceLocation)
        } catch let error as StoreError {
            guard case .damagedData(let location, let study, let trial, let field, let detail) = error else {
                Issue.record("got \(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(location == path && study == "mnist" && trial == damage.trial && field == damage.field,
                    sourceLocation: sourceLocation)
            #expect(!detail.isEmpty, sourceLocation: sourceLocation)
            let message = error.description
            #expect(message.contains(damage.field) && message.contains("\"mnist\"") && message.contains(path),
                    sourceLocation: sourceLocation)
            if let trial = damage.trial { #expect(message.contains("trial \(trial)"), sourceLocation: sourceLocation) }
        } catch {
            Issue.record("got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: Backend.allCases, trialDamages)
    func aDamagedTrialFieldFailsEveryReadOfTheTrial(_ backend: Backend, _ damage: Damage) throws {
        let storage = try TestStorage(backend)
        let (store, trial) = try damagedStore(storage, damage)
        let path = storage.location
        expectDamaged(damage, path: path) { _ = try store.trials(study: trial.studyID) }
        expectDamaged(damage, path: path) { _ = try store.requireTrial(id: trial.id) }
        expectDamaged(damage, path: path) { _ = try store.trial(study: trial.studyID, number: 0) }
        expectDamaged(damage, path: path) { _ = try store.snapshot(study: "mnist") }
        // The study itself still reads.
        #expect(try store.requireStudy(named: "mnist").id == trial.studyID)
    }

    /// A claim that meets a damaged trial fails without taking it: the claim rolls back.
    @Test(arguments: Backend.allCases) func aClaimOfADamagedTrialLeavesItWaiting(_ backend: Backend) throws {
        let storage = try TestStorage(backend)
        let damage = Damage(sql: #"UPDATE trials SET hyperparameters = '{"units":64}'"#, field: "hyperparameters", trial: 0)
        let (store, trial) = try damagedStore(storage, damage)
        expectDamaged(damage, path: storage.location) { _ = try store.claimNextTrial(study: trial.studyID, worker: "w") }
        #expect(try storage.scalar("SELECT state FROM trials WHERE id = \(trial.id)") == "WAITING")
    }

    @Test(arguments: Backend.allCases, studyDamages)
    func aDamagedStudyFieldFailsEveryReadOfTheStudy(_ backend: Backend, _ damage: Damage) throws {
        let storage = try TestStorage(backend)
        let (store, _) = try damagedStore(storage, damage)
        let path = storage.location
        expectDamaged(damage, path: path) { _ = try store.study(named: "mnist") }
        expectDamaged(damage, path: path) { _ = try store.requireStudy(named: "mnist") }
        expectDamaged(damage, path: path) { _ = try store.studies() }
        expectDamaged(damage, path: path) { _ = try store.snapshot(study: "mnist") }
    }

    /// The damaged-data message tells the user to delete the study: that works whatever field is damaged.
    @Test(arguments: Backend.allCases, trialDamages.prefix(1) + studyDamages)
    func aStudyWithADamagedFieldCanStillBeDeleted(_ backend: Backend, _ damage: Damage) throws {
        let storage = try TestStorage(backend)
        let (store, trial) = try damagedStore(storage, damage)
        try store.saveCheckpoint(trial: trial.id, epoch: 0, path: "/ckpt/0")
        #expect(try store.deleteStudy(named: "mnist") == ["/ckpt/0"])
        #expect(try store.studies().isEmpty)
        #expect(try storage.rowCount("trials") == 0)
        #expect(throws: StoreError.studyNotFound(name: "mnist")) { try store.deleteStudy(named: "mnist") }
    }

    /// Oracle state bytes that are not JSON name the study and the field when read as JSON.
    @Test func oracleStateThatIsNotJSONIsNamedWhenReadAsJSON() throws {
        let state = SavedOracleState(core: Data("{oops".utf8), version: 1, updatedAt: 0)
        do {
            _ = try state.json(study: "s", location: "f.sqlite")
            Issue.record("non-JSON oracle state was parsed")
        } catch {
            guard case .damagedData("f.sqlite", "s", nil, "oracle_state", _) = error else { Issue.record("got \(error)"); return }
        }
        #expect(try SavedOracleState(core: json(#"{"n":1}"#), version: 1, updatedAt: 0).json(study: "s", location: "f")
                == .object(["n": .int(1)]))
    }
}
