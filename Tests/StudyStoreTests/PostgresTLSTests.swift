import Foundation
import Testing
@testable import StudyStore
import TestSupport

/// TLS to the server, as libpq's `sslmode` and `sslrootcert` ask: against a throwaway server whose
/// certificate a throwaway authority signed (`PostgresServer.start(tls: true)`), and against one without
/// TLS. Whether a connection really is encrypted is the server's own word (`pg_stat_ssl`).
@Suite("PostgreSQL TLS", .serialized)
struct PostgresTLSTests {
    static let server = Result { try PostgresServer.start(tls: true) }

    /// Whether the storage's own connection uses TLS, as the server sees it.
    static func usesTLS(_ store: PostgresStudyStorage) throws -> Bool {
        let rows = try store.run("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        return try rows.first?.value(0, Bool.self, location: store.location) == true
    }

    /// The server's connection string with `parameters` after `?`, to `host` (127.0.0.1 or localhost).
    static func url(_ server: PostgresServer, database: String, host: String = "127.0.0.1", _ parameters: String) -> String {
        server.url(database: database).replacingOccurrences(of: "@127.0.0.1:", with: "@\(host):") + (parameters.isEmpty ? "" : "?" + parameters)
    }

    @Test(arguments: [
        ("", true),                 // libpq's default, prefer: TLS when the server offers it
        ("sslmode=prefer", true),
        ("sslmode=require", true),
        ("sslmode=disable", false),
    ])
    func theModesThatDoNotCheckTheCertificate(parameters: String, encrypted: Bool) throws {
        let server = try Self.server.get()
        let database = try server.createDatabase()
        defer { server.dropDatabase(database) }
        let store = try PostgresStudyStorage(connectionString: Self.url(server, database: database, parameters))
        #expect(try Self.usesTLS(store) == encrypted)
        _ = try store.createStudy(try sampleStudy())
        #expect(try store.studyNames() == ["mnist"])
    }

    @Test(arguments: ["verify-ca", "verify-full"])
    func aCertificateSignedByTheGivenAuthorityIsAccepted(mode: String) throws {
        let server = try Self.server.get()
        let authority = try #require(server.certificateAuthority)
        let database = try server.createDatabase()
        defer { server.dropDatabase(database) }
        let store = try PostgresStudyStorage(connectionString: Self.url(
            server, database: database, host: "localhost", "sslmode=\(mode)&sslrootcert=\(authority)"))
        #expect(try Self.usesTLS(store))
    }

    /// A certificate no trusted authority signed is refused by `verify-ca`, `verify-full`, and by
    /// `require` given a root certificate file (libpq's rule), with a message naming the server only.
    @Test(arguments: ["verify-ca", "verify-full", "require"])
    func aCertificateFromAnotherAuthorityIsRefused(mode: String) throws {
        let server = try Self.server.get()
        let other = try TemporaryDirectory()
        let stranger = try PostgresServer.makeCertificates(in: other.path).authority
        let database = try server.createDatabase()
        defer { server.dropDatabase(database) }
        let connection = Self.url(server, database: database, host: "localhost", "sslmode=\(mode)&sslrootcert=\(stranger)")
        #expect {
            try PostgresStudyStorage(connectionString: connection)
        } throws: { error in
            guard case StoreError.cannotOpen(let location, _) = error else { return false }
            return location == (try? PostgresLocation(parsing: connection))?.redacted
                && !String(describing: error).contains(server.password)
        }
    }

    @Test func requiringTLSFromAServerWithoutItIsRefused() throws {
        let server = try PostgresServer.shared()
        let database = try server.createDatabase()
        defer { server.dropDatabase(database) }
        #expect {
            try PostgresStudyStorage(connectionString: server.url(database: database) + "?sslmode=require")
        } throws: { error in
            String(describing: error).contains("does not accept TLS")
        }
        // prefer falls back to a plain connection.
        let store = try PostgresStudyStorage(connectionString: server.url(database: database) + "?sslmode=prefer")
        #expect(try !Self.usesTLS(store))
    }

    @Test func anUnreadableAuthorityFileIsNamed() throws {
        let server = try Self.server.get()
        let database = try server.createDatabase()
        defer { server.dropDatabase(database) }
        #expect {
            try PostgresStudyStorage(connectionString: Self.url(server, database: database, "sslmode=verify-ca&sslrootcert=/nonexistent/ca.pem"))
        } throws: { error in
            String(describing: error).contains("/nonexistent/ca.pem")
        }
    }
}
