import Foundation
import Neural
import Tuning

/// Turns a `YAMLValue` tree into a `StudyFile`, section by section, reporting every problem to its
/// `reader` with the position and key path.
final class StudyFileParser {
    let reader: StudyFileReader
    let directory: String
    /// The hyperparameters declared so far, by name (filled by the `hyperparameters` section).
    var specs: [String: HyperParameterSpec] = [:]
    /// Their names in file order.
    var names: [String] = []
    /// The oracle kind, once known (fit's default epochs depend on it).
    var oracleKind: OracleSection.Kind?
    var maxEpochs: Int?
    /// The model's output count (several for a functional model with several outputs).
    var outputCount = 1
    /// Positions of template items and argument keys by key path, for messages found after parsing.
    var marks: [String: (line: Int, column: Int)] = [:]

    static let topLevelKeys = ["name", "description", "objective", "objectives", "constraints", "oracle", "pruner", "hyperparameters", "data", "model", "compile", "fit", "command",
                               "tensorboard"]

    init(fileName: String, directory: String) {
        reader = StudyFileReader(fileName: fileName)
        self.directory = directory
    }

    /// `path` if absolute, else `directory/path` (without `./` noise).
    static func resolve(_ path: String, against directory: String) -> String {
        if path.hasPrefix("/") { return path }
        if directory.isEmpty || directory == "." { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }

    func resolve(_ path: String) -> String { Self.resolve(path, against: directory) }

    /// The whole study, or `nil` when a required part is missing (problems are in `reader.issues`).
    func parseStudy(_ root: YAMLValue) -> StudyFile? {
        guard let top = reader.mapping(root, at: "", allowed: Self.topLevelKeys, required: ["name", "oracle", "hyperparameters"], what: "a study file (a mapping)") else {
            return nil
        }
        let name = reader.string(top["name"], at: "name")
        let objectives = parseObjectives(top, root: root)
        let objective = objectives?.first
        let constraints = top["constraints"].map(parseConstraints) ?? []
        let oracle = top["oracle"].flatMap(parseOracle)
        // A pruner section with problems has them reported (the file is refused): nil here is enough.
        let pruner = top["pruner"].flatMap { parsePruner($0) }
        if let section = top["pruner"], let kind = oracle?.kind, kind.followsHyperbandSchedule {
            reader.fail(section, "pruner", "the \(kind.rawValue) oracle stops trials by its own schedule; remove pruner or use another oracle")
        }
        let tensorBoard = top["tensorboard"].flatMap(parseTensorBoard)
        var hyperparameters: [HyperParameterSpec] = []
        if let section = top["hyperparameters"] { hyperparameters = parseHyperParameters(section) }

        let modelKeys = ["data", "model", "compile", "fit"].filter { top[$0] != nil }
        let workload: StudyFile.Workload?
        if let command = top["command"] {
            for key in modelKeys {
                if let value = top[key] {
                    reader.fail(value, key, "a command study has no \"\(key)\" section; remove it, or remove \"command\" to make a model study")
                }
            }
            workload = parseCommand(command, objective: objective).map { .command($0) }
        } else {
            var missing = false
            for key in ["data", "model", "compile"] where top[key] == nil {
                reader.fail(root, key, "missing required key \"\(key)\" (a model study needs data, model, compile and fit; a command study needs command)")
                missing = true
            }
            if missing { return nil }
            workload = parseModelStudy(top).map { .model($0) }
        }
        if oracle?.kind == .grid {
            for spec in hyperparameters {
                if case .float(let domain) = spec.kind, domain.step == nil {
                    let entry = top["hyperparameters"]?.entries?.first { $0.key == spec.name }
                    reader.fail(entry?.value, "hyperparameters.\(spec.name)",
                                "grid search needs a step for every float hyperparameter; add step or use another oracle")
                }
            }
        }
        if let objectives, case .model(let study)? = workload {
            checkObjectiveMetrics(objectives, constraints: constraints, study: study, top: top)
        }
        if let objectives, objectives.count > 1, let refusal = pruner?.refusalForSeveralObjectives {
            reader.fail(top["pruner"]?["type"] ?? top["pruner"], "pruner.type", refusal)
        }
        guard let name, let objective, let objectives, let oracle, let workload else { return nil }
        return StudyFile(
            path: reader.fileName, directory: directory, name: name, objective: objective,
            additionalObjectives: Array(objectives.dropFirst()), constraints: constraints, oracle: oracle,
            pruner: pruner, tensorBoard: tensorBoard, hyperparameters: hyperparameters, workload: workload)
    }

    /// The study's objectives: `objective:` (one) or `objectives:` (a list of the same forms), exactly one
    /// of the two; each metric at most once.
    func parseObjectives(_ top: [String: YAMLValue], root: YAMLValue) -> [Objective]? {
        switch (top["objective"], top["objectives"]) {
        case (let single?, nil):
            return parseObjective(single, at: "objective").map { [$0] }
        case (nil, let list?):
            guard let elements = reader.sequence(list, at: "objectives") else { return nil }
            guard !elements.isEmpty else {
                reader.fail(list, "objectives", "the list is empty; give at least one objective")
                return nil
            }
            var objectives: [Objective] = []
            var failed = false
            for (index, element) in elements.enumerated() {
                let path = StudyFileReader.index("objectives", index)
                guard let objective = parseObjective(element, at: path) else { failed = true; continue }
                if objectives.contains(where: { $0.name == objective.name }) {
                    reader.fail(element, path, "the metric \"\(objective.name)\" is already an objective; each objective needs its own metric")
                    failed = true
                }
                objectives.append(objective)
            }
            return failed ? nil : objectives
        case (.some, .some(let list)):
            reader.fail(list, "objectives", "give either objective (one) or objectives (a list), not both")
            return nil
        case (nil, nil):
            reader.fail(root, "objective", "missing required key \"objective\" (or \"objectives\", a list)")
            return nil
        }
    }

    /// `constraints:`: a list of `{ metric: NAME, max: LIMIT }` (or `min:`); a trial is feasible when it
    /// respects every one.
    func parseConstraints(_ value: YAMLValue) -> [MetricConstraint] {
        guard let elements = reader.sequence(value, at: "constraints") else { return [] }
        var constraints: [MetricConstraint] = []
        for (index, element) in elements.enumerated() {
            let path = StudyFileReader.index("constraints", index)
            guard let fields = reader.mapping(element, at: path, allowed: ["metric", "max", "min"], required: ["metric"],
                                              what: "a mapping { metric: NAME, max: LIMIT } or with min") else { continue }
            guard let metric = reader.string(fields["metric"], at: path + ".metric") else { continue }
            switch (fields["max"], fields["min"]) {
            case (let upper?, nil):
                if let limit = reader.double(upper, at: path + ".max") { constraints.append(MetricConstraint(metric: metric, .max, limit)) }
            case (nil, let lower?):
                if let limit = reader.double(lower, at: path + ".min") { constraints.append(MetricConstraint(metric: metric, .min, limit)) }
            default:
                reader.fail(element, path, "give exactly one of max and min")
            }
        }
        return constraints
    }

    // MARK: - Objective

    func parseObjective(_ value: YAMLValue, at path: String = "objective") -> Objective? {
        if let metric = value.string {
            return inferObjective(metric, at: value, path: path)
        }
        guard let fields = reader.mapping(value, at: path, allowed: ["metric", "direction"], required: ["metric"], what: "a metric name or a mapping") else {
            return nil
        }
        guard let metric = reader.string(fields["metric"], at: path + ".metric") else { return nil }
        guard let directionValue = fields["direction"] else { return inferObjective(metric, at: fields["metric"] ?? value, path: path) }
        let options = ["min", "max", "minimize", "maximize"]
        guard let direction = reader.keyword(directionValue, at: path + ".direction", options: options) else { return nil }
        return Objective(metric, direction: direction.hasPrefix("min") ? .minimize : .maximize)
    }

    /// The objective on `metric` with the direction its name implies (the built-in model metrics are
    /// minimized), or a reported problem.
    private func inferObjective(_ metric: String, at value: YAMLValue, path: String) -> Objective? {
        if BuiltInModelMetric(rawValue: metric) != nil { return .minimize(metric) }
        do {
            return try Objective(inferringDirectionOf: metric)
        } catch {
            reader.fail(value, path + ".direction", "cannot infer whether \"\(metric)\" is to be minimized or maximized; add direction: min or direction: max")
            return nil
        }
    }

    /// The metric names a model study's training logs: `loss` and the compiled metrics, with `val_`
    /// versions when there is validation data.
    func loggedMetrics(of study: ModelStudy) -> (names: [String], withoutValidation: [String]) {
        let builder = TemplateBuilder(values: [:], fallbacks: defaultValues)
        let loss = try? Losses.named(builder.resolve(study.compile.loss).stringValue ?? "")
        var metricNames: [String] = []
        for metric in study.compile.metrics {
            if let name = builder.resolve(metric).stringValue, let made = try? Metrics.named(name, forLoss: loss) {
                metricNames.append(made.name)
            }
        }
        var logged = ["loss"] + metricNames
        if case .functional(let graph) = study.model, graph.outputs.count > 1 {
            // Keras's names for several outputs: the total loss, then per output its loss and metrics.
            logged = ["loss"] + graph.outputs.flatMap { output in ["\(output)_loss"] + metricNames.map { "\(output)_\($0)" } }
        }
        let all = study.data.validation != .none ? logged + logged.map { "val_" + $0 } : logged
        return (all, logged)
    }

    /// Checks that a model study logs (or the tuner measures, `BuiltInModelMetric`) every objective's and
    /// constraint's metric, and that it logs the metric early stopping watches.
    func checkObjectiveMetrics(_ objectives: [Objective], constraints: [MetricConstraint], study: ModelStudy,
                               top: [String: YAMLValue]) {
        let (logged, plain) = loggedMetrics(of: study)
        let measured = BuiltInModelMetric.allCases.map(\.rawValue)
        func check(_ metric: String, at position: YAMLValue?, _ path: String, alsoMeasured: [String] = []) {
            guard !logged.contains(metric), !alsoMeasured.contains(metric) else { return }
            if metric.hasPrefix("val_"), plain.contains(String(metric.dropFirst(4))) {
                reader.fail(position, path, "\"\(metric)\" needs validation data; add data.validation")
                return
            }
            reader.fail(position, path,
                        "the model does not log \"\(metric)\"; it logs \(logged.joined(separator: ", ")) (add the metric to compile.metrics)",
                        suggestion: NameSuggestion.closest(to: metric, among: logged))
        }
        if let single = top["objective"], let first = objectives.first {
            check(first.name, at: single["metric"] ?? single, "objective.metric", alsoMeasured: measured)
        } else {
            let entries = top["objectives"]?.elements ?? []
            for (index, objective) in objectives.enumerated() {
                let entry = index < entries.count ? entries[index] : top["objectives"]
                check(objective.name, at: entry?["metric"] ?? entry, StudyFileReader.index("objectives", index) + ".metric",
                      alsoMeasured: measured)
            }
        }
        let entries = top["constraints"]?.elements ?? []
        for (index, constraint) in constraints.enumerated() {
            let entry = index < entries.count ? entries[index] : top["constraints"]
            check(constraint.metric, at: entry?["metric"] ?? entry, StudyFileReader.index("constraints", index) + ".metric",
                  alsoMeasured: measured)
        }
        if let monitor = study.fit.earlyStopping?.monitor {
            let position = top["fit"]?["early_stopping"]?["monitor"] ?? top["fit"]?["early_stopping"]
            check(monitor, at: position, "fit.early_stopping.monitor")
        }
    }

    // MARK: - Oracle

    static let oracleCommonKeys = ["type", "max_trials", "seed", "executions_per_trial", "max_retries_per_trial", "max_consecutive_failed_trials"]
    static let oracleKindKeys: [OracleSection.Kind: [String]] = [
        .random: [], .grid: [],
        .hyperband: ["max_epochs", "factor", "hyperband_iterations"],
        .bayesian: ["num_initial_points", "alpha", "beta", "acquisition"],
        .bohb: ["max_epochs", "factor", "hyperband_iterations", "random_fraction", "min_points_in_model"],
        .tpe: ["num_initial_points", "num_candidates"],
    ]

    func parseOracle(_ value: YAMLValue) -> OracleSection? {
        let allKeys = Self.oracleCommonKeys
            + ["max_epochs", "factor", "hyperband_iterations", "num_initial_points", "alpha", "beta", "acquisition", "num_candidates",
               "random_fraction", "min_points_in_model"]
        guard let fields = reader.mapping(value, at: "oracle", allowed: allKeys, required: ["type"]) else { return nil }
        guard let typeName = reader.keyword(fields["type"], at: "oracle.type", options: OracleSection.Kind.allCases.map(\.rawValue)),
              let kind = OracleSection.Kind(rawValue: typeName) else { return nil }
        oracleKind = kind
        let allowed = Self.oracleCommonKeys + (Self.oracleKindKeys[kind] ?? [])
        guard let entries = value.entries else { return nil }
        for entry in entries where !allowed.contains(entry.key) && allKeys.contains(entry.key) {
            // In declaration order (a dictionary's order changes from run to run), every kind that takes the key.
            let owners = OracleSection.Kind.allCases.filter { Self.oracleKindKeys[$0]?.contains(entry.key) ?? false }.map(\.rawValue)
            let owner = owners.isEmpty ? "another oracle" : owners.joined(separator: " and ")
            reader.fail(line: entry.keyLine, column: entry.keyColumn, "oracle.\(entry.key)",
                        "\"\(entry.key)\" applies to the \(owner) oracle\(owners.count > 1 ? "s" : ""), not to \(kind.rawValue); remove it or change the type")
        }
        var settings = OracleSection(kind: kind)
        settings.maxTrials = reader.int(fields["max_trials"], at: "oracle.max_trials", in: 1...Int.max)
        if let seed = reader.int(fields["seed"], at: "oracle.seed", in: 0...Int.max) { settings.seed = UInt64(seed) }
        if let count = reader.int(fields["executions_per_trial"], at: "oracle.executions_per_trial", in: 1...Int.max) { settings.executionsPerTrial = count }
        if let count = reader.int(fields["max_retries_per_trial"], at: "oracle.max_retries_per_trial", in: 0...Int.max) { settings.maxRetriesPerTrial = count }
        if let count = reader.int(fields["max_consecutive_failed_trials"], at: "oracle.max_consecutive_failed_trials", in: 1...Int.max) {
            settings.maxConsecutiveFailedTrials = count
        }
        switch kind {
        case .random, .bayesian, .tpe:
            if fields["max_trials"] == nil {
                reader.fail(value, "oracle.max_trials", "the \(kind.rawValue) oracle needs max_trials (how many trials to run)")
            }
        case .grid:
            break
        case .hyperband, .bohb:
            if fields["max_epochs"] == nil {
                reader.fail(value, "oracle.max_epochs", "the \(kind.rawValue) oracle needs max_epochs (the most epochs one model trains)")
            }
        }
        if kind.followsHyperbandSchedule {
            settings.maxEpochs = reader.int(fields["max_epochs"], at: "oracle.max_epochs", in: 1...Int.max)
            maxEpochs = settings.maxEpochs
            if let factor = reader.int(fields["factor"], at: "oracle.factor", in: 2...Int.max) { settings.factor = factor }
            if let iterations = reader.int(fields["hyperband_iterations"], at: "oracle.hyperband_iterations", in: 1...Int.max) {
                settings.hyperbandIterations = iterations
            }
        }
        if kind == .bayesian {
            settings.numInitialPoints = reader.int(fields["num_initial_points"], at: "oracle.num_initial_points", in: 1...Int.max)
            if let alpha = reader.double(fields["alpha"], at: "oracle.alpha", minimum: 0, exclusiveMinimum: true) { settings.alpha = alpha }
            if let beta = reader.double(fields["beta"], at: "oracle.beta", minimum: 0) { settings.beta = beta }
            if let name = reader.keyword(fields["acquisition"], at: "oracle.acquisition", options: ["log_ei", "ucb", "hedge"]) {
                settings.acquisition = name
            }
        }
        if kind == .bohb {
            if fields["random_fraction"] != nil {
                guard let fraction = reader.double(fields["random_fraction"], at: "oracle.random_fraction", minimum: 0) else { return settings }
                if fraction > 1 {
                    reader.fail(fields["random_fraction"], "oracle.random_fraction", "\(fraction) is out of range; expected a share from 0 to 1 (the paper uses 1/3)")
                }
                settings.randomFraction = fraction
            }
            settings.minPointsInModel = reader.int(fields["min_points_in_model"], at: "oracle.min_points_in_model", in: 1...Int.max)
        }
        if kind == .tpe {
            settings.numInitialPoints = reader.int(fields["num_initial_points"], at: "oracle.num_initial_points", in: 0...Int.max)
            settings.numCandidates = reader.int(fields["num_candidates"], at: "oracle.num_candidates", in: 1...Int.max)
        }
        return settings
    }
}
