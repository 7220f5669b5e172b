import ArgumentParser
import Foundation
import Neural
import TunerKit

/// `--parallel N` and `--blas-threads N` for the commands that run trials (`tuner search`, `tuner
/// worker`): how many trials this process runs at once, and how many OpenBLAS threads each uses.
///
/// By default a process runs one trial per core with one BLAS thread each (`SearchOptions`' default):
/// the models tuned here train on small batches, where a second trial gains far more than a second
/// BLAS thread for the same one (the book's random search: see docs/tuner.md, "Trials at once").
struct TrialThreadOptions: ParsableArguments {
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Trials to run at once in this process (default: one per core, \(SearchOptions.defaultParallelTrials) here).",
                               valueName: "n"))
    var parallel: Int?

    @Option(name: .customLong("blas-threads"), parsing: .unconditional,
            help: ArgumentHelp("OpenBLAS threads per trial (1 is fastest for these models on small batches).", valueName: "n"))
    var blasThreads: Int = 1

    /// Refuses counts below 1.
    func validate() throws {
        if let parallel, parallel < 1 { throw ValidationError("--parallel must be at least 1, got \(parallel)") }
        guard blasThreads >= 1 else { throw ValidationError("--blas-threads must be at least 1, got \(blasThreads)") }
    }

    /// Sets OpenBLAS's thread count for this process and the trials at once in `options` (the default
    /// stays when `--parallel` was not given).
    func apply(to options: inout SearchOptions) {
        BLAS.setThreadCount(blasThreads)
        if let parallel { options.parallelTrials = parallel }
    }
}
