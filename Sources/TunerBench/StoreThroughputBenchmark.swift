import Foundation
import TestSupport
import TunerKit

/// `store_throughput_*` in `make bench`: one random-search study shared by 16 worker processes running
/// trivial trials through the library (`StudyAskTell`: `ask` claims a trial — the oracle's decision,
/// the new RUNNING row and the oracle state in one transaction — and `tell` finishes it), on PostgreSQL
/// (a throwaway local server, `PostgresServer` from TestSupport) and on SQLite (one file on this disk).
/// Reported: trials per second over the whole run, and the p50 / p99 latency of a claim and of a finish;
/// on PostgreSQL also how long a claim and a finish held the study's lock (p50, from the lock statement's
/// answer to COMMIT's, `PostgresStudyStorage.processStudyLockHolds`) and the statements each sent under it: every
/// other worker waits that long, so these bound the throughput and move less with the machine's load.
///
/// PostgreSQL runs twice: on a throwaway server that does not wait for the disk (`fsync` and
/// `synchronous_commit` off, `postgres`, as the tests' server) and on one with PostgreSQL's defaults
/// (`postgres_durable`: every COMMIT waits for its WAL on disk, as a production server does).
///
/// The anchor (issue 14): Optuna 5.1 with 16 processes and a random sampler did about 66 trials/s on a
/// local PostgreSQL 15 here, and about 23 on SQLite. With `$TUNER_BENCH_OPTUNA_PYTHON` (a Python with
/// Optuna and psycopg2; `make bench-compare` sets it), Optuna runs the same study on the same server (a
/// database of its own) and the same SQLite disk right after ours (`Scripts/optuna_store_throughput.py`),
/// and its `optuna_store_throughput_*` figures are reported beside ours.
///
/// Each worker is this executable again (`tuner-bench --throughput-worker`, storage from
/// `$TUNER_STORAGE`): it connects, says `ready`, waits for `go` on its standard input, then asks and tells
/// until the budget is spent and prints its latencies. The clock runs from the `go` to the last exit, so
/// process starts and logins do not count.
enum StoreThroughputBenchmark {
    /// The argument that makes `tuner-bench` a worker of this benchmark.
    static let workerFlag = "--throughput-worker"
    /// Worker processes: 16, as in the Optuna anchor, or `$TUNER_BENCH_THROUGHPUT_PROCESSES` (to see how
    /// the figures change with contention; the figures' names say the count).
    static let processes = ProcessInfo.processInfo.environment["TUNER_BENCH_THROUGHPUT_PROCESSES"].flatMap { Int($0) }
        .map { max($0, 1) } ?? 16
    /// Trials in the study: 2,000, or `$TUNER_BENCH_THROUGHPUT_TRIALS` (to see how the figures change
    /// with the study's size).
    static let trials = ProcessInfo.processInfo.environment["TUNER_BENCH_THROUGHPUT_TRIALS"].flatMap { Int($0) }
        .map { max($0, processes) } ?? 2_000

    /// Runs the benchmark on both backends and reports its figures.
    ///
    /// - Throws: `BenchmarkError` when a worker fails, the server's and the store's errors.
    static func run(report: (String, Double, String) -> Void) throws {
        for (durable, backend) in [(false, "postgres"), (true, "postgres_durable")] {
            let server = try PostgresServer.start(durable: durable)
            try measure(storage: server.url(database: try server.createDatabase()), backend: backend, report: report)
            // SQLAlchemy's form of the same connection string.
            let optunaURL = "postgresql+psycopg2://" + server.url(database: try server.createDatabase()).dropFirst("postgresql://".count)
            try measureOptuna(storage: optunaURL, backend: backend, report: report)
        }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tuner-bench-throughput-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try measure(storage: folder + "/throughput.sqlite", backend: "sqlite", report: report)
        try measureOptuna(storage: "sqlite:///" + folder + "/optuna.sqlite", backend: "sqlite", report: report)
    }

    /// Optuna's run of the same study on `storage` (an SQLAlchemy URL), when `$TUNER_BENCH_OPTUNA_PYTHON`
    /// names a Python to run `Scripts/optuna_store_throughput.py` with; its `BENCH` line is reported as is.
    ///
    /// - Throws: `BenchmarkError.workerFailed` when the script fails or prints no figure.
    private static func measureOptuna(storage: String, backend: String, report: (String, Double, String) -> Void) throws {
        guard let python = ProcessInfo.processInfo.environment["TUNER_BENCH_OPTUNA_PYTHON"], !python.isEmpty else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["Scripts/optuna_store_throughput.py", "--storage", storage, "--label", backend,
                             "--processes", String(processes), "--trials", String(trials)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkError.workerFailed("Optuna's throughput script on \(backend) exited with \(process.terminationStatus)")
        }
        let figures = text.split(separator: "\n").compactMap { line -> (String, Double, String)? in
            let fields = line.split(separator: " ")
            guard fields.count == 4, fields[0] == "BENCH", let value = Double(fields[2]) else { return nil }
            return (String(fields[1]), value, String(fields[3]))
        }
        guard !figures.isEmpty else { throw BenchmarkError.workerFailed("Optuna's throughput script on \(backend) printed no figure") }
        for figure in figures { report(figure.0, figure.1, figure.2) }
    }

    /// One run on `storage`.
    private static func measure(storage: String, backend: String, report: (String, Double, String) -> Void) throws {
        try createRandomStudy(named: "throughput", trials: trials, storage: storage)
        var workers: [(process: Process, input: Pipe, output: Pipe)] = []
        for _ in 0..<processes {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            process.arguments = [workerFlag, "throughput"]
            // The connection string (with its password) goes by the environment, not the command line.
            process.environment = ProcessInfo.processInfo.environment.merging(["TUNER_STORAGE": storage]) { $1 }
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            workers.append((process, input, output))
        }
        for worker in workers {
            guard let line = readLine(from: worker.output.fileHandleForReading), line == "ready" else {
                throw BenchmarkError.workerFailed("a worker did not start on \(backend)")
            }
        }
        let start = DispatchTime.now()
        for worker in workers { try worker.input.fileHandleForWriting.write(contentsOf: Data("go\n".utf8)) }
        var claims: [Double] = [], finishes: [Double] = []
        var claimHolds: [Double] = [], finishHolds: [Double] = []
        var claimStatements = 0, finishStatements = 0
        var done = 0
        for worker in workers {
            let text = String(decoding: worker.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            worker.process.waitUntilExit()
            guard worker.process.terminationStatus == 0 else {
                throw BenchmarkError.workerFailed("a worker on \(backend) exited with \(worker.process.terminationStatus)")
            }
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ")
                guard fields.count == 7, let claim = Double(fields[1]), let finish = Double(fields[2]),
                      let claimHold = Double(fields[3]), let claimSent = Int(fields[4]),
                      let finishHold = Double(fields[5]), let finishSent = Int(fields[6])
                else { continue }
                claims.append(claim)
                finishes.append(finish)
                claimHolds.append(claimHold)
                finishHolds.append(finishHold)
                claimStatements += claimSent
                finishStatements += finishSent
                done += 1
            }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        guard done == trials else { throw BenchmarkError.workerFailed("\(done) of \(trials) trials ran on \(backend)") }
        report("store_throughput_\(backend)_\(processes)_processes", Double(done) / elapsed, "trials/s")
        report("store_claim_p50_\(backend)_\(processes)_processes", percentile(claims, 0.5) * 1000, "ms")
        report("store_claim_p99_\(backend)_\(processes)_processes", percentile(claims, 0.99) * 1000, "ms")
        report("store_finish_p50_\(backend)_\(processes)_processes", percentile(finishes, 0.5) * 1000, "ms")
        report("store_finish_p99_\(backend)_\(processes)_processes", percentile(finishes, 0.99) * 1000, "ms")
        // SQLite has no study lock of its own (its write lock is the whole file's): nothing to report.
        guard backend.hasPrefix("postgres") else { return }
        report("store_claim_lock_hold_p50_\(backend)_\(processes)_processes", percentile(claimHolds, 0.5) * 1000, "ms")
        report("store_finish_lock_hold_p50_\(backend)_\(processes)_processes", percentile(finishHolds, 0.5) * 1000, "ms")
        report("store_claim_statements_under_lock_\(backend)_\(processes)_processes", Double(claimStatements) / Double(done),
               "statements")
        report("store_finish_statements_under_lock_\(backend)_\(processes)_processes", Double(finishStatements) / Double(done),
               "statements")
    }

    /// The worker process: asks and tells until the study's budget is spent, then prints one line per
    /// trial, `trial CLAIM_SECONDS FINISH_SECONDS CLAIM_LOCK_SECONDS CLAIM_LOCK_STATEMENTS FINISH_LOCK_SECONDS
    /// FINISH_LOCK_STATEMENTS` (the study lock's holds: 0 on SQLite). Returns its exit status.
    static func worker(study: String) -> Int32 {
        do {
            guard let storage = ProcessInfo.processInfo.environment["TUNER_STORAGE"] else { return 64 }
            let askTell = StudyAskTell(storagePath: storage, study: study)
            // Connect (and check the schema) before the clock starts.
            _ = try askTell.searchSpace()
            FileHandle.standardOutput.write(Data("ready\n".utf8))
            guard Swift.readLine() == "go" else { return 64 }
            var lines: [String] = []
            while true {
                let holdsBeforeClaim = PostgresStudyStorage.processStudyLockHolds
                let asked = DispatchTime.now()
                let answer = try askTell.ask()
                let claimed = DispatchTime.now()
                let holdsAfterClaim = PostgresStudyStorage.processStudyLockHolds
                guard case .trial(let trial) = answer else {
                    if answer == .searchIsOver { break }
                    Thread.sleep(forTimeInterval: 0.001)
                    continue
                }
                let x = trial.hyperparameters["x"]?.doubleValue ?? 0
                try askTell.tell(trial: trial.trial, value: x * x)
                let told = DispatchTime.now()
                let claimHold = holdsAfterClaim.since(holdsBeforeClaim)
                let finishHold = PostgresStudyStorage.processStudyLockHolds.since(holdsAfterClaim)
                lines.append("\(trial.trial) \(seconds(asked, claimed)) \(seconds(claimed, told)) "
                             + "\(claimHold.seconds) \(claimHold.statements) \(finishHold.seconds) \(finishHold.statements)")
            }
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            return 0
        } catch {
            FileHandle.standardError.write(Data("tuner-bench worker: \(error)\n".utf8))
            return 1
        }
    }

    private static func seconds(_ from: DispatchTime, _ to: DispatchTime) -> Double {
        Double(to.uptimeNanoseconds - from.uptimeNanoseconds) / 1e9
    }

    /// The `q` quantile of `values` (nearest rank).
    private static func percentile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.up)) - 1)]
    }

    /// One line from `handle` (without its newline), or nil at the end.
    private static func readLine(from handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while let byte = try? handle.read(upToCount: 1), let first = byte.first {
            if first == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(first)
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}
