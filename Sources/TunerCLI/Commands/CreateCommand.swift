import JSONValues
import ArgumentParser
import Foundation
import StudyFiles
import TunerKit
import Tuning

/// `tuner create NAME --space SPACE.yaml --oracle TYPE --direction min|max`: a study for ask / tell.
struct CreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a study whose trials other programs run, through `tuner ask` and `tuner tell`.",
        discussion: """
            SPACE.yaml holds a `hyperparameters:` mapping written as in study files. --pruner takes a pruner \
            as a study file's `pruner:` section writes it, as one YAML mapping ('{type: asha, min_epochs: 1, \
            factor: 3}') or a bare type (median, percentile, threshold, patient, asha); it is stored with the \
            study and answers `tuner tell NAME --trial N --step S --value V`.
            """)

    enum OracleKind: String, ExpressibleByArgument, CaseIterable {
        case random, grid, hyperband, bayesian, bohb, tpe

        /// Hyperband's schedule: `--max-epochs` required, no pruner.
        var followsHyperbandSchedule: Bool { self == .hyperband || self == .bohb }
    }

    enum Direction: String, ExpressibleByArgument, CaseIterable {
        case min, max
    }

    @Argument(help: "The study's name.") var name: String
    @Option(help: "The hyperparameters file (YAML).") var space: String
    @Option(help: "random, grid, hyperband, bayesian, bohb or tpe.") var oracle: OracleKind
    @Option(help: "min or max.") var direction: Direction
    @Option(help: "The objective's name.") var metric: String = "value"
    @Option(name: .customLong("max-trials"), parsing: .unconditional, help: "The trial budget.") var maxTrials: Int?
    @Option(parsing: .unconditional, help: "The oracle's seed.") var seed: UInt64 = 0
    @Option(name: .customLong("max-epochs"), parsing: .unconditional, help: "Hyperband and bohb: the most epochs of a trial.") var maxEpochs: Int?
    @Option(parsing: .unconditional, help: "Hyperband and bohb: the reduction factor.") var factor: Int = 3
    @Option(parsing: .unconditional, help: "Hyperband and bohb: iterations of the schedule.") var iterations: Int = 1
    @Option(name: .customLong("initial-points"), parsing: .unconditional, help: "Bayesian and tpe: random trials before the model (tpe: until this many finished; default 10).")
    var initialPoints: Int?
    @Option(name: .customLong("candidates"), parsing: .unconditional, help: "tpe: candidates sampled per suggestion (default 24).")
    var candidates: Int?
    @Option(help: "The pruner, as a study file's `pruner:` section (see below).") var pruner: String?
    @OptionGroup var storage: StorageOptions

    func validate() throws {
        if oracle.followsHyperbandSchedule && maxEpochs == nil {
            throw ValidationError("--oracle \(oracle.rawValue) needs --max-epochs")
        }
        if candidates != nil && oracle != .tpe { throw ValidationError("--candidates applies to --oracle tpe only") }
        if (oracle == .random || oracle == .bayesian || oracle == .tpe) && maxTrials == nil {
            throw ValidationError("--oracle \(oracle.rawValue) needs --max-trials")
        }
    }

    func run() throws {
        try reportingFailures {
            let searchSpace: SearchSpace
            do {
                searchSpace = try StudyFile.loadSearchSpace(path: space)
            } catch {
                throw CommandFailure.usage("\(error)")
            }
            var prunerSettings: PrunerSettings?
            if let pruner {
                do {
                    prunerSettings = try StudyFile.parsePruner(yaml: pruner, source: "--pruner")
                } catch {
                    throw CommandFailure.usage("\(error)")
                }
                if oracle.followsHyperbandSchedule {
                    throw CommandFailure.usage("--pruner cannot be used with --oracle \(oracle.rawValue), which stops trials by its own schedule")
                }
            }
            let settings: OracleSettings
            switch oracle {
            case .random: settings = .randomSearch(maxTrials: maxTrials ?? 1)
            case .grid: settings = .gridSearch(maxTrials: maxTrials)
            case .hyperband: settings = .hyperband(maxEpochs: maxEpochs ?? 1, factor: factor, iterations: iterations, maxTrials: maxTrials)
            case .bayesian: settings = .bayesian(maxTrials: maxTrials ?? 1, numInitialPoints: initialPoints)
            case .bohb: settings = .bohb(maxEpochs: maxEpochs ?? 1, factor: factor, iterations: iterations, maxTrials: maxTrials)
            case .tpe: settings = .tpe(maxTrials: maxTrials ?? 1, numInitialPoints: initialPoints, numCandidates: candidates)
            }
            let definition = StudyDefinition(
                name: name, objective: Objective(metric, direction: direction == .max ? .maximize : .minimize),
                oracle: settings, seed: seed, searchSpace: searchSpace, pruner: prunerSettings)
            do {
                try StudyRunner(definition: definition, storage: storage.path).createOrResume()
            } catch let error as OracleError {
                throw CommandFailure.usage(error.description)
            } catch let error as TunerError {
                throw CommandFailure.usage(error.description)
            }
            var created: [String: JSONValue] = [
                "study": .string(name), "created": true, "parameters": .array(searchSpace.names.map(JSONValue.string)),
            ]
            if let prunerSettings { created["pruner"] = try JSONValue(encoding: prunerSettings) }
            print(JSONValue.object(created).prettyText)
        }
    }
}
