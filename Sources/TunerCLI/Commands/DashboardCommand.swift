import ArgumentParser
import Dashboard
import Foundation
import StudyStore

/// `tuner dashboard`: the studies of a storage in a browser, live while searches run (read-only).
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve a live, read-only view of the studies in a browser.",
        discussion: """
            Pages: all studies, a study (charts and its trials: sort, filter by state, pages), a trial (its \
            curves, hyperparameters, worker, times, error). Open pages update within about 2 s while a search \
            runs (Server-Sent Events). The dashboard only reads the storage: it never takes the write lock \
            workers need. It listens on 127.0.0.1 (this machine only); see docs/dashboard.md.
            """)

    @OptionGroup var storage: StorageOptions
    @Option(help: "The address to listen on: 127.0.0.1, ::1 or localhost (this machine only).")
    var host: String = "127.0.0.1"
    @Option(help: "The TCP port (0: any free port, printed at start).")
    var port: Int = 8080

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535 (0: any free port)") }
        // Nothing is protected by a password or token yet, so only this machine may connect.
        guard ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.") else {
            throw ValidationError("--host \(host) would let other machines read the studies without any password; "
                + "the dashboard listens on this machine only (127.0.0.1, ::1, localhost). To look from elsewhere, "
                + "forward the port, e.g. ssh -L 8080:127.0.0.1:8080 THIS_MACHINE")
        }
    }

    func run() async throws {
        var location = ""
        try reportingFailures { location = try storage.existingPath() }
        let shown = displayedStorageLocation(location)
        let host = self.host
        do {
            try await Dashboard.run(DashboardConfiguration(storage: location, host: host, port: port)) { port in
                let address = host.contains(":") ? "[\(host)]" : host
                FileHandle.standardOutput.write(Data("tuner dashboard: serving \(shown) at http://\(address):\(port)/ (Ctrl-C stops it)\n".utf8))
            }
        } catch {
            try reportingFailures {
                throw CommandFailure.failed("the dashboard could not serve on \(host):\(port): \(readableMessage(error))")
            }
        }
    }
}
