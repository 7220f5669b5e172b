import Foundation
import GRDB

/// The SQLite store's schema, as GRDB named migrations. Released migrations are frozen: add new ones at
/// the end. Files made before the store moved to GRDB recorded their migrations in `schema_migrations`;
/// `migrate` adopts those names into GRDB's `grdb_migrations` once, in place (the old table is left
/// for older versions of the tuner, which only read it).
enum StudySchema {
    /// Every migration of the store, in order.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-studies-trials-metrics") { db in try db.execute(sql: v1) }
        migrator.registerMigration("v2-study-sources") { db in try db.execute(sql: v2) }
        migrator.registerMigration("v3-trial-worker-deaths") { db in try db.execute(sql: v3) }
        migrator.registerMigration("v4-change-tracking") { db in try db.execute(sql: v4) }
        migrator.registerMigration("v5-steering") { db in try db.execute(sql: v5) }
        migrator.registerMigration("v6-oracle-trials") { db in try db.execute(sql: v6) }
        // PostgreSQL's function that locks a study and reads its oracle version at once; SQLite's one
        // write lock needs nothing. Registered so both backends report the same migrations.
        migrator.registerMigration("v7-study-lock") { _ in }
        migrator.registerMigration("v8-several-objectives") { db in try db.execute(sql: v8) }
        // PostgreSQL's function that locks a study and catches up with its oracle state at once; as v7.
        migrator.registerMigration("v9-study-lock-catch-up") { _ in }
        return migrator
    }()

    /// Applies pending migrations. A file that is up to date is only read, so opening it never waits
    /// for another process's write lock.
    ///
    /// Several workers may open a new or old file at once. GRDB's migrator reads which migrations are
    /// applied before it takes the write lock for each one, so a worker can find that another applied
    /// (or adopted) a migration in between — SQLite then refuses the second `CREATE TABLE`. Such a
    /// failure is retried from a fresh look at the file as long as another worker made progress in the
    /// meantime, so each migration runs exactly once and every opener succeeds.
    ///
    /// - Throws: `StoreError.decoding` when a newer version of the tuner migrated the file.
    static func migrate(_ queue: DatabaseQueue, path: String) throws {
        // Each retry follows a change committed by another opener; there are only so many.
        let attempts = 2 * (migrator.migrations.count + 1)
        for attempt in 1...attempts {
            // One read decides; an up-to-date file (every open but the first) costs nothing more.
            let state = try queue.read { db in try FileState(db) }
            let unknown = state.applied.filter { !migrator.migrations.contains($0) }
            guard unknown.isEmpty else {
                throw StoreError.decoding(
                    path: path,
                    detail: "it has schema migrations this version does not know (\(unknown.joined(separator: ", "))); upgrade the tuner")
            }
            if state.isCurrent { return }
            do {
                return try bringUpToDate(queue, legacy: state.legacy)
            } catch let error as StoreError {
                throw error
            } catch {
                guard attempt < attempts, let after = try? queue.read({ db in try FileState(db) }), after != state else {
                    throw error
                }
            }
        }
    }

    /// What a look at the file found: the migrations applied (the old table's before adoption) and
    /// whether it still keeps them only in the old table.
    private struct FileState: Equatable {
        var applied: [String]
        var legacy: Bool

        init(_ db: Database) throws {
            applied = try StudySchema.appliedMigrations(db)
            legacy = try tableExists("schema_migrations", db) && !tableExists("grdb_migrations", db)
        }

        var isCurrent: Bool { !legacy && Set(migrator.migrations).isSubset(of: applied) }
    }

    /// Adopts an old file's migrations (when `legacy`) and applies the pending ones.
    private static func bringUpToDate(_ queue: DatabaseQueue, legacy: Bool) throws {
        if legacy {
            // IMMEDIATE: the check and the adoption hold the write lock together, so of several openers
            // exactly one adopts and the others see GRDB's table.
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    guard try !tableExists("grdb_migrations", db) else { return .commit }
                    try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                    try db.execute(sql: """
                        INSERT INTO grdb_migrations (identifier) SELECT name FROM schema_migrations ORDER BY applied_at, rowid
                        """)
                    return .commit
                }
            }
        }
        try migrator.migrate(queue)
        // user_version lets plain `sqlite3 file 'PRAGMA user_version'` show the schema level too.
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA user_version = \(migrator.migrations.count)")
        }
    }

    /// Whether the file has table `name`, asked of SQLite itself: GRDB's schema cache may predate a
    /// table another connection just created.
    private static func tableExists(_ name: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [name]) ?? false
    }

    /// The names of the migrations applied to the file, in order (the legacy table's before adoption).
    static func appliedMigrations(_ db: Database) throws -> [String] {
        if try tableExists("grdb_migrations", db) {
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        }
        if try tableExists("schema_migrations", db) {
            return try String.fetchAll(db, sql: "SELECT name FROM schema_migrations ORDER BY applied_at, rowid")
        }
        return []
    }

    /// Timestamps are REAL Unix seconds: compared numerically for stale heartbeats, printed by the caller.
    /// Scores and metric values are nullable because SQLite stores NaN as NULL (a NaN loss must still be kept).
    static let v1 = """
        CREATE TABLE studies (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            objective_name TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('min', 'max')),
            oracle_kind TEXT NOT NULL,
            oracle_config TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(oracle_config)),
            search_space TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(search_space)),
            created_at REAL NOT NULL
        );
        CREATE TABLE trials (
            id INTEGER PRIMARY KEY,
            study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAILED')),
            hyperparameters TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(hyperparameters)),
            score REAL,
            worker TEXT,
            heartbeat_at REAL,
            started_at REAL,
            ended_at REAL,
            error TEXT,
            hyperband TEXT CHECK (hyperband IS NULL OR json_valid(hyperband)),
            retries INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL,
            UNIQUE (study_id, number)
        );
        CREATE INDEX trials_by_state ON trials (study_id, state, number);
        CREATE TABLE trial_metrics (
            id INTEGER PRIMARY KEY,
            trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            step INTEGER NOT NULL,
            value REAL,
            recorded_at REAL NOT NULL,
            UNIQUE (trial_id, name, step)
        );
        CREATE TABLE oracle_state (
            study_id INTEGER PRIMARY KEY REFERENCES studies(id) ON DELETE CASCADE,
            state TEXT NOT NULL CHECK (json_valid(state)),
            version INTEGER NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE TABLE checkpoints (
            id INTEGER PRIMARY KEY,
            trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
            epoch INTEGER NOT NULL,
            path TEXT,
            weights BLOB,
            created_at REAL NOT NULL,
            CHECK (path IS NOT NULL OR weights IS NOT NULL),
            UNIQUE (trial_id, epoch)
        );
        CREATE INDEX checkpoints_by_trial ON checkpoints (trial_id);
        """

    /// The study file a study was created from, so that `tuner worker --study NAME` in another
    /// process or terminal can run its trials without being given the file again.
    static let v2 = """
        CREATE TABLE study_sources (
            study_id INTEGER PRIMARY KEY REFERENCES studies(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            text TEXT NOT NULL,
            updated_at REAL NOT NULL
        );
        """

    /// How many times a trial's worker process died (or went silent) while running it, counted apart
    /// from the retries of a trial that threw, so that a trial that keeps killing its worker is failed
    /// with that reason instead of being run again forever.
    static let v3 = """
        ALTER TABLE trials ADD COLUMN worker_deaths INTEGER NOT NULL DEFAULT 0;
        """

    /// Change marks for live views (`StudyChangeReading`): a counter, bumped by triggers whenever a trial
    /// is inserted or one of its fields other than the heartbeat changes, or a metric value is recorded or
    /// replaced, and copied into the row's `change_seq`; so a reader asks for the rows whose mark is above
    /// the counter it saw last. Writers already take turns on the file's write lock, so the counter costs
    /// no waiting, and every writer, old code paths included, keeps it without knowing. Rows written
    /// before this migration keep 0 (older than any cursor).
    static let v4 = """
        CREATE TABLE change_counter (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            value INTEGER NOT NULL
        );
        INSERT INTO change_counter (id, value) VALUES (1, 0);
        ALTER TABLE trials ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE trial_metrics ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX trials_by_change ON trials (study_id, change_seq);
        CREATE INDEX trial_metrics_by_change ON trial_metrics (change_seq);
        CREATE TRIGGER trials_change_on_insert AFTER INSERT ON trials BEGIN
            UPDATE change_counter SET value = value + 1 WHERE id = 1;
            UPDATE trials SET change_seq = (SELECT value FROM change_counter WHERE id = 1) WHERE id = NEW.id;
        END;
        CREATE TRIGGER trials_change_on_update
        AFTER UPDATE OF study_id, number, state, hyperparameters, score, worker, started_at, ended_at, error, hyperband,
            retries, worker_deaths, created_at ON trials BEGIN
            UPDATE change_counter SET value = value + 1 WHERE id = 1;
            UPDATE trials SET change_seq = (SELECT value FROM change_counter WHERE id = 1) WHERE id = NEW.id;
        END;
        CREATE TRIGGER trial_metrics_change_on_insert AFTER INSERT ON trial_metrics BEGIN
            UPDATE change_counter SET value = value + 1 WHERE id = 1;
            UPDATE trial_metrics SET change_seq = (SELECT value FROM change_counter WHERE id = 1) WHERE id = NEW.id;
        END;
        CREATE TRIGGER trial_metrics_change_on_update AFTER UPDATE OF trial_id, name, step, value ON trial_metrics BEGIN
            UPDATE change_counter SET value = value + 1 WHERE id = 1;
            UPDATE trial_metrics SET change_seq = (SELECT value FROM change_counter WHERE id = 1) WHERE id = NEW.id;
        END;
        """

    /// Steering a study from the dashboard: a note on the study (`studies.note`, '' for none), a stop
    /// asked for a running trial (`trials.stop_requested_at`, marked as a change like the other fields
    /// so live views see it), and trials asked for with given hyperparameters (`trial_requests`: PENDING
    /// until a worker takes them, in the transaction that enqueues them in the oracle, then ENQUEUED with
    /// the trial's number or REJECTED with the reason). Old rows: no note, no stop, no request.
    static let v5 = """
        ALTER TABLE studies ADD COLUMN note TEXT NOT NULL DEFAULT '';
        ALTER TABLE trials ADD COLUMN stop_requested_at REAL;
        CREATE TRIGGER trials_change_on_stop_request AFTER UPDATE OF stop_requested_at ON trials BEGIN
            UPDATE change_counter SET value = value + 1 WHERE id = 1;
            UPDATE trials SET change_seq = (SELECT value FROM change_counter WHERE id = 1) WHERE id = NEW.id;
        END;
        CREATE TABLE trial_requests (
            id INTEGER PRIMARY KEY,
            study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
            hyperparameters TEXT NOT NULL CHECK (json_valid(hyperparameters)),
            state TEXT NOT NULL CHECK (state IN ('PENDING', 'ENQUEUED', 'REJECTED')),
            trial_number INTEGER,
            reason TEXT,
            requested_at REAL NOT NULL,
            settled_at REAL,
            CHECK ((state = 'ENQUEUED') = (trial_number IS NOT NULL)),
            CHECK ((state = 'REJECTED') = (reason IS NOT NULL))
        );
        CREATE INDEX trial_requests_by_state ON trial_requests (study_id, state, id);
        """

    /// The oracle's trials kept apart from its state (`OracleStateChanges`): a claim or a result saves the
    /// small core and the one trial it changed, stamped with the state's new version, so a worker brings
    /// its cached oracle up to date by reading the trials saved after the version it has, and neither
    /// costs more as the study grows. A state saved before this migration keeps its trials inside
    /// `oracle_state.state`, which restoring reads as before; the next save moves them here.
    static let v6 = """
        CREATE TABLE oracle_trials (
            study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (json_valid(state)),
            version INTEGER NOT NULL,
            PRIMARY KEY (study_id, number)
        );
        CREATE INDEX oracle_trials_by_version ON oracle_trials (study_id, version);
        """

    /// Several objectives and constraints: a study's objectives after the first and its metric
    /// constraints as JSON arrays ('[]' for none), and a trial's values on every objective and its
    /// constraint values as one JSON object (`TrialValues`; NULL for a trial scored by one number). Written
    /// with the state and score, so the change trigger on those already marks the row.
    static let v8 = """
        ALTER TABLE studies ADD COLUMN additional_objectives TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(additional_objectives));
        ALTER TABLE studies ADD COLUMN metric_constraints TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(metric_constraints));
        ALTER TABLE trials ADD COLUMN trial_values TEXT CHECK (trial_values IS NULL OR json_valid(trial_values));
        """
}
