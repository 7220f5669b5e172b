import Dashboard
import Foundation
import StudyStore
import TestSupport
import Tuning

/// The storages the dashboard's tests run on.
enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    var description: String { rawValue }
}

/// A test's own storage: an SQLite file in a fresh folder, or a fresh database on the test process's
/// PostgreSQL server (dropped when this value goes away).
final class DashboardStorage: @unchecked Sendable {
    let backend: Backend
    /// The storage string (`--storage`).
    let location: String
    let directory: TemporaryDirectory
    private let server: PostgresServer?
    private let database: String?

    init(_ backend: Backend = .sqlite) throws {
        self.backend = backend
        directory = try TemporaryDirectory("tuner-dashboard")
        switch backend {
        case .sqlite:
            location = directory.path("studies.sqlite")
            server = nil
            database = nil
        case .postgres:
            let server = try PostgresServer.shared()
            let database = try server.createDatabase()
            self.server = server
            self.database = database
            location = server.url(database: database)
        }
    }

    deinit {
        if let server, let database { server.dropDatabase(database) }
    }

    /// Ends every other connection to the PostgreSQL database, as a server restart or a network cut would
    /// (`pg_terminate_backend`); returns how many were ended.
    @discardableResult
    func cutPostgresConnections() throws -> Int {
        guard let server, let database else { return 0 }
        let ended = try server.psql("""
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
            """, database: database)
        return Int(ended) ?? 0
    }

    /// A connection of the test's own (the "workers" writing while the dashboard reads).
    func open() throws -> any StudyStorage { try openStudyStorage(location) }

    /// The dashboard's configuration for this storage (polling fast, so tests wait little).
    func configuration(pageSize: Int = 50, readTimeout: Duration = .seconds(30)) -> DashboardConfiguration {
        DashboardConfiguration(storage: location, host: "127.0.0.1", port: 0, pollInterval: .milliseconds(200), pageSize: pageSize,
                               readTimeout: readTimeout)
    }
}

/// Names and texts that must come out escaped wherever a page shows them.
enum Hostile {
    /// A study name with markup, quotes, an ampersand, a slash, a percent sign, a question mark and non-ASCII.
    static let studyName = #"<script>alert("name")</script> & 'x' /50%?é"#
    /// A string hyperparameter value with markup.
    static let choice = #"<b onmouseover="alert(1)">adam</b>"#
    /// A failed trial's error with markup.
    static let error = #"<img src=x onerror=alert('error')> & failed"#
    /// A metric name with markup.
    static let metric = "<i>val</i>"
}

/// Writes a study like a search does: a search space, COMPLETE trials with curves, a FAILED one with an
/// error, a RUNNING one, a WAITING one.
@discardableResult
func makeStudy(_ store: any StudyStorage, name: String = "mnist", completed: Int = 3,
               choices: [String] = ["sgd", Hostile.choice]) throws -> StoredStudy {
    let space = try SearchSpace([
        .float("lr", min: 1e-4, max: 1e-1, sampling: .log),
        .int("units", min: 8, max: 64),
        .choice("optimizer", values: choices.map { .string($0) }),
    ])
    let study = try store.createStudy(NewStudy(name: name, objective: .maximize("val_accuracy"), oracleKind: "random",
                                               oracleConfiguration: .object(["max_trials": .int(20)]), searchSpace: space))
    for index in 0..<completed {
        let trial = try store.startTrial(study: study.id, number: index, worker: "w\(index % 2)",
                                         hyperparameters: ["lr": .float(0.001 * Double(index + 1)), "units": .int(8 + index),
                                                           "optimizer": .string(choices[index % choices.count])])
        for epoch in 0..<3 {
            try store.recordMetrics(trial: trial.id, step: epoch,
                                    values: ["val_accuracy": 0.5 + 0.1 * Double(epoch) + 0.01 * Double(index), "loss": 1.0 / Double(epoch + 1)])
        }
        try store.finishTrial(trial.id, worker: "w\(index % 2)", state: .complete, score: 0.7 + 0.01 * Double(index))
    }
    let failed = try store.startTrial(study: study.id, number: completed, worker: "w0",
                                      hyperparameters: ["lr": .float(0.05), "units": .int(9), "optimizer": .string(Hostile.choice)])
    try store.recordMetrics(trial: failed.id, step: 0, values: ["val_accuracy": 0.1, Hostile.metric: 2])
    try store.finishTrial(failed.id, worker: "w0", state: .failed, error: Hostile.error)
    let running = try store.startTrial(study: study.id, number: completed + 1, worker: "w1",
                                       hyperparameters: ["lr": .float(0.01), "units": .int(16), "optimizer": .string("sgd")])
    try store.recordMetrics(trial: running.id, step: 0, values: ["val_accuracy": 0.6])
    try store.insertTrial(study: study.id, number: completed + 2, state: .waiting,
                          hyperparameters: ["lr": .float(0.02), "units": .int(32), "optimizer": .string("sgd")])
    return study
}
