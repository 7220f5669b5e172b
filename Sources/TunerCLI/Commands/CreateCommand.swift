import JSONValues
import ArgumentParser
import Foundation
import StudyFiles
import TunerKit
import Tuning

/// `tuner create NAME --space SPACE.yaml --oracle TYPE --direction min|max` (or `--metric NAME:max` repeated, for
/// several objectives): a study for ask / tell.
struct CreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a study whose trials other programs run, through `tuner ask` and `tuner tell`.",
        discussion: """
            SPACE.yaml holds a `hyperparameters:` mapping written as in study files. --pruner takes a pruner \
            as a study file's `pruner:` section writes it, as one YAML mapping ('{type: asha, min_epochs: 1, \
            factor: 3}') or a bare type (median, percentile, threshold, patient, asha); it is stored with the \
            study and answers `tuner tell NAME --trial N --step S --value V`.

            Several objectives: repeat --metric with each one's direction, --metric val_accuracy:max \
            --metric params:min (then no --direction); trials are told one value per objective \
            (tuner tell --values) and `tuner best` prints the Pareto front. Every oracle takes several \
            objectives; of the pruners only asha judges them (it ranks a rung by non-dominated sorting).
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
    @Option(help: "min or max (for one --metric given without a direction).") var direction: Direction?
    @Option(help: "The objective's name, or NAME:min / NAME:max (repeat for several objectives; default: value).")
    var metric: [String] = []
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

    /// The objectives `--metric` and `--direction` give, in order.
    ///
    /// - Throws: `ValidationError` for a direction other than min or max, a metric without one, or
    ///   `--direction` beside metrics that give their own.
    func objectives() throws -> [Objective] {
        let metrics = metric.isEmpty ? ["value"] : metric
        var objectives: [Objective] = []
        for text in metrics {
            if let colon = text.lastIndex(of: ":") {
                let name = String(text[..<colon])
                let word = String(text[text.index(after: colon)...])
                guard let given = Direction(rawValue: word) else {
                    throw ValidationError("--metric \(text): the direction after ':' must be min or max, not '\(word)'")
                }
                if direction != nil { throw ValidationError("--direction cannot be used with --metric \(text), which gives its own") }
                objectives.append(Objective(name, direction: given == .max ? .maximize : .minimize))
            } else {
                guard let direction else {
                    throw ValidationError(metrics.count == 1 ? "give --direction min|max, or --metric \(text):min|max"
                                                             : "--metric \(text) needs a direction: \(text):min or \(text):max")
                }
                guard metrics.count == 1 else {
                    throw ValidationError("with several --metric options, give each its direction: \(text):\(direction.rawValue)")
                }
                objectives.append(Objective(text, direction: direction == .max ? .maximize : .minimize))
            }
        }
        var names: Set<String> = []
        for objective in objectives where !names.insert(objective.name).inserted {
            throw ValidationError("--metric \(objective.name) is given twice; each objective needs its own metric")
        }
        return objectives
    }

    func validate() throws {
        _ = try objectives()
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
            let objectives = try objectives()
            guard let first = objectives.first else { throw CommandFailure.usage("give the study's objective with --metric") }
            let definition = StudyDefinition(
                name: name, objective: first, additionalObjectives: Array(objectives.dropFirst()),
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
