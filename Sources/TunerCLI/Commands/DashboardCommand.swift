import ArgumentParser
import Dashboard
import Foundation
import StudyStore

/// `tuner dashboard`: the studies of a storage in a browser, live while searches run, steered from its
/// forms (a trial asked for, a trial stopped, a study's note) unless `--read-only`.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve a live view of the studies in a browser, with forms to steer them.",
        discussion: """
            Pages: all studies, a study (charts and its trials: sort, filter by state, pages), a trial (its \
            curves, hyperparameters, worker, times, error). Open pages update within about 2 s while a search \
            runs (Server-Sent Events). Forms on the pages enqueue a trial with given hyperparameters (a worker \
            runs it next), stop a running trial (PRUNED at its next epoch) and keep a note with a study; \
            --read-only turns them off. Pages only read the storage, and each change is one short \
            transaction, so the dashboard never holds up workers. It listens on 127.0.0.1 (this machine only) \
            unless --host says otherwise, which then needs a token; see docs/dashboard.md.
            """)

    @OptionGroup var storage: StorageOptions
    @Option(help: "The address to listen on. Other than 127.0.0.1, ::1 or localhost (this machine only), a token is required: --token, or one is made and printed.")
    var host: String = "127.0.0.1"
    @Option(help: "The TCP port (0: any free port, printed at start).")
    var port: Int = 8080
    @Option(help: "A token every request must carry (16 to 200 of A-Z a-z 0-9 - _ . ~); the printed address holds it once, then a cookie does.")
    var token: String?
    @Flag(help: "Only show the studies: no forms, and the routes that change the storage answer 403.")
    var readOnly = false

    /// Whether `host` lets only this machine connect.
    var isLoopback: Bool { ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.") }

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535 (0: any free port)") }
        if let token, let problem = DashboardToken.problem(with: token) {
            throw ValidationError("--token cannot be used: \(problem)")
        }
    }

    func run() async throws {
        var location = ""
        try reportingFailures { location = try storage.existingPath() }
        let shown = displayedStorageLocation(location)
        let host = self.host
        // Beyond this machine, every request needs a token: the one given, or a new one.
        let token = self.token ?? (isLoopback ? nil : DashboardToken.generate())
        if !isLoopback {
            FileHandle.standardError.write(Data(("tuner dashboard: listening on \(host), beyond this machine: requests need the token "
                + "(plain HTTP: use it on a network you trust, or through an SSH tunnel or a TLS proxy)\n").utf8))
        }
        do {
            let configuration = DashboardConfiguration(storage: location, host: host, port: port, token: token, readOnly: readOnly)
            try await Dashboard.run(configuration) { port in
                let address = host.contains(":") ? "[\(host)]" : host
                let link = "http://\(address):\(port)/" + (token.map { "?token=\($0)" } ?? "")
                FileHandle.standardOutput.write(Data("tuner dashboard: serving \(shown) at \(link) (Ctrl-C stops it)\n".utf8))
            }
        } catch {
            try reportingFailures {
                throw CommandFailure.failed("the dashboard could not serve on \(host):\(port): \(readableMessage(error))")
            }
        }
    }
}
