import Neural
import StudyFiles
import TunerKit
import Tuning

extension OracleSection.Kind {
    /// The tuner's oracle family of the same name.
    public var tunerKind: OracleSettings.Kind {
        switch self {
        case .random: .random
        case .grid: .grid
        case .hyperband: .hyperband
        case .bayesian: .bayesian
        case .bohb: .bohb
        case .tpe: .tpe
        }
    }
}

extension OracleSection {
    /// The algorithm and its settings as the tuner takes them: only the settings of its kind are set
    /// (the section's fields, field for field).
    public var tunerSettings: OracleSettings {
        var settings = OracleSettings(kind: kind.tunerKind, maxTrials: maxTrials)
        settings.maxEpochs = maxEpochs
        settings.factor = factor
        settings.hyperbandIterations = hyperbandIterations
        settings.numInitialPoints = numInitialPoints
        settings.alpha = alpha
        settings.beta = beta
        settings.acquisition = acquisition
        settings.randomFraction = randomFraction
        settings.minPointsInModel = minPointsInModel
        settings.numCandidates = numCandidates
        return settings
    }

    /// A new oracle of this kind for `objective` on `searchSpace`, with this section's seed.
    ///
    /// - Throws: `OracleError` when the oracle refuses a setting or the space (grid search needs
    ///   every float to have a step; Hyperband needs `maxEpochs`).
    public func makeOracle(objective: Objective, searchSpace: SearchSpace) throws(OracleError) -> any Oracle {
        try tunerSettings.makeOracle(objective: objective, searchSpace: searchSpace, seed: seed)
    }
}
