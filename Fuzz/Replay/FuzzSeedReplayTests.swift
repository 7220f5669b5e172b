import Foundation
import Testing
import TestSupport

/// `make test`'s replay of the fuzz targets' committed seeds (`Fuzz/Corpus/<target>/`): each seed once
/// through what its target does with an input, in the ordinary release test build. A refusal is fine; a
/// trap or a crash fails the run. study-file and study-import run in this process (their targets' own
/// input functions); ask-tell runs the `tuner` binary, which must end by exiting, not by a signal, within
/// 30 s. `make fuzz` runs the same inputs, and mutations of them, under libFuzzer and AddressSanitizer.
@Suite struct FuzzSeedReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus")

    /// The seeds of `target`, by name.
    static func seeds(_ target: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: corpus.appendingPathComponent(target), includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test func studyFileSeeds() throws {
        let seeds = try Self.seeds("study-file")
        #expect(seeds.count >= 10)
        for seed in seeds { StudyFileFuzzInput.run(String(decoding: try Data(contentsOf: seed), as: UTF8.self)) }
    }

    @Test func studyImportSeeds() throws {
        let seeds = try Self.seeds("study-import")
        #expect(seeds.count >= 4)
        for seed in seeds { StudyImportFuzzInput.run(try Data(contentsOf: seed)) }
    }

    @Test func askTellSeedsThroughTheBinary() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write("space.yaml", AskTellFuzzCommandLine.spaceYAML)
        let template = directory.path("template.sqlite"), working = directory.path("tuner.sqlite")
        for command in AskTellFuzzCommandLine.setupCommands(spacePath: directory.path("space.yaml")) {
            let ended = try Self.runTuner(command + ["--storage", template], in: directory.path)
            try #require(ended == .exit(0), "setup command \(command) ended with \(ended)")
        }
        var replayed = 0
        for seed in try Self.seeds("ask-tell") {
            guard let arguments = AskTellFuzzCommandLine.arguments(of: String(decoding: try Data(contentsOf: seed), as: UTF8.self))
            else { continue }
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: working + suffix) }
            try FileManager.default.copyItem(atPath: template, toPath: working)
            let ended = try Self.runTuner(arguments + ["--storage", working], in: directory.path)
            // Any exit status is the command's answer; a signal (a trap) or a hang is a bug.
            if case .exit = ended {} else { Issue.record("seed \(seed.lastPathComponent): tuner ended with \(ended)") }
            replayed += 1
        }
        #expect(replayed >= 10)
    }

    /// How a `tuner` run ended.
    enum Ending: Equatable, CustomStringConvertible {
        case exit(Int32)
        case signal(Int32)
        case timedOut

        var description: String {
            switch self {
            case .exit(let status): "exit status \(status)"
            case .signal(let signal): "signal \(signal)"
            case .timedOut: "no end within 30 s (killed)"
            }
        }
    }

    /// Runs the built `tuner` with `arguments` in `directory`, its output discarded, for at most 30 s.
    static func runTuner(_ arguments: [String], in directory: String) throws -> Ending {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProducts.path(of: "tuner"))
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "TUNER_STORAGE")
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return .timedOut
        }
        return process.terminationReason == .exit ? .exit(process.terminationStatus) : .signal(process.terminationStatus)
    }
}
