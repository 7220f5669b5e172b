import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL server for tests (and `make bench`'s storage throughput figures): Debian's binaries (`/usr/lib/postgresql/VERSION/bin`, the
/// highest version found; `make test` installs the `postgresql` package) run `initdb` into a temporary
/// folder and a `postgres` listening on 127.0.0.1 at a free port (and on a Unix socket in that folder),
/// with `fsync=off` and `synchronous_commit=off` unless started `durable` (the data is thrown away, so
/// tests need not wait for the disk). The user `tuner` logs in with a password (SCRAM), one that
/// needs percent-encoding in a URL, so the tests go through the same login and parsing as a real server.
///
/// PostgreSQL refuses to run as root: as root (CI), the server runs as `nobody` through `setpriv`, and the
/// folder belongs to `nobody`. A small shell keeps the server: it stops it (immediate shutdown) and
/// removes the folder when its standard input closes — when this value goes away, or when the test
/// process ends, however it ends.
///
/// `PostgresServer.shared()` is the one server of a test process (started on first use); each test makes
/// its own database with `createDatabase()`.
public final class PostgresServer: Sendable {
    /// The server's port on 127.0.0.1.
    public let port: Int
    /// The login.
    public let user = "tuner"
    /// The login's password (holds characters a URL must percent-encode).
    public let password: String
    /// The temporary folder holding the data directory, the log and the socket.
    public let folder: String
    /// The folder of the PostgreSQL binaries used.
    public let binaries: String
    /// With TLS (`start(tls: true)`), the PEM file of the certificate authority that signed the
    /// server's certificate (issued for `localhost` and 127.0.0.1); nil without.
    public let certificateAuthority: String?
    /// The keeper shell's standard input: closing it stops the server.
    private let keeper: FileHandle

    /// The shared server of this test process, started on first use.
    ///
    /// - Throws: `PostgresServerError` when PostgreSQL is not installed or does not start.
    public static func shared() throws -> PostgresServer {
        try sharedServer.get()
    }

    private static let sharedServer = Result { try PostgresServer.start() }

    /// Starts a new server (use `shared()` unless a test needs its own); with `tls`, it accepts TLS
    /// with a certificate made for it by a throwaway authority (`certificateAuthority`), plain
    /// connections too. `durable` keeps PostgreSQL's own defaults for the disk (`fsync`,
    /// `synchronous_commit` and `full_page_writes` on: a COMMIT waits for its WAL to reach the disk), as
    /// a production server runs, for benchmarks whose figures should hold there.
    ///
    /// - Throws: `PostgresServerError` when PostgreSQL is not installed or does not start.
    public static func start(tls: Bool = false, durable: Bool = false) throws -> PostgresServer {
        let binaries = try findBinaries()
        var lastError: (any Error)?
        // A free port can be taken by another process between the look and the start: try a few.
        for _ in 0..<3 {
            do { return try PostgresServer(binaries: binaries, tls: tls, durable: durable) } catch { lastError = error }
        }
        throw lastError ?? PostgresServerError("PostgreSQL did not start")
    }

    private init(binaries: String, tls: Bool, durable: Bool) throws {
        self.binaries = binaries
        folder = NSTemporaryDirectory() + "tuner-postgres-\(UUID().uuidString.prefix(8))"
        password = "p@ss:w/rd %\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let runAs = Self.runAsPrefix()
        let passwordFile = folder + "/password"
        try (password + "\n").write(toFile: passwordFile, atomically: false, encoding: .utf8)
        if getuid() == 0 {
            // The server's user owns its folder.
            for path in [folder, passwordFile] { chown(path, 65_534, 65_534) }
        }
        let initdb = try Self.run(runAs + [binaries + "/initdb", "-D", folder + "/data", "-U", user, "--pwfile=" + passwordFile,
                                           "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"])
        guard initdb.status == 0 else { throw PostgresServerError("initdb failed (\(initdb.status)): \(initdb.output)") }
        try? FileManager.default.removeItem(atPath: passwordFile)

        port = try Self.freePort()
        var tlsSettings: [String] = []
        if tls {
            let files = try Self.makeCertificates(in: folder)
            certificateAuthority = files.authority
            tlsSettings = ["-c", "ssl=on", "-c", "ssl_cert_file=" + files.certificate, "-c", "ssl_key_file=" + files.key]
        } else {
            certificateAuthority = nil
        }
        let settings = tlsSettings + [
            "-p", String(port),
            "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + folder,
            "-c", "max_connections=300", "-c", "shared_buffers=32MB",
        ] + (durable ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"])
        let server = runAs + [binaries + "/postgres", "-D", folder + "/data"] + settings
        // The keeper: runs the server, stops it (SIGINT: a fast shutdown) or starts it again when it
        // reads `stop` or `start` (`stop()`, `startAgain()`), and when its standard input closes stops
        // the server (SIGQUIT: immediate shutdown, nothing to keep) and removes the folder once the
        // server has removed its lock file. (No `wait`: the shell inherits the test thread's blocked
        // signals, SIGCHLD among them, so it would never wake.)
        let script = """
            folder="$1"; shift
            "$@" > "$folder/server.log" 2>&1 &
            pid=$!
            while read -r command; do
                case "$command" in
                    stop) kill -INT "$pid" 2>/dev/null ;;
                    start) "$@" >> "$folder/server.log" 2>&1 & pid=$! ;;
                esac
            done
            kill -QUIT "$pid" 2>/dev/null
            tries=0
            while [ -e "$folder/data/postmaster.pid" ] && [ "$tries" -lt 100 ]; do sleep 0.1; tries=$((tries + 1)); done
            rm -rf "$folder"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "sh", folder] + server
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        // Child processes of the tests (workers) must not keep the server alive through this pipe.
        _ = fcntl(input.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        try process.run()
        keeper = input.fileHandleForWriting

        do {
            try Self.waitUntilReady(binaries: binaries, port: port, folder: folder) { process.isRunning }
        } catch {
            try? keeper.close()
            throw error
        }
    }

    /// Returns once the server on `port` accepts connections.
    ///
    /// - Throws: `PostgresServerError` with the end of its log when it is not up within 30 s, logs a
    ///   FATAL error (past its first `logOffset` bytes), or `keeperRuns` turns false.
    private static func waitUntilReady(binaries: String, port: Int, folder: String, logOffset: Int = 0,
                                       keeperRuns: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(30)
        while true {
            let ready = try run([binaries + "/pg_isready", "-q", "-h", "127.0.0.1", "-p", String(port), "-t", "1"])
            if ready.status == 0 { return }
            let whole = (try? Data(contentsOf: URL(fileURLWithPath: folder + "/server.log"))) ?? Data()
            let log = String(decoding: whole.dropFirst(logOffset), as: UTF8.self)
            // A client refused while the server starts logs a FATAL line too (workers of a test reconnect
            // throughout a restart); only the server's own FATAL errors mean it did not start.
            let failed = log.split(separator: "\n").contains { $0.contains("FATAL") && !$0.contains("the database system is starting up") }
            if !keeperRuns() || failed || Date() > deadline {
                throw PostgresServerError("the server did not start on port \(port): \(log.suffix(2_000))")
            }
            usleep(50_000)
        }
    }

    deinit {
        try? keeper.close()
    }

    /// The connection string of `database` on this server (the password percent-encoded).
    public func url(database: String) -> String {
        "postgresql://\(user):\(Self.percentEncoded(password))@127.0.0.1:\(port)/\(database)"
    }

    /// Creates a fresh, empty database (`t_<uuid>`) and returns its name.
    ///
    /// - Throws: `PostgresServerError` when `psql` fails.
    public func createDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        _ = try psql("CREATE DATABASE \(name)", database: "postgres")
        return name
    }

    /// Drops a database made by `createDatabase()`, closing its connections.
    public func dropDatabase(_ name: String) {
        _ = try? psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", database: "postgres")
    }

    /// Runs SQL with `psql` in `database`, as another program would (unaligned, tuples only), and returns
    /// what it printed.
    ///
    /// - Throws: `PostgresServerError` with psql's message when the SQL fails.
    @discardableResult
    public func psql(_ sql: String, database: String) throws -> String {
        let result = try Self.run([binaries + "/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                                   "-p", String(port), "-U", user, "-d", database, "-c", sql],
                                  environment: ["PGPASSWORD": password])
        guard result.status == 0 else { throw PostgresServerError("psql failed: \(result.output)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the server (a fast shutdown: clients are disconnected, as in a restart for maintenance)
    /// and returns once it is down; `startAgain()` brings it back. Only for a server of the test's own
    /// (`start()`), never `shared()`.
    ///
    /// - Throws: `PostgresServerError` when it is still up after 30 s.
    public func stop() throws {
        try keeper.write(contentsOf: Data("stop\n".utf8))
        let deadline = Date().addingTimeInterval(30)
        while FileManager.default.fileExists(atPath: folder + "/data/postmaster.pid") {
            guard Date() < deadline else { throw PostgresServerError("the server on port \(port) did not stop") }
            usleep(20_000)
        }
    }

    /// Starts the server stopped by `stop()` again, on the same port with the same settings and data,
    /// and returns once it accepts connections.
    ///
    /// - Throws: `PostgresServerError` when it does not come up within 30 s.
    public func startAgain() throws {
        // Only what this start logs counts (the stop logged FATAL lines for the connections it ended).
        let logged = (try? FileManager.default.attributesOfItem(atPath: folder + "/server.log")[.size] as? Int) ?? 0
        try keeper.write(contentsOf: Data("start\n".utf8))
        try Self.waitUntilReady(binaries: binaries, port: port, folder: folder, logOffset: logged) { true }
    }

    /// The process ids of the server's backends serving `database` (for a test that ends a connection
    /// with `pg_terminate_backend`).
    ///
    /// - Throws: `PostgresServerError` when `psql` fails.
    public func backends(database: String) throws -> [Int] {
        try psql("SELECT pid FROM pg_stat_activity WHERE datname = '\(database)' AND pid <> pg_backend_pid()", database: "postgres")
            .split(separator: "\n").compactMap { Int($0) }
    }

    /// Makes a throwaway certificate authority and a server certificate it signs, for `localhost` and
    /// 127.0.0.1, with `openssl` (which Debian's `postgresql` brings); the key belongs to the server's user.
    ///
    /// - Throws: `PostgresServerError` with openssl's message when a step fails.
    public static func makeCertificates(in folder: String) throws -> (authority: String, certificate: String, key: String) {
        let authority = folder + "/ca.crt", authorityKey = folder + "/ca.key"
        let request = folder + "/server.csr", certificate = folder + "/server.crt", key = folder + "/server.key"
        let extensions = folder + "/server.ext"
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(toFile: extensions, atomically: false, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=tuner test authority",
             "-keyout", authorityKey, "-out", authority],
            ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", key, "-out", request],
            ["x509", "-req", "-in", request, "-CA", authority, "-CAkey", authorityKey, "-CAcreateserial", "-days", "2",
             "-extfile", extensions, "-out", certificate],
        ]
        for step in steps {
            let result = try run(["/usr/bin/openssl"] + step)
            guard result.status == 0 else { throw PostgresServerError("openssl \(step[0]) failed: \(result.output)") }
        }
        // PostgreSQL refuses a key others can read, or one that is not its user's.
        chmod(key, 0o600)
        if getuid() == 0 { for path in [key, certificate, authority] { chown(path, 65_534, 65_534) } }
        return (authority, certificate, key)
    }

    /// `/usr/lib/postgresql/<highest version>/bin`.
    private static func findBinaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted()
        for version in versions.reversed() where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/postgres") {
            return "\(root)/\(version)/bin"
        }
        throw PostgresServerError("no PostgreSQL server in \(root); install Debian's postgresql package (make test does)")
    }

    /// As root, the command prefix that runs a program as `nobody`; otherwise none.
    private static func runAsPrefix() -> [String] {
        getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
    }

    /// A port on 127.0.0.1 that nothing listens on right now.
    private static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw PostgresServerError("socket() failed") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) == 0
                && getsockname(socketFD, $0, &length) == 0 }
        }
        guard bound else { throw PostgresServerError("could not find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a program to its end and returns its exit status and output (standard output and error).
    private static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `text` with everything but unreserved characters percent-encoded.
    private static func percentEncoded(_ text: String) -> String {
        var unreserved = CharacterSet.alphanumerics
        unreserved.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}

/// Why the test server could not be started or used.
public struct PostgresServerError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
