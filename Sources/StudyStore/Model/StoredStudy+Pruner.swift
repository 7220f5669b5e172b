import JSONValues
import Tuning

extension StoredStudy {
    /// The key of the study's pruner in its oracle configuration (written by TunerKit when a study is
    /// created or resumed with a pruner; read by every worker, `tuner tell` and reports).
    public static let prunerConfigurationKey = "tuner_pruner"

    /// The pruner stored with the study, or nil when it has none — studies created before pruners were
    /// stored, imported ones and studies without a pruner.
    ///
    /// - Throws: `StoreError.damagedData` naming the study and `oracle_config` when the stored pruner
    ///   cannot be read.
    public func prunerSettings(location: String) throws(StoreError) -> PrunerSettings? {
        guard let stored = oracleConfiguration.objectValue?[Self.prunerConfigurationKey], stored != .null else { return nil }
        do {
            return try stored.decode(PrunerSettings.self)
        } catch {
            throw .damagedData(location: location, study: name, trial: nil, field: "oracle_config",
                               detail: "its pruner (\(Self.prunerConfigurationKey)) cannot be read: \(error)")
        }
    }
}
