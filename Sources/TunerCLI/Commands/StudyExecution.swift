import ArgumentParser
import Foundation
import StudyFileRuntime
import StudyFiles
import TunerKit
import Tuning

/// Runs a study file's trials — a model study through `Tuner`, a command study through `StudyRunner` —
/// for `tuner search` (create or resume) and `tuner worker` (join).
struct StudyExecution {
    let file: StudyFile
    let source: StudySource
    let storagePath: String
    let options: SearchOptions

    /// Loads and validates a study file.
    ///
    /// - Throws: `CommandFailure.usage` with every problem found, each with its file, line and key.
    static func load(path: String) throws -> (StudyFile, StudySource) {
        let file: StudyFile
        do {
            file = try StudyFile.load(path: path)
        } catch {
            throw CommandFailure.usage(error.description)
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        return (file, StudySource(path: absolute, text: text))
    }

    /// Parses a study file kept in the storage.
    ///
    /// - Throws: `CommandFailure.usage` when the stored text no longer validates.
    static func parse(_ source: StudySource) throws -> StudyFile {
        do {
            return try StudyFile.parse(
                yaml: source.text, fileName: source.path, directory: (source.path as NSString).deletingLastPathComponent)
        } catch {
            throw CommandFailure.usage(error.description)
        }
    }

    /// Runs trials until the oracle's budget is spent.
    ///
    /// - Parameters:
    ///   - overwrite: Start the study again from nothing.
    ///   - maxTrials: A new budget (to extend a finished study).
    /// Ctrl-C and SIGTERM stop the search cleanly (see `InterruptSignals`).
    ///
    /// - Throws: `CommandFailure.failed` for a run that stopped on errors; data-loading errors as usage
    ///   errors; `ExitCode` 130 / 143 after an interruption (its message already printed).
    func run(overwrite: Bool, maxTrials: Int?) throws {
        InterruptSignals.install()
        var oracle = file.oracle.tunerSettings
        if let maxTrials { oracle.maxTrials = maxTrials }
        let objective = file.objective
        let options = try file.searchOptions(from: self.options)
        do {
            if let model = file.modelStudy {
                let data: StudyData
                do {
                    data = try StudyData.load(for: file)
                } catch {
                    throw CommandFailure.usage("\(error)")
                }
                let tuner = try Tuner(
                    hyperModel: try StudyFileHyperModel(study: file), oracle: oracle,
                    objectives: file.objectives.map { .metric($0.name, direction: $0.direction) }, constraints: file.constraints,
                    study: file.name, storage: storagePath, seed: file.oracle.seed,
                    executionsPerTrial: file.oracle.executionsPerTrial, overwrite: overwrite, options: options, pruner: file.pruner)
                tuner.source = source
                try tuner.search(data.training, epochs: model.fit.epochs, validationData: data.validation)
            } else if let command = file.commandStudy {
                let definition = StudyDefinition(
                    name: file.name, objective: objective, additionalObjectives: file.additionalObjectives,
                    constraints: file.constraints, oracle: oracle, seed: file.oracle.seed,
                    searchSpace: file.searchSpace(), pruner: file.pruner)
                let runner = StudyRunner(definition: definition, storage: storagePath, options: options, overwrite: overwrite)
                runner.source = source
                try runner.optimize(CommandObjective(command: command, metric: objective.name).trialObjective)
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch let error as TunerError {
            if case .interrupted(let signal, _) = error {
                FileHandle.standardError.write(Data("tuner: \(error.description)\n".utf8))
                throw ExitCode(SearchInterruption.exitStatus(for: signal))
            }
            if case .incompatibleStudy = error { throw CommandFailure.usage(error.description) }
            throw CommandFailure.failed(error.description)
        }
    }
}
