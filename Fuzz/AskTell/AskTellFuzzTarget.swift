import ArgumentParser
import Foundation
@testable import TunerCLI

/// libFuzzer target `ask-tell`: one input is a `tuner ask` or `tuner tell` command line
/// (`AskTellFuzzCommandLine`). It is parsed by the real commands (swift-argument-parser plus their
/// `validate()`) and run against a fresh copy of a small store made at start-up, so every input sees the
/// same studies and no real study is touched. Inputs for other subcommands are skipped; `--storage` given
/// by the input is dropped (the copy is always used). Any thrown error or exit code is a refusal (fine);
/// a trap, a crash or a hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func askTellFuzzTarget(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    guard let arguments = AskTellFuzzCommandLine.arguments(of: text) else { return 0 }
    do {
        var command = try TunerCommand.parseAsRoot(arguments + ["--storage", FuzzStorage.shared.freshCopy()])
        try command.run()
    } catch {
        // Usage errors, refused tells and exit codes are the commands' answers, not bugs.
    }
    return 0
}

/// A store holding the studies the fuzzed commands work on, made once with the CLI itself, and the
/// copy each input gets.
final class FuzzStorage: Sendable {
    /// Made on first use (libFuzzer calls the target from one thread).
    static let shared = FuzzStorage()

    let folder: String
    private let template: String
    private let working: String

    private init() {
        folder = NSTemporaryDirectory() + "tuner-fuzz-ask-tell-\(getpid())"
        template = folder + "/template.sqlite"
        working = folder + "/tuner.sqlite"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try AskTellFuzzCommandLine.spaceYAML.write(toFile: folder + "/space.yaml", atomically: true, encoding: .utf8)
            let setup = AskTellFuzzCommandLine.setupCommands(spacePath: folder + "/space.yaml")
            // What these print goes where the fuzzed commands' output goes (Scripts/fuzz.sh closes it).
            for arguments in setup {
                var command = try TunerCommand.parseAsRoot(arguments + ["--storage", template])
                try command.run()
            }
        } catch {
            FileHandle.standardError.write(Data("ask-tell fuzz target: cannot prepare the store in \(folder): \(error)\n".utf8))
            exit(2)
        }
        atexit { try? FileManager.default.removeItem(atPath: FuzzStorage.shared.folder) }
    }

    /// Replaces the working store with the template; returns its path.
    func freshCopy() -> String {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(working + suffix) }
        do {
            try FileManager.default.copyItem(atPath: template, toPath: working)
        } catch {
            FileHandle.standardError.write(Data("ask-tell fuzz target: cannot copy the store: \(error)\n".utf8))
            exit(2)
        }
        return working
    }
}
