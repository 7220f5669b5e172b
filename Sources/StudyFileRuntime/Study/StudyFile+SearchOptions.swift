import StudyFiles
import TunerKit

extension StudyFile {
    /// `options` with what the study file says about how the search runs: its retry and failure limits,
    /// its pruner, and its `tensorboard` folder unless `options` already names one (a `--tensorboard` on
    /// the command line wins over the file's key).
    ///
    /// - Throws: `TunerError.invalidArgument` when the pruner refuses a setting (see `PrunerSection.makePruner()`).
    public func searchOptions(from options: SearchOptions) throws -> SearchOptions {
        var options = options
        options.maxRetriesPerTrial = oracle.maxRetriesPerTrial
        options.maxConsecutiveFailedTrials = oracle.maxConsecutiveFailedTrials
        if let pruner { options.pruner = try pruner.makePruner() }
        if options.tensorBoard == nil { options.tensorBoard = tensorBoard }
        return options
    }
}
