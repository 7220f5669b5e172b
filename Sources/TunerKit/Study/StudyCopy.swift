import Foundation
import StudyStore
import Tuning

/// Copying studies from one storage to another — trials with every field and time, learning curves,
/// the oracle's state, the study file and checkpoints — so a search started in one place continues in
/// another (`tuner copy`). It goes only through `StudyStorage`, so any two backends work.
///
/// Each study is written in one transaction of the destination: it appears whole or not at all.
/// Checkpoint files are copied into the destination's checkpoint folder before that transaction and
/// removed again if it fails.
public enum StudyCopy {
    /// What a copy wrote.
    public struct Result: Sendable, Equatable {
        /// The studies copied, by name.
        public var studies: [String]
        /// Trials written.
        public var trials: Int
        /// Metric values written.
        public var metricValues: Int
        /// Checkpoints written (files copied or inline weights).
        public var checkpoints: Int
    }

    /// Copies `studies` (every study when nil) from the storage at `source` to the one at `destination`.
    ///
    /// - Parameter replacing: Replace a study of the same name in the destination (its checkpoint files
    ///   are removed after the commit); when false, such a study stops the copy before anything of it is
    ///   written.
    /// - Throws: `TunerError.invalidArgument` when source and destination are the same storage,
    ///   `StoreError.studyNotFound` for a name the source lacks, `.studyExists` when the destination has
    ///   it and `replacing` is false, `.damagedData` for a study the source cannot read, file errors of
    ///   a checkpoint that cannot be copied; studies copied before the failure stay copied.
    @discardableResult
    public static func copy(from source: String, to destination: String, studies: [String]? = nil,
                            replacing: Bool = false) throws -> Result {
        if sameFile(source, destination) {
            throw TunerError.invalidArgument(name: "destination", message: "it is the source storage itself")
        }
        let from = try openStudyStorage(source, busyTimeout: 30)
        let to = try openStudyStorage(destination, busyTimeout: 30)
        var result = Result(studies: [], trials: 0, metricValues: 0, checkpoints: 0)
        for name in try studies ?? from.studyNames() {
            try copyStudy(name, from: from, to: to, destinationLocation: destination,
                          replacing: replacing, result: &result)
        }
        return result
    }

    private static func copyStudy(_ name: String, from: any StudyStorage, to: any StudyStorage,
                                  destinationLocation: String, replacing: Bool, result: inout Result) throws {
        let snapshot = try from.snapshot(study: name)
        let source = try from.studySource(study: snapshot.study.id)
        if !replacing, try to.study(named: name) != nil { throw StoreError.studyExists(name: name) }

        // Checkpoints first: files into the destination's folder (when it keeps files), else inline.
        let files = CheckpointFiles(storagePath: destinationLocation)
        let destinationFiles = files.keepsFiles ? files : nil
        var checkpoints: [Int: [(epoch: Int, path: String?, weights: Data?)]] = [:]
        var written: [String] = []
        do {
            for trial in snapshot.trials where trial.hasCheckpoint {
                for checkpoint in try from.checkpoints(trial: trial.id) {
                    var path: String?
                    var weights = checkpoint.weights
                    if let file = checkpoint.path {
                        if let destinationFiles {
                            let target = destinationFiles.path(study: name, trial: trial.number, epoch: checkpoint.epoch)
                            try FileManager.default.createDirectory(
                                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                            if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
                            try FileManager.default.copyItem(atPath: file, toPath: target)
                            written.append(target)
                            path = target
                        } else {
                            weights = try Data(contentsOf: URL(fileURLWithPath: file))
                        }
                    }
                    checkpoints[trial.number, default: []].append((checkpoint.epoch, path, weights))
                }
            }
            let replaced: [String] = try to.write { to in
                var replaced: [String] = []
                if try to.study(named: name) != nil { replaced = try to.deleteStudy(named: name) }
                let study = try to.createStudy(snapshot.study.definition, now: snapshot.study.createdAt)
                if !snapshot.study.note.isEmpty { try to.updateStudyNote(study.id, snapshot.study.note) }
                for trial in snapshot.trials {
                    let stored = trial.trial
                    let copied = try to.insertImportedTrial(study: study.id, ImportedTrial(
                        number: stored.number, state: stored.state, hyperparameters: stored.hyperparameters,
                        score: stored.score, values: stored.values, error: stored.error, worker: stored.worker,
                        hyperband: stored.hyperband,
                        retries: stored.retries, workerDeaths: stored.workerDeaths, createdAt: stored.createdAt,
                        startedAt: stored.startedAt, endedAt: stored.endedAt))
                    var byStep: [Int: [String: Double]] = [:]
                    for (metric, points) in trial.metrics.curves {
                        for point in points { byStep[point.step, default: [:]][metric] = point.value }
                    }
                    let recorded = stored.endedAt ?? stored.startedAt ?? stored.createdAt
                    for (step, values) in byStep.sorted(by: { $0.key < $1.key }) {
                        try to.recordMetrics(trial: copied.id, step: step, values: values, now: recorded)
                        result.metricValues += values.count
                    }
                    for checkpoint in checkpoints[stored.number] ?? [] {
                        try to.saveCheckpoint(trial: copied.id, epoch: checkpoint.epoch, path: checkpoint.path,
                                              weights: checkpoint.weights, now: recorded)
                        result.checkpoints += 1
                    }
                }
                if let state = snapshot.oracleState {
                    try to.saveOracleState(study: study.id, state.changes, now: state.updatedAt)
                }
                if let source { try to.saveStudySource(study: study.id, source, now: snapshot.study.createdAt) }
                return replaced
            }
            // The replaced study's files go after the commit (ours now have the same names: keep them).
            if let destinationFiles {
                destinationFiles.removeFiles(replaced.filter { !written.contains($0) })
            }
        } catch {
            destinationFiles?.removeFiles(written)
            throw error
        }
        result.studies.append(name)
        result.trials += snapshot.trials.count
    }

    /// Whether two storage strings are the same existing file.
    private static func sameFile(_ a: String, _ b: String) -> Bool {
        guard !PostgresLocation.isConnectionString(a), !PostgresLocation.isConnectionString(b) else { return a == b }
        var first = stat(), second = stat()
        guard stat(a, &first) == 0, stat(b, &second) == 0 else {
            return URL(fileURLWithPath: a).standardizedFileURL == URL(fileURLWithPath: b).standardizedFileURL
        }
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }
}
