import StudyStore
import Synchronization

/// The snapshots of the studies whose pages were shown last, each with the change cursor it is current
/// at, so that showing a study again reads only what changed since (`StudyChangeReading.changes`) instead
/// of every trial and curve: a 10,000-trial study's page then costs its rendering, not a reload.
///
/// A snapshot brought up to date equals one read afresh but for the trials' last heartbeat times, which
/// are not changes (no page shows them from here): changed trials replace theirs, recorded metric values
/// are merged into the curves, and what changes do not track — the study's definition, the oracle state and
/// which trials have checkpoints — is read again each time (one row, and the ids of a study's checkpointed
/// trials). A study deleted or replaced by another of its name (another id) is read afresh.
/// The least recently shown study is dropped beyond `capacity`.
final class StudySnapshotCache: Sendable {
    private struct Entry: Sendable {
        var snapshot: StudySnapshot
        var cursor: StudyChangeCursor
        var lastUse: UInt64
    }

    private struct Entries: Sendable {
        var byName: [String: Entry] = [:]
        var clock: UInt64 = 0
    }

    /// How many studies are kept (0: none).
    let capacity: Int
    private let entries = Mutex(Entries())

    /// A cache of at most `capacity` studies.
    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// Study `name` as it is now, and the cursor that follows it, in one `read { }` of `store`.
    ///
    /// - Throws: `StoreError.studyNotFound` (or `StudyNameError`), `.damagedData`, and the storage's errors.
    func snapshot(_ store: any StudyStorage, study name: String) throws -> (snapshot: StudySnapshot, cursor: StudyChangeCursor) {
        let cached = entries.withLock { $0.byName[name] }
        let current = try store.read { store -> (snapshot: StudySnapshot, cursor: StudyChangeCursor) in
            let study = try store.requireStudy(named: name)
            guard let cached, cached.snapshot.study.id == study.id else {
                let cursor = try store.changeCursor()
                return (try store.snapshot(study: name), cursor)
            }
            let changes = try store.changes(study: study.id, since: cached.cursor)
            let checkpointed = Set(try store.trialsWithCheckpoints(study: study.id).map(\.id))
            return (cached.snapshot.applying(changes, study: study, oracleState: try store.oracleState(study: study.id),
                                             checkpointed: checkpointed), changes.cursor)
        }
        guard capacity > 0 else { return current }
        entries.withLock { entries in
            entries.clock += 1
            entries.byName[name] = Entry(snapshot: current.snapshot, cursor: current.cursor, lastUse: entries.clock)
            while entries.byName.count > capacity, let oldest = entries.byName.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                entries.byName.removeValue(forKey: oldest.key)
            }
        }
        return current
    }
}

extension StudySnapshot {
    /// This snapshot with `changes` applied: each changed trial as it is now (new ones added), each
    /// recorded metric value put at its step; the study, oracle state and checkpoint flags as given.
    func applying(_ changes: StudyChanges, study: StoredStudy, oracleState: SavedOracleState?,
                  checkpointed: Set<Int64>) -> StudySnapshot {
        var byNumber: [Int: TrialSnapshot] = [:]
        byNumber.reserveCapacity(trials.count + changes.trials.count)
        for trial in trials { byNumber[trial.number] = trial }
        for trial in changes.trials {
            if var existing = byNumber[trial.number], existing.id == trial.id {
                existing.trial = trial
                byNumber[trial.number] = existing
            } else {
                byNumber[trial.number] = TrialSnapshot(trial: trial)
            }
        }
        var pointsByTrial: [Int: [MetricChange]] = [:]
        for change in changes.metrics { pointsByTrial[change.trialNumber, default: []].append(change) }
        for (number, points) in pointsByTrial {
            guard var trial = byNumber[number] else { continue }
            var curves = trial.metrics.curves
            for change in points where change.trialID == trial.id {
                var curve = curves[change.name] ?? []
                if let index = curve.firstIndex(where: { $0.step == change.point.step }) {
                    curve[index] = change.point
                } else {
                    curve.append(change.point)
                }
                curves[change.name] = curve
            }
            trial.metrics = MetricsHistory(curves: curves)
            byNumber[number] = trial
        }
        let updated = byNumber.values.map { trial -> TrialSnapshot in
            var trial = trial
            trial.hasCheckpoint = checkpointed.contains(trial.id)
            return trial
        }
        return StudySnapshot(study: study, trials: updated, oracleState: oracleState)
    }
}
