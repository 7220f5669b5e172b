import Foundation

/// Applies named schema migrations in order, each in its own IMMEDIATE transaction, recording each
/// applied name in `schema_migrations`. Migrations are never edited once released; changes go in a new one.
public struct DatabaseMigrator: Sendable {
    /// One named step of the schema.
    public struct Migration: Sendable {
        /// The unique name recorded in `schema_migrations`.
        public let name: String
        /// The change, run inside the migration's transaction.
        public let apply: @Sendable (Database) throws -> Void
    }

    /// The registered migrations, in application order.
    public private(set) var migrations: [Migration] = []

    /// An empty migrator.
    public init() {}

    /// Adds a migration after the ones already registered. Throws `StoreError.invalidArgument` on a duplicate name.
    public mutating func registerMigration(_ name: String, _ apply: @escaping @Sendable (Database) throws -> Void) throws {
        guard !migrations.contains(where: { $0.name == name }) else {
            throw StoreError.invalidArgument("A migration named \"\(name)\" is registered twice.")
        }
        migrations.append(Migration(name: name, apply: apply))
    }

    /// Applies the migrations that `database` has not recorded yet. Safe to run from several processes at
    /// once: each migration re-checks under the write lock, so it runs exactly once. Throws `StoreError`
    /// (the failing migration rolls back, earlier ones stay), or `.decoding` when the file was migrated by
    /// a newer version with migrations this one does not know.
    ///
    /// A file that is up to date is only read, so opening it never waits for another process's write lock.
    public func migrate(_ database: Database) throws {
        let hasTable = try database.queryOne(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") != nil
        if !hasTable {
            try database.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name TEXT PRIMARY KEY NOT NULL,
                    applied_at REAL NOT NULL
                )
                """)
        }
        let known = Set(migrations.map(\.name))
        let applied = try appliedMigrations(database)
        let unknown = applied.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw StoreError.decoding(
                path: database.path,
                detail: "it has schema migrations this version does not know (\(unknown.joined(separator: ", "))); upgrade the tuner")
        }
        for (index, migration) in migrations.enumerated() where !applied.contains(migration.name) {
            try database.transaction(.immediate) { db in
                let done = try db.queryOne("SELECT 1 FROM schema_migrations WHERE name = ?", [migration.name])
                guard done == nil else { return }
                try migration.apply(db)
                try db.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                               [migration.name, Date().timeIntervalSince1970])
                // user_version lets plain `sqlite3 file 'PRAGMA user_version'` show the schema level too.
                try db.execute("PRAGMA user_version = \(index + 1)")
            }
        }
    }

    /// The names of the migrations recorded in `database`, in the order they were applied.
    public func appliedMigrations(_ database: Database) throws -> [String] {
        let exists = try database.queryOne(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
        guard exists != nil else { return [] }
        return try database.query("SELECT name FROM schema_migrations ORDER BY applied_at, rowid")
            .compactMap { $0.string("name") }
    }
}
