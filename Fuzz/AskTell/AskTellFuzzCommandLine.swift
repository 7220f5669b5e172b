/// The command lines of the `ask-tell` fuzz target, shared by the target (which runs them in process)
/// and `make test`'s replay of its seeds (`FuzzReplayTests`, which runs the `tuner` binary).
///
/// One input is a `tuner ask` or `tuner tell` command line, one argument per line
/// (`tell\ns\n--trial\n2\n--value\n-3.2`), run against a fresh copy of a small store made once.
enum AskTellFuzzCommandLine {
    /// The search space of the store's studies.
    static let spaceYAML = "hyperparameters:\n  x: { type: float, min: -1, max: 1 }\n  n: { type: int, min: 1, max: 4 }\n  opt: { type: choice, values: [sgd, adam] }\n"

    /// The commands that make the store, given the space file's path, each to be run with `--storage`:
    /// `s` is a random search with trial 1 RUNNING and trial 2 COMPLETE; `h` a Hyperband study with
    /// trial 1 RUNNING.
    static func setupCommands(spacePath: String) -> [[String]] {
        [
            ["create", "s", "--space", spacePath, "--oracle", "random", "--direction", "min", "--max-trials", "5"],
            ["ask", "s"], ["ask", "s"], ["tell", "s", "--trial", "2", "--value", "0.5"],
            ["create", "h", "--space", spacePath, "--oracle", "hyperband", "--direction", "max", "--max-epochs", "9"],
            ["ask", "h"],
        ]
    }

    /// The input's arguments, without any `--storage` option (the input must not reach other files), or
    /// nil for an input that is not an `ask` or `tell` command line (skipped).
    static func arguments(of input: String) -> [String]? {
        let arguments = input.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let subcommand = arguments.first, subcommand == "ask" || subcommand == "tell" else { return nil }
        return withoutStorageOptions(arguments)
    }

    /// `arguments` without `--storage X` and `--storage=X`.
    static func withoutStorageOptions(_ arguments: [String]) -> [String] {
        var kept: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext { skipNext = false; continue }
            if argument == "--storage" { skipNext = true; continue }
            if argument.hasPrefix("--storage=") { continue }
            kept.append(argument)
        }
        return kept
    }
}
