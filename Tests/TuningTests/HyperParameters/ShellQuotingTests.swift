import Foundation
import Testing
import Tuning

/// The one rule for a value as a shell word (`tuner ask --format env` and command studies).
@Suite struct ShellQuotingTests {
    @Test func plainWordsStayAsTheyAreAndOthersAreSingleQuoted() {
        #expect(ShellQuoting.word("0.001") == "0.001")
        #expect(ShellQuoting.word("relu") == "relu")
        #expect(ShellQuoting.word("/tmp/a-b_c.d+e=f:g,h@i%j") == "/tmp/a-b_c.d+e=f:g,h@i%j")
        #expect(ShellQuoting.word("") == "''")
        #expect(ShellQuoting.word("two words") == "'two words'")
        #expect(ShellQuoting.word("it's") == #"'it'\''s'"#)
        #expect(ShellQuoting.word("$(touch f)") == "'$(touch f)'")
        #expect(ShellQuoting.word("é") == "'é'")
    }

    /// What `eval "$(tuner ask --format env)"` does with an assignment, and what the shell makes of a
    /// quoted word: each value comes back byte for byte, and no code in it runs.
    @Test func theShellReadsEachWordBackUnchanged() throws {
        let values = ["0.001", "", "two  words", "it's", "'", "''", "\"q\"", "$(touch f)", "`touch f`", "a\nb", "*", "~", "-n", "é 日本", "\\"]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shell-quoting-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for value in values {
            let script = "X=\(ShellQuoting.word(value))\nprintf '%s|' \"$X\" \(ShellQuoting.word(value))"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script]
            process.currentDirectoryURL = directory
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(value)")
            #expect(String(decoding: data, as: UTF8.self) == "\(value)|\(value)|", "\(value)")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("f").path), "\(value) ran code")
        }
    }
}
