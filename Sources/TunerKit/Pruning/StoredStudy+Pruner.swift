import JSONValues
import StudyStore
import Tuning

extension StoredStudy {
    /// The pruner stored with the study (`tuner_pruner` in its oracle configuration), or nil when it has
    /// none — studies created before pruners were stored, imported ones and studies without a pruner.
    ///
    /// - Throws: `StoreError.damagedData` naming the study and `oracle_config` when the stored pruner
    ///   cannot be read.
    public func prunerSettings(location: String) throws -> PrunerSettings? {
        guard let stored = oracleConfiguration.objectValue?["tuner_pruner"], stored != .null else { return nil }
        do {
            return try stored.decode(PrunerSettings.self)
        } catch {
            throw StoreError.damagedData(location: location, study: name, trial: nil, field: "oracle_config",
                                         detail: "its pruner (tuner_pruner) cannot be read: \(error)")
        }
    }
}
