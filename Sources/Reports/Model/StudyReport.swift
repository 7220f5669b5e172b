import Foundation
import JSONValues
import StudyStore
import Tuning

/// Everything a report shows about one study: the storage's `StudySnapshot` (the definition, every
/// trial with its learning curves and checkpoint flag, the oracle's saved state, read in one consistent
/// read so the parts agree) and that oracle state decoded as JSON. The snapshot's members are reached
/// directly: `report.trials`, `report.rankedTrials`, `report.bestTrial`, `report.study.searchSpace`.
///
/// ```swift
/// let storage = try SQLiteStudyStorage(path: "tuning/study.sqlite")
/// let report = try StudyReport.load(from: storage, study: "mnist")
/// let html = HTMLReport(report).render()
/// ```
@dynamicMemberLookup
public struct StudyReport: Sendable {
    /// The study as read from the storage.
    public let snapshot: StudySnapshot
    /// The oracle's exported state as JSON, when one was saved.
    public let oracleStateJSON: JSONValue?
    /// The snapshot's `rankedTrials`, ranked once: every chart asks for them.
    public let rankedTrials: [TrialSnapshot]
    /// The best COMPLETE trial, if any (`rankedTrials.first`).
    public var bestTrial: TrialSnapshot? { rankedTrials.first }

    /// A report of a snapshot read from the storage at `location` (named in messages).
    ///
    /// - Throws: `ReportError.damagedData` naming the study and `oracle_state` when the saved oracle
    ///   state is not JSON.
    public init(snapshot: StudySnapshot, location: String) throws(ReportError) {
        self.snapshot = snapshot
        rankedTrials = snapshot.rankedTrials
        do {
            oracleStateJSON = try snapshot.oracleState?.json(study: snapshot.name, location: location)
        } catch {
            throw ReportError(error, location: location)
        }
    }

    /// Reads the study `name` with its trials, metrics, checkpoint flags and oracle state from `storage`
    /// in one consistent read (`StudyStorage.snapshot(study:)`).
    ///
    /// - Throws: `ReportError.studyNotFound` when there is no such study; `.damagedData` naming the
    ///   study, trial and field when a stored field is not what the tuner wrote (hyperparameters,
    ///   Hyperband assignment, search space, oracle settings or state); `.store` for storage failures.
    public static func load(from storage: any StudyStorage, study name: String) throws(ReportError) -> StudyReport {
        let snapshot: StudySnapshot
        do {
            snapshot = try storage.snapshot(study: name)
        } catch {
            throw ReportError(error, location: storage.location)
        }
        return try StudyReport(snapshot: snapshot, location: storage.location)
    }

    /// A member of the snapshot (`report.trials`, `report.objective`, `report.study`, ...).
    public subscript<Value>(dynamicMember keyPath: KeyPath<StudySnapshot, Value>) -> Value {
        snapshot[keyPath: keyPath]
    }
}
