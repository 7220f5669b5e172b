import ArgumentParser
import TunerKit

/// `--heartbeat-interval SECONDS` and `--stale-after SECONDS` for the commands that run trials
/// (`tuner search`, `tuner worker`): how often this process refreshes the heartbeat of each trial it
/// runs, and how old another worker's heartbeat may get before this process takes that worker for dead
/// and settles its trial (re-queued while it has retries, else FAILED "worker died ...").
///
/// A trial is judged by the worker that looks, with its own `--stale-after`, against the heartbeats the
/// trial's worker sends at its own `--heartbeat-interval`: every worker of a study should use the same
/// two values, and `--stale-after` should leave room for a few missed beats.
struct HeartbeatOptions: ParsableArguments {
    /// The shortest interval accepted: each heartbeat is a write to the study's storage.
    static let shortestInterval = 0.1
    /// The longest duration accepted for either option (a week), so that every time computed from it stays exact.
    static let longest = 7 * 86_400.0

    @Option(name: .customLong("heartbeat-interval"), parsing: .unconditional,
            help: ArgumentHelp(
                "Seconds between heartbeats of each running trial (default \(HeartbeatOptions.formatted(SearchOptions().heartbeatInterval)); at least \(HeartbeatOptions.formatted(HeartbeatOptions.shortestInterval))).",
                valueName: "seconds"))
    var heartbeatInterval: Double?

    @Option(name: .customLong("stale-after"), parsing: .unconditional,
            help: ArgumentHelp(
                "Seconds without a heartbeat after which another worker's running trial is taken to be abandoned (default \(HeartbeatOptions.formatted(SearchOptions().staleAfter)); more than the heartbeat interval). Give every worker of a study the same value.",
                valueName: "seconds"))
    var staleAfter: Double?

    /// The interval in force: the option, else `SearchOptions`' default.
    var resolvedHeartbeatInterval: Double { heartbeatInterval ?? SearchOptions().heartbeatInterval }

    /// The stale limit in force: the option, else `SearchOptions`' default.
    var resolvedStaleAfter: Double { staleAfter ?? SearchOptions().staleAfter }

    /// Refuses values that are not numbers of seconds in range, and a stale limit that does not exceed
    /// the heartbeat interval (a live worker's trial would be taken from it between two beats).
    func validate() throws {
        if let heartbeatInterval {
            guard heartbeatInterval.isFinite, heartbeatInterval >= Self.shortestInterval, heartbeatInterval <= Self.longest else {
                throw ValidationError("--heartbeat-interval must be a number of seconds from \(Self.formatted(Self.shortestInterval)) "
                    + "to \(Self.formatted(Self.longest)), got \(Self.formatted(heartbeatInterval))")
            }
        }
        if let staleAfter {
            guard staleAfter.isFinite, staleAfter > 0, staleAfter <= Self.longest else {
                throw ValidationError("--stale-after must be a positive number of seconds up to \(Self.formatted(Self.longest)), "
                    + "got \(Self.formatted(staleAfter))")
            }
        }
        let interval = resolvedHeartbeatInterval, stale = resolvedStaleAfter
        guard stale > interval else {
            let staleSource = staleAfter == nil ? "the default --stale-after" : "--stale-after"
            let intervalSource = heartbeatInterval == nil ? "the default --heartbeat-interval" : "--heartbeat-interval"
            throw ValidationError("\(staleSource) (\(Self.formatted(stale)) s) must be more than \(intervalSource) "
                + "(\(Self.formatted(interval)) s): a live worker's trial would be taken from it between two heartbeats")
        }
    }

    /// Sets the two durations in `options` (the defaults stay where an option was not given).
    func apply(to options: inout SearchOptions) {
        options.heartbeatInterval = resolvedHeartbeatInterval
        options.staleAfter = resolvedStaleAfter
    }

    /// `5` for 5.0, `0.5` for 0.5: seconds as a person writes them.
    private static func formatted(_ seconds: Double) -> String {
        guard seconds.isFinite else { return String(seconds) }
        if seconds == seconds.rounded(), abs(seconds) < 1e15 { return String(Int64(seconds)) }
        return String(seconds)
    }
}
