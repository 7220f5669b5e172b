import Tuning

extension StudyFileParser {
    static let prunerKeys: [String: [String]] = [
        "median": ["startup_trials", "warmup_epochs"],
        "percentile": ["percentile", "startup_trials", "warmup_epochs", "interval_epochs"],
        "threshold": ["lower", "upper", "warmup_epochs", "interval_epochs"],
        "patient": ["patience", "min_delta", "wrap"],
        "asha": ["min_epochs", "factor", "min_early_stopping_rate", "bootstrap_count"],
    ]

    /// The `pruner` section (or a `wrap` inside one): `type` and that type's settings, each checked where
    /// it is written.
    func parsePruner(_ value: YAMLValue, at path: String = "pruner") -> PrunerSettings? {
        let allKeys = ["type"] + Set(Self.prunerKeys.values.flatMap { $0 }).sorted()
        guard let fields = reader.mapping(value, at: path, allowed: allKeys, required: ["type"]) else { return nil }
        guard let type = reader.keyword(fields["type"], at: "\(path).type", options: PrunerSettings.typeNames) else { return nil }
        let allowed = ["type"] + (Self.prunerKeys[type] ?? [])
        for entry in value.entries ?? [] where !allowed.contains(entry.key) && allKeys.contains(entry.key) {
            reader.fail(line: entry.keyLine, column: entry.keyColumn, "\(path).\(entry.key)",
                        "\"\(entry.key)\" is not a setting of the \(type) pruner; its settings are \((Self.prunerKeys[type] ?? []).joined(separator: ", "))")
        }
        func count(_ key: String, _ defaultValue: Int, minimum: Int = 0) -> Int? {
            guard fields[key] != nil else { return defaultValue }
            return reader.int(fields[key], at: "\(path).\(key)", in: minimum...Int.max)
        }
        switch type {
        case "median":
            guard let startup = count("startup_trials", 5), let warmup = count("warmup_epochs", 0) else { return nil }
            return .median(startupTrials: startup, warmupEpochs: warmup)
        case "percentile":
            guard fields["percentile"] != nil else {
                reader.fail(value, "\(path).percentile", "the percentile pruner needs percentile (the share of trials kept, 0 < p <= 100)")
                return nil
            }
            guard let percentile = reader.double(fields["percentile"], at: "\(path).percentile", minimum: 0, exclusiveMinimum: true)
            else { return nil }
            guard percentile <= 100 else {
                reader.fail(fields["percentile"], "\(path).percentile", "\(percentile) is out of range; expected 0 < p <= 100")
                return nil
            }
            guard let startup = count("startup_trials", 5), let warmup = count("warmup_epochs", 0),
                  let interval = count("interval_epochs", 1, minimum: 1) else { return nil }
            return .percentile(percentile: percentile, startupTrials: startup, warmupEpochs: warmup, intervalEpochs: interval)
        case "threshold":
            let lower = fields["lower"].flatMap { reader.double($0, at: "\(path).lower") }
            let upper = fields["upper"].flatMap { reader.double($0, at: "\(path).upper") }
            if fields["lower"] == nil && fields["upper"] == nil {
                reader.fail(value, path, "the threshold pruner needs lower, upper or both")
                return nil
            }
            if let lower, let upper, lower > upper {
                reader.fail(fields["lower"], "\(path).lower", "lower \(lower) is above upper \(upper)")
                return nil
            }
            guard let warmup = count("warmup_epochs", 0), let interval = count("interval_epochs", 1, minimum: 1) else { return nil }
            return .threshold(lower: lower, upper: upper, warmupEpochs: warmup, intervalEpochs: interval)
        case "patient":
            guard fields["patience"] != nil else {
                reader.fail(value, "\(path).patience", "the patient pruner needs patience (epochs without improvement tolerated)")
                return nil
            }
            guard let patience = count("patience", 0) else { return nil }
            let minDelta = fields["min_delta"] == nil ? 0 : reader.double(fields["min_delta"], at: "\(path).min_delta", minimum: 0)
            let wrapped = fields["wrap"].flatMap { parsePruner($0, at: "\(path).wrap") }
            guard let minDelta, fields["wrap"] == nil || wrapped != nil else { return nil }
            return .patient(wrapped: wrapped, patience: patience, minDelta: minDelta)
        default:
            guard let minEpochs = count("min_epochs", 1, minimum: 1), let factor = count("factor", 4, minimum: 2),
                  let rate = count("min_early_stopping_rate", 0), let bootstrap = count("bootstrap_count", 0) else { return nil }
            return .successiveHalving(minEpochs: minEpochs, factor: factor, minEarlyStoppingRate: rate, bootstrapCount: bootstrap)
        }
    }
}
