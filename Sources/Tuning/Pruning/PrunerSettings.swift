/// Which pruner stops a study's unpromising trials early, and its settings, with Optuna's defaults: the
/// value a study file's `pruner:` section, `tuner create --pruner` and a stored study hold. It is a value,
/// not a pruner, so that it can be stored with a study and read back by every worker and by `tuner tell`;
/// TunerKit's `makePruner()` makes the pruner it names. An epoch is a reported step for command and
/// ask-and-tell studies.
///
/// Encoded (`Codable`) as the study file writes it: `{"type": "asha", "min_epochs": 1, "factor": 3}`.
public indirect enum PrunerSettings: Sendable, Hashable {
    /// `type: median`: worse than the median of the completed trials at the epoch.
    case median(startupTrials: Int, warmupEpochs: Int)
    /// `type: percentile`: best value so far worse than `percentile` of the completed trials.
    case percentile(percentile: Double, startupTrials: Int, warmupEpochs: Int, intervalEpochs: Int)
    /// `type: threshold`: a value outside `lower`...`upper`, or NaN.
    case threshold(lower: Double?, upper: Double?, warmupEpochs: Int, intervalEpochs: Int)
    /// `type: patient`: no improvement over `patience + 1` epochs, then `wrap` decides (or prune).
    case patient(wrapped: PrunerSettings?, patience: Int, minDelta: Double)
    /// `type: asha`: asynchronous successive halving with rungs at `minEpochs * factor^(rate + k)`.
    case successiveHalving(minEpochs: Int, factor: Int, minEarlyStoppingRate: Int, bootstrapCount: Int)

    /// The names of `type`, in the order the docs list them.
    public static let typeNames = ["median", "percentile", "threshold", "patient", "asha"]

    /// The `type` this setting is written with (`asha` for successive halving).
    public var typeName: String {
        switch self {
        case .median: return "median"
        case .percentile: return "percentile"
        case .threshold: return "threshold"
        case .patient: return "patient"
        case .successiveHalving: return "asha"
        }
    }

    /// The settings as the study file's keys and values, `type` first among them when sorted by the
    /// caller (numbers as `Double` or `Int`, a wrapped pruner as a nested mapping).
    public var fields: [(key: String, value: PrunerSettingValue)] {
        switch self {
        case let .median(startupTrials, warmupEpochs):
            return [("startup_trials", .int(startupTrials)), ("warmup_epochs", .int(warmupEpochs))]
        case let .percentile(percentile, startupTrials, warmupEpochs, intervalEpochs):
            return [("percentile", .double(percentile)), ("startup_trials", .int(startupTrials)),
                    ("warmup_epochs", .int(warmupEpochs)), ("interval_epochs", .int(intervalEpochs))]
        case let .threshold(lower, upper, warmupEpochs, intervalEpochs):
            var fields: [(key: String, value: PrunerSettingValue)] = []
            if let lower { fields.append(("lower", .double(lower))) }
            if let upper { fields.append(("upper", .double(upper))) }
            return fields + [("warmup_epochs", .int(warmupEpochs)), ("interval_epochs", .int(intervalEpochs))]
        case let .patient(wrapped, patience, minDelta):
            var fields: [(key: String, value: PrunerSettingValue)] = [("patience", .int(patience)), ("min_delta", .double(minDelta))]
            if let wrapped { fields.append(("wrap", .pruner(wrapped))) }
            return fields
        case let .successiveHalving(minEpochs, factor, minEarlyStoppingRate, bootstrapCount):
            return [("min_epochs", .int(minEpochs)), ("factor", .int(factor)),
                    ("min_early_stopping_rate", .int(minEarlyStoppingRate)), ("bootstrap_count", .int(bootstrapCount))]
        }
    }

    /// Why this pruner cannot judge the trials of a study on several objectives, or nil when it can:
    /// asynchronous successive halving ranks a rung's trials by non-dominated sorting; the others compare
    /// one value, so they would prune on the first objective alone (Optuna refuses every pruner there).
    public var refusalForSeveralObjectives: String? {
        if case .successiveHalving = self { return nil }
        return "the \(typeName) pruner compares one objective's values and cannot judge a study on several objectives; "
            + "use the asha pruner, which ranks each rung's trials by non-dominated sorting, or no pruner"
    }

    /// The steps (0-based epochs) at which asynchronous successive halving judges trials, up to
    /// `lastStep`: `minEpochs * factor^(rate + k)`; a patient pruner's are those of the pruner it wraps;
    /// other pruners have none (they judge every step past their warm-up).
    public func rungSteps(through lastStep: Int) -> [Int] {
        switch self {
        case let .successiveHalving(minEpochs, factor, minEarlyStoppingRate, _):
            guard minEpochs >= 1, factor >= 2, minEarlyStoppingRate >= 0 else { return [] }
            var steps: [Int] = []
            while let step = Self.successiveHalvingStep(ofRung: steps.count, minEpochs: minEpochs, factor: factor,
                                                        minEarlyStoppingRate: minEarlyStoppingRate), step <= lastStep {
                steps.append(step)
            }
            return steps
        case let .patient(wrapped, _, _):
            return wrapped?.rungSteps(through: lastStep) ?? []
        case .median, .percentile, .threshold:
            return []
        }
    }

    /// The step of asynchronous successive halving's rung `rung`: `minEpochs * factor^(minEarlyStoppingRate
    /// + rung)`, or nil past `Int`'s range (the one rung arithmetic of the pruner and of report charts).
    public static func successiveHalvingStep(ofRung rung: Int, minEpochs: Int, factor: Int, minEarlyStoppingRate: Int) -> Int? {
        var step = minEpochs
        for _ in 0..<(minEarlyStoppingRate + rung) {
            let (next, overflow) = step.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            step = next
        }
        return step
    }

    /// One line for people: `asha(min_epochs: 1, factor: 3, min_early_stopping_rate: 0, bootstrap_count: 0)`.
    public var description: String {
        let settings = fields.map { field -> String in
            switch field.value {
            case .int(let value): return "\(field.key): \(value)"
            case .double(let value): return "\(field.key): \(value)"
            case .pruner(let wrapped): return "\(field.key): \(wrapped.description)"
            }
        }
        return "\(typeName)(\(settings.joined(separator: ", ")))"
    }
}

/// A setting's value in `PrunerSettings.fields`.
public enum PrunerSettingValue: Sendable, Hashable {
    /// A count of trials or epochs.
    case int(Int)
    /// A percentile, a bound or a minimum improvement.
    case double(Double)
    /// The pruner a patient pruner wraps.
    case pruner(PrunerSettings)
}
