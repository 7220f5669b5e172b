import Foundation
import JSONValues
import Reports
import StudyStore
import TunerKit
import Tuning

/// The storage figures of `make bench` (`store_*`), through the public APIs every caller uses, so a
/// change of storage layer is measured where users feel it:
///
/// - claim and finish one trial (`StudyAskTell.ask` + `tell`: one IMMEDIATE transaction each, with the
///   oracle state written back), the median over 200 trials;
/// - write one epoch's metrics (4 values, as a search's reporter does after every epoch), median over
///   2,000 epochs;
/// - load a 2,000-trial study with 10 epochs of 4 metrics per trial, as a snapshot (`StudySnapshot.load`)
///   and as a report (`StudyReport.load`), the median of 5 loads;
/// - `tuner ask` + `tuner tell` as processes (the binary beside `tuner-bench`), median over 20 rounds.
///
/// Everything runs in a temporary folder on this machine's disk, removed afterwards.
///
/// - Throws: store, oracle and process errors (not expected).
func runStoreBenchmarks(report: (String, Double, String) -> Void) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tuner-bench-store-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }

    let claimStorage = folder + "/claim.sqlite"
    try createRandomStudy(named: "claim", trials: 200, storage: claimStorage)
    let askTell = StudyAskTell(storagePath: claimStorage, study: "claim")
    var claimTimes: [Double] = []
    for _ in 0..<200 {
        let start = DispatchTime.now()
        guard case .trial(let trial) = try askTell.ask() else { break }
        try askTell.tell(trial: trial.trial, value: Double(trial.trial))
        claimTimes.append(seconds(since: start))
    }
    report("store_claim_and_finish_trial", median(claimTimes) * 1000, "ms")

    let metricsStorage = folder + "/metrics.sqlite"
    let store = try openStudyStorage(metricsStorage)
    let study = try store.createStudy(NewStudy(name: "metrics", objective: .minimize("val_loss"), oracleKind: "random"))
    let trial = try store.insertTrial(study: study.id, number: 0)
    var epochTimes: [Double] = []
    for step in 0..<2000 {
        let values = ["loss": 1 / Double(step + 1), "accuracy": 0.5, "val_loss": 1.1 / Double(step + 1), "val_accuracy": 0.45]
        let start = DispatchTime.now()
        try store.recordMetrics(trial: trial.id, step: step, values: values)
        epochTimes.append(seconds(since: start))
    }
    report("store_write_epoch_metrics", median(epochTimes) * 1000, "ms")

    let largeStorage = folder + "/large.sqlite"
    try createRandomStudy(named: "large", trials: 2000, storage: largeStorage)
    let largeStore = try openStudyStorage(largeStorage)
    try fillFinishedTrials(2000, epochs: 10, study: "large", store: largeStore)
    var resultTimes: [Double] = []
    var reportTimes: [Double] = []
    for _ in 0..<5 {
        var start = DispatchTime.now()
        _ = try StudySnapshot.load(storagePath: largeStorage, study: "large")
        resultTimes.append(seconds(since: start))
        start = DispatchTime.now()
        _ = try StudyReport.load(from: largeStore, study: "large")
        reportTimes.append(seconds(since: start))
    }
    report("store_load_2000_trial_study_results", median(resultTimes) * 1000, "ms")
    report("store_load_2000_trial_study_report", median(reportTimes) * 1000, "ms")

    let tuner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tuner").path
    guard FileManager.default.isExecutableFile(atPath: tuner) else {
        throw BenchmarkError.missingBinary(tuner)
    }
    let processStorage = folder + "/process.sqlite"
    try createRandomStudy(named: "process", trials: 20, storage: processStorage)
    var roundTrips: [Double] = []
    for _ in 0..<20 {
        let start = DispatchTime.now()
        let asked = try runTuner(tuner, ["ask", "process", "--storage", processStorage, "--format", "json"])
        guard case .int(let number)? = try JSONValue.parse(Data(asked.utf8)).objectValue?["trial"] else {
            throw BenchmarkError.unexpectedOutput("tuner ask printed no trial number: \(asked.prefix(200))")
        }
        _ = try runTuner(tuner, ["tell", "process", "--storage", processStorage, "--trial", String(number), "--value", "0.5"])
        roundTrips.append(seconds(since: start))
    }
    report("store_tuner_ask_tell_round_trip", median(roundTrips) * 1000, "ms")
}

/// Creates a random-search study over two floats with `trials` trials, without running any.
func createRandomStudy(named name: String, trials: Int, storage: String) throws {
    let collector = HyperParameters()
    _ = try collector.float("x", min: 0, max: 1)
    _ = try collector.float("y", min: 1e-4, max: 1, sampling: .log)
    let definition = StudyDefinition(
        name: name, objective: .minimize("loss"), oracle: .randomSearch(maxTrials: trials), seed: 1,
        searchSpace: collector.space)
    try StudyRunner(definition: definition, storage: storage).createOrResume()
}

/// Stores `count` COMPLETE trials with `epochs` epochs of 4 metrics each straight through the store,
/// in one transaction (the setup of the load figures; going through the oracle would be quadratic).
private func fillFinishedTrials(_ count: Int, epochs: Int, study name: String, store: any StudyStorage) throws {
    let study = try store.requireStudy(named: name)
    try store.write { store in
        for number in 0..<count {
            let values: [String: HyperParameterValue] = ["x": .float(Double(number) / Double(count)), "y": .float(1 / Double(number + 1))]
            let trial = try store.insertTrial(
                study: study.id, number: number, state: .running, hyperparameters: values, worker: "bench")
            for step in 0..<epochs {
                let loss = Double(number % 97) / 97 + 1 / Double(step + 1)
                try store.recordMetrics(
                    trial: trial.id, step: step,
                    values: ["loss": loss, "accuracy": 1 - loss / 2, "val_loss": loss * 1.1, "val_accuracy": 0.9 - loss / 2])
            }
            try store.finishTrial(trial.id, worker: "bench", state: .complete, score: Double(number % 97) / 97 + 0.1)
        }
    }
}

/// Runs the `tuner` binary and returns its standard output.
private func runTuner(_ path: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else { throw BenchmarkError.commandFailed(arguments, process.terminationStatus) }
    return text
}

private func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

/// Why a benchmark that runs the `tuner` binary or reads its output could not run.
enum BenchmarkError: Error, CustomStringConvertible {
    case missingBinary(String)
    case commandFailed([String], Int32)
    case unexpectedOutput(String)
    case workerFailed(String)

    var description: String {
        switch self {
        case .missingBinary(let path): "the tuner binary is not at \(path); build it first (make bench does)"
        case .commandFailed(let arguments, let status): "tuner \(arguments.joined(separator: " ")) exited with \(status)"
        case .unexpectedOutput(let text): text
        case .workerFailed(let detail): "the throughput benchmark failed: \(detail)"
        }
    }
}
