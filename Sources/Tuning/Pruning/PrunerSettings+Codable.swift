extension PrunerSettings: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Writes `{"type": ..., <setting>: ...}` with the study file's keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(typeName, forKey: Key("type"))
        for field in fields {
            switch field.value {
            case .int(let value): try container.encode(value, forKey: Key(field.key))
            case .double(let value): try container.encode(value, forKey: Key(field.key))
            case .pruner(let wrapped): try container.encode(wrapped, forKey: Key(field.key))
            }
        }
    }

    /// Reads what `encode(to:)` writes; a missing setting takes Optuna's default, as in a study file.
    ///
    /// - Throws: `DecodingError` for an unknown `type`, a missing required setting, or a value of the
    ///   wrong kind.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let type = try container.decode(String.self, forKey: Key("type"))
        func int(_ key: String, _ defaultValue: Int) throws -> Int {
            try container.decodeIfPresent(Int.self, forKey: Key(key)) ?? defaultValue
        }
        func double(_ key: String) throws -> Double? { try container.decodeIfPresent(Double.self, forKey: Key(key)) }
        switch type {
        case "median":
            self = .median(startupTrials: try int("startup_trials", 5), warmupEpochs: try int("warmup_epochs", 0))
        case "percentile":
            guard let percentile = try double("percentile") else {
                throw DecodingError.keyNotFound(Key("percentile"), .init(codingPath: container.codingPath,
                                                                        debugDescription: "the percentile pruner needs percentile"))
            }
            self = .percentile(percentile: percentile, startupTrials: try int("startup_trials", 5),
                               warmupEpochs: try int("warmup_epochs", 0), intervalEpochs: try int("interval_epochs", 1))
        case "threshold":
            self = .threshold(lower: try double("lower"), upper: try double("upper"), warmupEpochs: try int("warmup_epochs", 0),
                              intervalEpochs: try int("interval_epochs", 1))
        case "patient":
            self = .patient(wrapped: try container.decodeIfPresent(PrunerSettings.self, forKey: Key("wrap")),
                            patience: try int("patience", 0), minDelta: try double("min_delta") ?? 0)
        case "asha":
            self = .successiveHalving(minEpochs: try int("min_epochs", 1), factor: try int("factor", 4),
                                      minEarlyStoppingRate: try int("min_early_stopping_rate", 0),
                                      bootstrapCount: try int("bootstrap_count", 0))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: Key("type"), in: container,
                debugDescription: "unknown pruner type \"\(type)\"; expected one of \(PrunerSettings.typeNames.joined(separator: ", "))")
        }
    }
}
