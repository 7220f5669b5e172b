import StudyStore
import Tuning

extension PrunerSettings {
    /// The TunerKit pruner this section names, with its settings.
    ///
    /// - Throws: `TunerError.invalidArgument` for a setting the pruner refuses (the parser checks the
    ///   same ranges first, so a parsed file does not meet it).
    public func makePruner() throws -> any TrialPruner {
        switch self {
        case let .median(startupTrials, warmupEpochs):
            return MedianStoppingPruner(startupTrials: startupTrials, warmupSteps: warmupEpochs)
        case let .percentile(percentile, startupTrials, warmupEpochs, intervalEpochs):
            return try PercentilePruner(percentile: percentile, startupTrials: startupTrials, warmupSteps: warmupEpochs,
                                        intervalSteps: intervalEpochs)
        case let .threshold(lower, upper, warmupEpochs, intervalEpochs):
            return try ThresholdPruner(lower: lower, upper: upper, warmupSteps: warmupEpochs, intervalSteps: intervalEpochs)
        case let .patient(wrapped, patience, minDelta):
            return try PatientPruner(wrapping: try wrapped?.makePruner(), patience: patience, minDelta: minDelta)
        case let .successiveHalving(minEpochs, factor, minEarlyStoppingRate, bootstrapCount):
            return try SuccessiveHalvingPruner(minResource: minEpochs, reductionFactor: factor,
                                               minEarlyStoppingRate: minEarlyStoppingRate, bootstrapCount: bootstrapCount)
        }
    }
}

extension StudyCoordinator {
    /// The pruner stored with the study (a study file's `pruner:`, `tuner create --pruner`), made; nil
    /// when the study has none.
    ///
    /// - Throws: `StoreError.damagedData` for a stored pruner that cannot be read, `TunerError.invalidArgument`
    ///   for settings the pruner refuses.
    func storedPruner() throws -> (any TrialPruner)? {
        try study.prunerSettings(location: store.location)?.makePruner()
    }
}
