import ArgumentParser

/// `tuner`: run studies from study files, join them as a worker, inspect and export results, drive any
/// oracle from other programs with ask / tell, and watch studies live in a browser (`tuner dashboard`).
///
/// Exit codes: 0 success, 1 a failed run (a search that stopped on errors, a storage problem),
/// 64 a usage error (bad arguments, an invalid study file: nothing ran).
@main
struct TunerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tuner",
        abstract: "Hyperparameter tuning with studies stored in SQLite or PostgreSQL.",
        discussion: """
            Studies live in one SQLite file (--storage PATH) or one PostgreSQL database shared by \
            workers on many machines (--storage postgresql://user@host:port/database); without \
            --storage, $TUNER_STORAGE, else tuner.sqlite in the current folder. Exit codes: 0 success, \
            1 failed run, 64 usage error.
            """,
        subcommands: [
            SearchCommand.self, WorkerCommand.self, StudiesCommand.self, TrialsCommand.self, BestCommand.self,
            SummaryCommand.self, DeleteCommand.self, CreateCommand.self, AskCommand.self, TellCommand.self,
            ExportCommand.self, ImportCommand.self, CopyCommand.self, DashboardCommand.self,
        ]
    )
}
