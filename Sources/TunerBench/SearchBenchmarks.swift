import Foundation
import StudyStore
#if canImport(Glibc)
import Glibc
#endif

/// The whole-search figures of `make bench` (`search_*`): the book's three Keras Tuner searches as study
/// files, run by the `tuner` binary beside `tuner-bench` with the default of one trial per core —
/// random search (`Studies/fashion-mnist-random.yaml`: 5 trials × 10 epochs of an MLP on the 55,000
/// Fashion-MNIST training images, also run one trial at a time), Hyperband
/// (`fashion-mnist-hyperband.yaml`: max 10 epochs, factor 3, 2 iterations, early stopping) and
/// Bayesian optimization (`fashion-mnist-bayesian.yaml`: 10 trials × 10 epochs). Each gives its wall
/// time, the process's peak resident memory and the best validation accuracy.
/// `make bench-compare` runs the same searches in Keras Tuner (`Scripts/keras_tuner_book_searches.py`),
/// which runs one trial at a time.
///
/// `filters` are `tuner-bench`'s name prefixes: `search` runs all, `search_hyperband` one study.
///
/// - Throws: `BenchmarkError` when the binary or a study file is missing or a search fails.
func runSearchBenchmarks(filters: [String], report: (String, Double, String) -> Void) throws {
    let tuner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tuner").path
    guard FileManager.default.isExecutableFile(atPath: tuner) else { throw BenchmarkError.missingBinary(tuner) }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tuner-bench-search-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }

    let cores = ProcessInfo.processInfo.activeProcessorCount
    let runs: [(kind: String, parallel: Int?)] = [("random", 1), ("random", nil), ("hyperband", nil), ("bayesian", nil)]
    for (kind, parallel) in runs {
        let name = parallel == 1 ? "search_\(kind)_1trial_at_once" : "search_\(kind)_\(cores)trials_at_once"
        guard filters.isEmpty || filters.contains(where: { name.hasPrefix($0) }) else { continue }
        let study = "fashion-mnist-\(kind)"
        let studyFile = "Studies/\(study).yaml"
        guard FileManager.default.fileExists(atPath: studyFile) else {
            throw BenchmarkError.unexpectedOutput("\(studyFile) is not here; run tuner-bench from the repository (make bench does)")
        }
        let storage = "\(folder)/\(name).sqlite"
        var arguments = [tuner, "search", studyFile, "--storage", storage, "--overwrite", "--quiet"]
        if let parallel { arguments += ["--parallel", String(parallel)] }
        let run = try spawnMeasured(arguments)
        guard run.status == 0 else { throw BenchmarkError.commandFailed(Array(arguments.dropFirst()), run.status) }
        report(name, run.seconds, "s")
        report(name + "_peak_memory", run.peakResidentMB, "MB")
        let store = try openStudyStorage(storage)
        let stored = try store.requireStudy(named: study)
        let best = try store.trials(study: stored.id, states: [.complete]).compactMap(\.score).max() ?? .nan
        report(name + "_best_val_accuracy", best, "")
    }
}

/// What `spawnMeasured` measured of a finished child process.
private struct MeasuredRun {
    var status: Int32
    var seconds: Double
    var peakResidentMB: Double
}

/// Runs `arguments` (an absolute executable path first) with standard output and error discarded, and
/// returns its exit status, wall time and peak resident memory (`wait4`'s own rusage of that child,
/// so another child's peak never counts).
private func spawnMeasured(_ arguments: [String]) throws -> MeasuredRun {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let start = DispatchTime.now()
    let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
    guard spawned == 0 else { throw BenchmarkError.commandFailed(arguments, Int32(spawned)) }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    // WIFEXITED / WEXITSTATUS by hand: Glibc's macros do not import into Swift.
    let exited = status & 0x7f == 0
    return MeasuredRun(status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), seconds: seconds,
                       peakResidentMB: Double(usage.ru_maxrss) / 1024)
}
