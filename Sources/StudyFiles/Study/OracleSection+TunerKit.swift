import TunerKit

extension OracleSection {
    /// The oracle part of this section as TunerKit's settings (the seed, executions and failure limits
    /// are read by the caller from the section itself).
    public var tunerSettings: OracleSettings {
        switch kind {
        case .random:
            return OracleSettings(kind: .random, maxTrials: maxTrials)
        case .grid:
            return .gridSearch(maxTrials: maxTrials)
        case .hyperband:
            return .hyperband(maxEpochs: maxEpochs ?? 1, factor: factor, iterations: hyperbandIterations, maxTrials: maxTrials)
        case .bayesian:
            var settings = OracleSettings.bayesian(
                maxTrials: maxTrials ?? 1, numInitialPoints: numInitialPoints, alpha: alpha, beta: beta, acquisition: acquisitionName)
            settings.maxTrials = maxTrials
            return settings
        }
    }
}
