import Foundation
import Neural
import StudyStore
import Tuning

/// Creating a study, or checking that a stored one may be resumed with the definition given now.
enum StudyPreparation {
    /// What `prepare` found and did.
    struct Outcome {
        /// Whether a stored study is being continued.
        var resumed: Bool
        /// Trials already finished when resuming.
        var finishedTrials: Int
    }

    /// Creates the study, or (with `overwrite`) deletes a stored one and creates it again, or checks a
    /// stored one against `definition` and continues it (raising its budget when `maxTrials` grew).
    ///
    /// - Throws: `StudyNameError` for a name that cannot be stored faithfully (before anything is touched),
    ///   `TunerError.incompatibleStudy` listing what differs; store and oracle errors.
    static func prepare(storagePath: String, definition: StudyDefinition, overwrite: Bool, checkpoints: CheckpointFiles,
                        source: StudySource? = nil) throws -> Outcome {
        try StudyName.validate(definition.name)
        try definition.checkPrunerSupportsObjectives()
        let store = try openStudyStorage(storagePath, busyTimeout: 30)
        var removedFiles: [String] = []
        let outcome: Outcome = try store.write { store in
            if let existing = try store.study(named: definition.name) {
                if overwrite {
                    removedFiles = try store.deleteStudy(named: definition.name)
                } else {
                    let resumed = try resume(existing, definition: definition, store: store)
                    if let source { try store.saveStudySource(study: existing.id, source) }
                    return resumed
                }
            }
            let oracle = try definition.oracle.makeOracle(
                objective: definition.objective, additionalObjectives: definition.additionalObjectives,
                searchSpace: definition.searchSpace, seed: definition.seed)
            let study = try store.createStudy(NewStudy(
                name: definition.name, objective: definition.objective, additionalObjectives: definition.additionalObjectives,
                constraints: definition.constraints, oracleKind: definition.oracle.kind.rawValue,
                oracleConfiguration: try definition.oracleConfiguration(), searchSpace: definition.searchSpace))
            try store.saveOracleState(study: study.id, try oracle.exportChanges())
            if let source { try store.saveStudySource(study: study.id, source) }
            return Outcome(resumed: false, finishedTrials: 0)
        }
        // Files go after the commit, so a rolled-back delete never loses weights.
        checkpoints.removeFiles(removedFiles, removingEmptyFolders: true)
        if overwrite { checkpoints.removeStudyDirectory(definition.name) }
        return outcome
    }

    private static func resume(_ stored: StoredStudy, definition: StudyDefinition, store: any StudyStorage) throws -> Outcome {
        var differences: [String] = []
        if stored.objectives != definition.objectives {
            let was = stored.objectives.map(\.description).joined(separator: ", ")
            let now = definition.objectives.map(\.description).joined(separator: ", ")
            differences.append(stored.objectives.count == 1 && definition.objectives.count == 1
                               ? "the objective was \(was), now \(now)" : "the objectives were \(was), now \(now)")
        }
        if stored.constraints != definition.constraints {
            let describe = { (constraints: [MetricConstraint]) in
                constraints.isEmpty ? "none" : constraints.map(\.description).joined(separator: ", ")
            }
            differences.append("the constraints were \(describe(stored.constraints)), now \(describe(definition.constraints))")
        }
        if stored.oracleKind != definition.oracle.kind.rawValue {
            differences.append("the oracle was \(stored.oracleKind), now \(definition.oracle.kind.rawValue)")
        }
        let storedConfiguration = try stored.oracleConfiguration(as: StoredOracleConfiguration.self, location: store.location)
        let storedSettings = storedConfiguration.settings
        if stored.oracleKind == definition.oracle.kind.rawValue {
            var comparable = definition.oracle
            comparable.maxTrials = storedSettings.maxTrials
            if comparable != storedSettings {
                differences.append("the oracle settings were \(describe(storedSettings)), now \(describe(definition.oracle))")
            }
        }
        if case .int(let storedSeed)? = storedConfiguration.flat["seed"], storedSeed != Int(truncatingIfNeeded: definition.seed) {
            differences.append("the seed was \(storedSeed), now \(definition.seed)")
        }
        let storedSpace = stored.searchSpace
        // Parameters found later by trials (a layer per `num_layers`) may be missing from the space
        // known up front, and new ones may be added; a parameter defined differently is a conflict.
        for spec in definition.searchSpace.specs {
            if let previous = storedSpace[spec.name], previous != spec {
                differences.append("hyperparameter '\(spec.name)' was \(previous.description), now \(spec.description)")
            }
        }
        guard differences.isEmpty else { throw TunerError.incompatibleStudy(name: definition.name, differences: differences) }

        guard let state = try store.oracleState(study: stored.id) else {
            throw TunerError.missingOracleState(study: definition.name)
        }
        let oracle = try OracleSettings.restoreOracle(kind: definition.oracle.kind, core: state.core, trials: state.orderedTrials)
        var changed = false
        if oracle.maxTrials != definition.oracle.maxTrials {
            try oracle.setMaxTrials(definition.oracle.maxTrials)
            changed = true
        }
        let newParameters = definition.searchSpace.specs.filter { storedSpace[$0.name] == nil }
        if !newParameters.isEmpty {
            var merged = oracle.searchSpace
            for spec in newParameters { try merged.add(spec) }
            try oracle.updateSpace(merged)
            changed = true
        }
        if changed {
            try store.saveOracleState(study: stored.id, try oracle.exportChanges())
            try store.updateStudy(stored.id, oracleConfiguration: try definition.oracleConfiguration(), searchSpace: oracle.searchSpace)
        } else if storedConfiguration.pruner != definition.pruner {
            // A resume may bring another pruner (or none): stored, so workers and `tuner tell` follow it.
            try store.updateStudy(stored.id, oracleConfiguration: try definition.oracleConfiguration(), searchSpace: nil)
        }
        let finished = try store.trials(study: stored.id, states: [.complete, .pruned, .failed]).count
        return Outcome(resumed: true, finishedTrials: finished)
    }

    private static func describe(_ settings: OracleSettings) -> String {
        settings.displayConfiguration.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.stringValue ?? (try? $0.value.strictJSONText()) ?? "?")" }.joined(separator: ", ")
    }
}
