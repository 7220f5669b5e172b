import Foundation
import Neural
import Tuning

extension StudyFileParser {
    /// `data`, `model`, `compile` and `fit` of a model study.
    func parseModelStudy(_ top: [String: YAMLValue]) -> ModelStudy? {
        let model = top["model"].flatMap(parseModel)
        if case .functional(let graph)? = model { outputCount = graph.outputs.count }
        var data = top["data"].flatMap { parseData($0, model: model) }
        data?.outputCount = outputCount
        let compile = top["compile"].flatMap(parseCompile)
        let fit = parseFit(top["fit"])
        guard let data, let model, let compile, let fit else { return nil }
        return ModelStudy(data: data, model: model, compile: compile, fit: fit)
    }

    // MARK: - Compile

    func parseCompile(_ value: YAMLValue) -> CompileSettings? {
        guard let fields = reader.mapping(
            value, at: "compile", allowed: ["loss", "optimizer", "learning_rate", "optimizer_options", "metrics", "loss_weights"],
            required: ["loss", "optimizer"]) else { return nil }
        let before = reader.issues.count
        let loss = fields["loss"].flatMap { named($0, at: "compile.loss", what: "loss", known: Losses.knownNames) { name in
            try Losses.named(name)
        } }
        let optimizer = fields["optimizer"].flatMap { named($0, at: "compile.optimizer", what: "optimizer", known: Optimizers.knownNames) { name in
            try Optimizers.named(name)
        } }
        var learningRate: TemplateValue?
        if let rateValue = fields["learning_rate"] {
            learningRate = parseTemplateValue(rateValue, at: "compile.learning_rate")
            if let rate = learningRate {
                for sample in samples(of: rate) {
                    guard let number = sample.doubleValue, number > 0, number.isFinite else {
                        if !reportNearReference(rateValue, at: "compile.learning_rate") {
                            reader.fail(rateValue, "compile.learning_rate", "expected a positive number or a float hyperparameter, found \(sample)")
                        }
                        break
                    }
                }
            }
        }
        var options: [String: TemplateValue] = [:]
        if let optionsValue = fields["optimizer_options"] {
            if let entries = optionsValue.entries {
                for entry in entries {
                    if let parsed = parseTemplateValue(entry.value, at: "compile.optimizer_options.\(entry.key)") { options[entry.key] = parsed }
                }
            } else {
                reader.fail(optionsValue, "compile.optimizer_options", "expected a mapping of optimizer arguments such as { momentum: 0.9 }, found \(optionsValue.summary)")
            }
        }
        var metrics: [TemplateValue] = []
        if let metricsValue = fields["metrics"] {
            let list = metricsValue.elements ?? [metricsValue]
            for (index, element) in list.enumerated() {
                let path = metricsValue.elements == nil ? "compile.metrics" : "compile.metrics[\(index)]"
                let known = ["accuracy", "acc"] + Metrics.knownNames
                let lossObject = loss.flatMap { samples(of: $0).first?.stringValue }.flatMap { try? Losses.named($0) }
                if let metric = named(element, at: path, what: "metric", known: known, check: { name in try Metrics.named(name, forLoss: lossObject) }) {
                    metrics.append(metric)
                }
            }
        }
        var lossWeights: [Double]?
        if let weightsValue = fields["loss_weights"], let list = reader.sequence(weightsValue, at: "compile.loss_weights") {
            let weights = list.enumerated().compactMap { reader.double($1, at: "compile.loss_weights[\($0)]", minimum: 0) }
            if weights.count == list.count {
                if weights.count != outputCount {
                    reader.fail(weightsValue, "compile.loss_weights", "\(weights.count) weights for a model with \(outputCount) output\(outputCount == 1 ? "" : "s"); give one per output")
                } else {
                    lossWeights = weights
                }
            }
        }
        guard let loss, let optimizer, reader.issues.count == before else { return nil }
        let settings = CompileSettings(
            loss: loss, optimizer: optimizer, learningRate: learningRate, optimizerOptions: options, metrics: metrics,
            lossWeights: lossWeights)
        // Make the optimizer for each choice with the defaults: checks options and rates.
        var space = SearchSpace()
        for name in names { if let spec = specs[name] { try? space.add(spec) } }
        for sample in samples(of: optimizer) {
            var assignment: [String: HyperParameterValue] = [:]
            if case .hyperParameter(let name) = optimizer { assignment[name] = sample }
            let builder = TemplateBuilder(values: space.completed(assignment), fallbacks: defaultValues)
            do {
                _ = try builder.makeOptimizer(settings, name: sample.stringValue ?? "")
            } catch {
                reader.fail(fields["optimizer_options"] ?? fields["optimizer"] ?? value, "compile", "\(error)")
                return nil
            }
        }
        return settings
    }

    /// The values a template value can take (each sample of a referenced parameter).
    func samples(of value: TemplateValue) -> [HyperParameterValue] {
        switch value {
        case .hyperParameter(let name): return sampleValues(of: name)
        case .literal(let literal):
            switch literal {
            case .int(let number): return [.int(number)]
            case .double(let number): return [.float(number)]
            case .string(let text): return [.string(text)]
            case .bool(let flag): return [.bool(flag)]
            default: return []
            }
        default: return []
        }
    }

    /// A name (or a reference to a parameter whose values are names) accepted by `check`.
    private func named(
        _ value: YAMLValue, at path: String, what: String, known: [String], check: (String) throws -> Any
    ) -> TemplateValue? {
        guard let parsed = parseTemplateValue(value, at: path) else { return nil }
        let candidates = samples(of: parsed)
        if candidates.isEmpty {
            reader.fail(value, path, "expected a \(what) name or a hyperparameter whose values are \(what) names, found \(value.summary)")
            return nil
        }
        for candidate in candidates {
            guard let name = candidate.stringValue else {
                reader.fail(value, path, "expected a \(what) name, found \(candidate)")
                return nil
            }
            do {
                _ = try check(name)
            } catch {
                if reportNearReference(value, at: path) { return nil }
                let via = parsed.referencedNames.first.map { " (a value of hyperparameter \"\($0)\")" } ?? ""
                reader.fail(value, path, "unknown \(what) \"\(name)\"\(via)", suggestion: NameSuggestion.closest(to: name, among: known))
                return nil
            }
        }
        return parsed
    }

    // MARK: - Fit

    func parseFit(_ value: YAMLValue?) -> FitSettings? {
        let defaultEpochs = oracleKind?.followsHyperbandSchedule == true ? maxEpochs : nil
        guard let value else {
            if let defaultEpochs { return FitSettings(epochs: defaultEpochs, batchSize: nil, shuffle: true, normalize: nil, earlyStopping: nil) }
            reader.fail(line: 1, column: 1, "fit", "missing required key \"fit\" with at least epochs (only Hyperband studies may leave it out)")
            return nil
        }
        guard let fields = reader.mapping(value, at: "fit", allowed: ["epochs", "batch_size", "shuffle", "normalize", "early_stopping"]) else {
            return nil
        }
        let before = reader.issues.count
        var epochs = reader.int(fields["epochs"], at: "fit.epochs", in: 1...Int.max)
        if fields["epochs"] == nil {
            if let defaultEpochs { epochs = defaultEpochs } else { reader.fail(value, "fit.epochs", "missing required key \"epochs\"") }
        }
        var batchSize: TemplateValue?
        if let batchValue = fields["batch_size"], let parsed = parseTemplateValue(batchValue, at: "fit.batch_size") {
            if samples(of: parsed).allSatisfy({ ($0.intValue ?? 0) >= 1 }) && !samples(of: parsed).isEmpty {
                batchSize = parsed
            } else if !reportNearReference(batchValue, at: "fit.batch_size") {
                reader.fail(batchValue, "fit.batch_size", "expected a positive integer or an integer hyperparameter, found \(batchValue.summary)")
            }
        }
        let shuffle = reader.bool(fields["shuffle"], at: "fit.shuffle") ?? true
        var normalize: TemplateValue?
        if let normalizeValue = fields["normalize"], let parsed = parseTemplateValue(normalizeValue, at: "fit.normalize") {
            if samples(of: parsed).allSatisfy({ $0.boolValue != nil }) && !samples(of: parsed).isEmpty {
                normalize = parsed
            } else if !reportNearReference(normalizeValue, at: "fit.normalize") {
                reader.fail(normalizeValue, "fit.normalize", "expected true, false or a boolean hyperparameter, found \(normalizeValue.summary)")
            }
        }
        var earlyStopping: EarlyStoppingSettings?
        if let stopValue = fields["early_stopping"] {
            if case .bool(let flag) = stopValue.kind {
                earlyStopping = flag ? EarlyStoppingSettings() : nil
            } else if let stop = reader.mapping(stopValue, at: "fit.early_stopping", allowed: ["monitor", "patience", "min_delta", "restore_best_weights"], what: "true, false or a mapping") {
                var settings = EarlyStoppingSettings()
                if let monitor = reader.string(stop["monitor"], at: "fit.early_stopping.monitor") { settings.monitor = monitor }
                if let patience = reader.int(stop["patience"], at: "fit.early_stopping.patience", in: 0...Int.max) { settings.patience = patience }
                if let delta = reader.double(stop["min_delta"], at: "fit.early_stopping.min_delta", minimum: 0) { settings.minDelta = delta }
                if let restore = reader.bool(stop["restore_best_weights"], at: "fit.early_stopping.restore_best_weights") {
                    settings.restoreBestWeights = restore
                }
                earlyStopping = settings
            }
        }
        guard let epochs, reader.issues.count == before else { return nil }
        return FitSettings(epochs: epochs, batchSize: batchSize, shuffle: shuffle, normalize: normalize, earlyStopping: earlyStopping)
    }

    // MARK: - Data

    func parseData(_ value: YAMLValue, model: ModelTemplate?) -> DataSettings? {
        let sources = ["fashion-mnist", "idx", "csv"]
        guard let entries = value.entries else {
            reader.fail(value, "data", "expected a mapping such as { source: fashion-mnist, validation: 5000, scale: 255 }, found \(value.summary)")
            return nil
        }
        guard let sourceEntry = entries.first(where: { $0.key == "source" }) else {
            reader.fail(value, "data.source", "missing required key \"source\" (one of \(sources.joined(separator: ", ")))")
            return nil
        }
        guard let sourceName = reader.keyword(sourceEntry.value, at: "data.source", options: sources) else { return nil }
        let common = ["source", "validation", "scale", "limit"]
        let allowed: [String]
        switch sourceName {
        case "fashion-mnist": allowed = common + ["directory"]
        case "idx": allowed = common + ["images", "labels"]
        default: allowed = common + ["path", "label", "inputs"]
        }
        let required = sourceName == "idx" ? ["images", "labels"] : sourceName == "csv" ? ["path", "label"] : []
        guard let fields = reader.mapping(value, at: "data", allowed: allowed, required: required) else { return nil }
        let before = reader.issues.count

        func file(_ key: String, in fields: [String: YAMLValue], at path: String) -> String? {
            guard let relative = reader.string(fields[key], at: path) else { return nil }
            let resolved = resolve(relative)
            if !FileManager.default.fileExists(atPath: resolved) {
                reader.fail(fields[key], path, "the file \"\(resolved)\" does not exist")
                return nil
            }
            return resolved
        }

        var source: DataSettings.Source?
        switch sourceName {
        case "fashion-mnist":
            let directory = reader.string(fields["directory"], at: "data.directory").map(resolve) ?? FashionMNIST.defaultDirectory
            source = .fashionMNIST(directory: directory)
        case "idx":
            if let images = file("images", in: fields, at: "data.images"), let labels = file("labels", in: fields, at: "data.labels") {
                source = .idx(images: images, labels: labels)
            }
        default:
            if let path = file("path", in: fields, at: "data.path"), let label = reader.string(fields["label"], at: "data.label") {
                source = .csv(path: path, label: label)
            }
        }

        var validation = DataSettings.Validation.none
        if let validationValue = fields["validation"] {
            switch validationValue.kind {
            case .int(let count) where count >= 1:
                validation = .count(count)
            case .double(let fraction) where fraction > 0 && fraction < 1:
                validation = .fraction(fraction)
            case .string("test") where sourceName == "fashion-mnist":
                validation = .testSplit
            case .mapping where sourceName == "idx":
                if let files = reader.mapping(validationValue, at: "data.validation", allowed: ["images", "labels"], required: ["images", "labels"]),
                   let images = file("images", in: files, at: "data.validation.images"),
                   let labels = file("labels", in: files, at: "data.validation.labels") {
                    validation = .idxFiles(images: images, labels: labels)
                }
            case .mapping where sourceName == "csv":
                if let files = reader.mapping(validationValue, at: "data.validation", allowed: ["path"], required: ["path"]),
                   let path = file("path", in: files, at: "data.validation.path") {
                    validation = .csvFile(path: path)
                }
            default:
                let forms = sourceName == "fashion-mnist" ? "test" : sourceName == "idx" ? "{ images, labels }" : "{ path }"
                reader.fail(validationValue, "data.validation", "expected a count of samples (≥ 1), a fraction between 0 and 1, or \(forms), found \(validationValue.summary)")
            }
        }

        var scaling: DataSettings.Scaling?
        if let scaleValue = fields["scale"] {
            if scaleValue.string == "standardize" {
                scaling = .standardize
            } else if let number = scaleValue.number, number > 0 {
                scaling = .divide(number)
            } else {
                reader.fail(scaleValue, "data.scale", "expected a positive number to divide the features by (255 for pixels) or standardize, found \(scaleValue.summary)")
            }
        }
        let limit = reader.int(fields["limit"], at: "data.limit", in: 1...Int.max)

        var inputColumns: [(name: String, columns: [String])] = []
        if let inputsValue = fields["inputs"] {
            if let inputEntries = inputsValue.entries, !inputEntries.isEmpty {
                for entry in inputEntries {
                    let path = "data.inputs.\(entry.key)"
                    guard let list = reader.sequence(entry.value, at: path) else { continue }
                    let columns = list.enumerated().compactMap { reader.string($1, at: "\(path)[\($0)]") }
                    inputColumns.append((entry.key, columns))
                }
            } else {
                reader.fail(inputsValue, "data.inputs", "expected a mapping from model input names to lists of CSV columns, found \(inputsValue.summary)")
            }
        }
        // The inputs must match a functional model's inputs, in its order.
        if case .functional(let graph)? = model {
            let modelInputs = graph.inputs.map(\.name)
            if modelInputs.count > 1 || !inputColumns.isEmpty {
                if sourceName != "csv" {
                    reader.fail(value, "data", "a model with several inputs needs csv data with data.inputs naming each input's columns")
                } else if inputColumns.isEmpty {
                    reader.fail(value, "data.inputs", "the model has inputs \(modelInputs.joined(separator: ", ")); list each one's CSV columns under data.inputs")
                } else {
                    let given = inputColumns.map(\.name)
                    for name in given where !modelInputs.contains(name) {
                        reader.fail(fields["inputs"]?[name] ?? value, "data.inputs.\(name)", "the model has no input \"\(name)\"",
                                    suggestion: NameSuggestion.closest(to: name, among: modelInputs))
                    }
                    for name in modelInputs where !given.contains(name) {
                        reader.fail(fields["inputs"] ?? value, "data.inputs", "missing the columns of model input \"\(name)\"")
                    }
                    inputColumns = modelInputs.compactMap { name in inputColumns.first { $0.name == name } }
                }
            }
        } else if !inputColumns.isEmpty {
            reader.fail(fields["inputs"] ?? value, "data.inputs", "data.inputs is for functional models with named inputs; a Sequential model takes every feature column")
        }

        guard let source, reader.issues.count == before else { return nil }
        return DataSettings(source: source, validation: validation, scaling: scaling, limit: limit, inputColumns: inputColumns)
    }
}
