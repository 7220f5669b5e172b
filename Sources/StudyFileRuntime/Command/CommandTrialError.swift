/// Why a command study's trial failed: the command's fate and the end of what it wrote to stderr.
public struct CommandTrialError: Error, Hashable, Sendable, CustomStringConvertible {
    /// How the command ended.
    public enum Reason: Hashable, Sendable {
        /// It exited with a non-zero status.
        case exitStatus(Int32)
        /// A signal ended it.
        case signal(Int32)
        /// It ran past the timeout (seconds) and its process group was killed.
        case timeout(Double)
        /// It succeeded but printed no value of the objective metric.
        case missingMetric(String)
        /// It succeeded but the objective metric's value it printed is NaN or infinite.
        case nonFiniteMetric(String, Double)
        /// A hyperparameter's value cannot be placed where its placeholder stands.
        case unsafeValue(String)
        /// It could not be started.
        case launchFailed(String)
    }

    /// How the command ended.
    public var reason: Reason
    /// The command line that ran (placeholders filled).
    public var command: String
    /// The last lines the command wrote to stderr (at most 20).
    public var stderrTail: [String]

    /// An error for `command`.
    public init(reason: Reason, command: String, stderrTail: [String]) {
        self.reason = reason
        self.command = command
        self.stderrTail = stderrTail
    }

    /// The reason, the command, and the stderr tail, one line each.
    public var description: String {
        var text: String
        switch reason {
        case .exitStatus(let status): text = "command exited with status \(status)"
        case .signal(let signal): text = "command was killed by signal \(signal)"
        case .timeout(let seconds): text = "command timed out after \(seconds) s and was killed"
        case .missingMetric(let metric):
            text = "command printed no value of \"\(metric)\" (print a JSON line such as {\"\(metric)\": 0.5} last, or set metric_pattern)"
        case .launchFailed(let message): text = "command could not be started: \(message)"
        case .nonFiniteMetric(let metric, let value):
            text = "command printed a value of \"\(metric)\" that is not finite (\(value)); the trial failed (a diverged run, or a bug in the program)"
        case .unsafeValue(let message): text = "command was not run: \(message)"
        }
        text += ": \(command)"
        if stderrTail.isEmpty {
            text += "\n(stderr was empty)"
        } else {
            text += "\nlast \(stderrTail.count) lines of stderr:\n" + stderrTail.joined(separator: "\n")
        }
        return text
    }
}
