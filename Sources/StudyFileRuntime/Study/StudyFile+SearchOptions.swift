import StudyFiles
import TunerKit

extension StudyFile {
    /// `options` with what the study file says about how the search runs: its retry and failure limits,
    /// and its `tensorboard` folder unless `options` already names one (a `--tensorboard` on the command
    /// line wins over the file's key). Its pruner is stored with the study instead (see the body).
    ///
    /// - Throws: `TunerError.invalidArgument` when the pruner refuses a setting (see `PrunerSettings.makePruner()`).
    public func searchOptions(from options: SearchOptions) throws -> SearchOptions {
        var options = options
        options.maxRetriesPerTrial = oracle.maxRetriesPerTrial
        options.maxConsecutiveFailedTrials = oracle.maxConsecutiveFailedTrials
        // The file's pruner is not a search option: it is stored with the study (`StudyDefinition.pruner`),
        // so its workers and `tuner tell` apply it too. Made here only so settings the pruner refuses
        // fail before any trial.
        if let pruner { _ = try pruner.makePruner() }
        if options.tensorBoard == nil { options.tensorBoard = tensorBoard }
        return options
    }
}
