/// A PostgreSQL server and database named by a connection string, libpq's URL form:
/// `postgresql://USER:PASSWORD@HOST:PORT/DATABASE` (or `postgres://`). The user and password are
/// percent-decoded (a password holding `@`, `:` or `/` is written `%40`, `%3A`, `%2F`); a missing port is
/// 5432; an IPv6 host is written in brackets. A Unix socket is named as libpq does, by its folder in the
/// `host` parameter: `postgresql://USER@/DATABASE?host=/var/run/postgresql` (`port` picks the socket
/// file `.s.PGSQL.PORT`). TLS follows libpq's `sslmode` (`disable`, `prefer` — the default — `require`,
/// `verify-ca`, `verify-full`) and `sslrootcert` (the certificate authorities to trust, a PEM file; the
/// system's otherwise); a Unix socket never uses TLS, as with libpq.
///
/// The password is kept for connecting only: `redacted` (also `description`), which every message
/// uses, leaves it out.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// The user to log in as.
    public var user: String
    /// The password, when the string gave one (never printed).
    public var password: String?
    /// The server's host name or address (empty for a Unix socket).
    public var host: String
    /// The server's port (the socket file's number for a Unix socket).
    public var port: Int
    /// The database holding the studies.
    public var database: String
    /// The folder of the server's Unix socket, when connecting through one.
    public var socketDirectory: String?
    /// Whether and how the connection uses TLS (`sslmode`).
    public var tlsMode: TLSMode
    /// The PEM file of the certificate authorities that sign the server's certificate (`sslrootcert`);
    /// nil for the system's.
    public var rootCertificatePath: String?

    /// libpq's `sslmode` values the store supports.
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it, without checking its certificate; else plain (libpq's default).
        case prefer
        /// TLS or no connection; the certificate is not checked (unless `sslrootcert` is given, as libpq does).
        case require
        /// TLS with a certificate signed by a trusted authority.
        case verifyCA = "verify-ca"
        /// TLS with a trusted certificate issued for the host connected to.
        case verifyFull = "verify-full"
    }

    /// The default PostgreSQL port.
    public static let defaultPort = 5432

    /// Whether `location` is a PostgreSQL connection string (starts with `postgresql://` or `postgres://`)
    /// rather than an SQLite path.
    public static func isConnectionString(_ location: String) -> Bool {
        scheme(of: location) != nil
    }

    /// Parses a connection string.
    ///
    /// - Throws: `StoreError.invalidArgument` saying what is wrong, without repeating the string (it may
    ///   hold a password).
    public init(parsing string: String) throws(StoreError) {
        guard let scheme = Self.scheme(of: string) else {
            throw Self.malformed("it does not start with postgresql:// or postgres://")
        }
        var rest = Substring(string.dropFirst(scheme.count))
        var parameters: [(String, String)] = []
        if let question = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: question)...].split(separator: "&") {
                guard let equals = pair.firstIndex(of: "="),
                      let key = String(pair[..<equals]).removingPercentEncoding,
                      let value = String(pair[pair.index(after: equals)...]).removingPercentEncoding
                else { throw Self.malformed("a parameter after \"?\" is not written key=value") }
                parameters.append((key, value))
            }
            rest = rest[..<question]
        }
        guard let slash = rest.firstIndex(of: "/") else {
            throw Self.malformed("it names no database (add /DATABASE after the host)")
        }
        let authority = rest[..<slash]
        guard let database = String(rest[rest.index(after: slash)...]).removingPercentEncoding, !database.isEmpty,
              !database.contains("/")
        else { throw Self.malformed("it names no database (add /DATABASE after the host)") }
        guard let at = authority.lastIndex(of: "@") else {
            throw Self.malformed("it names no user (write USER@ or USER:PASSWORD@ before the host)")
        }
        let userInfo = authority[..<at]
        let hostPort = authority[authority.index(after: at)...]
        let userPart: Substring
        var password: String?
        if let colon = userInfo.firstIndex(of: ":") {
            userPart = userInfo[..<colon]
            guard let decoded = String(userInfo[userInfo.index(after: colon)...]).removingPercentEncoding else {
                throw Self.malformed("the password has a \"%\" that is not followed by two hexadecimal digits")
            }
            password = decoded
        } else {
            userPart = userInfo
        }
        guard let user = String(userPart).removingPercentEncoding, !user.isEmpty else {
            throw Self.malformed("it names no user (write USER@ or USER:PASSWORD@ before the host)")
        }
        var (host, port) = try Self.hostAndPort(hostPort)
        var socketDirectory: String?
        var tlsMode = TLSMode.prefer
        var rootCertificatePath: String?
        for (key, value) in parameters {
            switch key {
            case "host":
                guard value.hasPrefix("/") else {
                    throw Self.malformed("the host parameter must be the absolute folder of a Unix socket")
                }
                socketDirectory = value
                host = ""
            case "port":
                guard let number = Int(value), (1...65_535).contains(number) else {
                    throw Self.malformed("the port parameter is not a number from 1 to 65535")
                }
                port = number
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    let known = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw Self.malformed("sslmode=\(value) is not supported (use one of \(known))")
                }
                tlsMode = mode
            case "sslrootcert":
                guard value.hasPrefix("/") else {
                    throw Self.malformed("the sslrootcert parameter must be the absolute path of a PEM file")
                }
                rootCertificatePath = value
            default:
                throw Self.malformed("the parameter \"\(key)\" is not supported (only host, port, sslmode and sslrootcert are)")
            }
        }
        guard !host.isEmpty || socketDirectory != nil else {
            throw Self.malformed("it names no host (write @HOST or @HOST:PORT, or ?host=/socket/folder)")
        }
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.socketDirectory = socketDirectory
        self.tlsMode = tlsMode
        self.rootCertificatePath = rootCertificatePath
    }

    /// The location without the password: `postgresql://USER@HOST:PORT/DATABASE` (the socket form for
    /// a Unix socket). This is what messages print.
    public var redacted: String {
        if let socketDirectory {
            return "postgresql://\(user)@/\(database)?host=\(socketDirectory)&port=\(port)"
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgresql://\(user)@\(shownHost):\(port)/\(database)"
    }

    /// The redacted location (never the password).
    public var description: String { redacted }

    /// The path of the Unix socket file, when connecting through one.
    var socketPath: String? {
        socketDirectory.map { ($0.hasSuffix("/") ? $0 : $0 + "/") + ".s.PGSQL.\(port)" }
    }

    /// The prefix `string` starts with, if it is a PostgreSQL connection string.
    private static func scheme(of string: String) -> String? {
        for scheme in ["postgresql://", "postgres://"] where string.lowercased().hasPrefix(scheme) { return scheme }
        return nil
    }

    /// Splits `HOST`, `HOST:PORT`, `[IPV6]` or `[IPV6]:PORT`; the port defaults to 5432.
    private static func hostAndPort(_ text: Substring) throws(StoreError) -> (String, Int) {
        var hostPart = text
        var portPart: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw malformed("an IPv6 host has no closing \"]\"") }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw malformed("something follows the IPv6 host that is not :PORT") }
                portPart = after.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        var port = defaultPort
        if let portPart {
            guard let number = Int(portPart), (1...65_535).contains(number) else {
                throw malformed("the port is not a number from 1 to 65535")
            }
            port = number
        }
        guard let host = String(hostPart).removingPercentEncoding else {
            throw malformed("the host has a \"%\" that is not followed by two hexadecimal digits")
        }
        return (host, port)
    }

    private static func malformed(_ problem: String) -> StoreError {
        .invalidArgument("The PostgreSQL connection string given as the storage cannot be used: \(problem). "
            + "Write it as postgresql://USER:PASSWORD@HOST:PORT/DATABASE, with the password percent-encoded "
            + "(@ as %40, : as %3A, / as %2F).")
    }
}
