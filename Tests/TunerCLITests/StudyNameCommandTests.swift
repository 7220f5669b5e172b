import Foundation
import StudyStore
import Testing
import TestSupport

/// Study names a careless or hostile user may type: `..`, names differing only in punctuation, a NUL,
/// 10,000 characters. None may reach files outside the checkpoint folder or another study's files.
@Suite(.serialized) struct StudyNameCommandTests {
    private static let space = "hyperparameters:\n  x: { type: float, min: -2, max: 2 }\n"
    /// The files a user keeps beside the storage, which no study operation may touch.
    private static let neighbours = ["notes.txt", "space.yaml", "data.csv", "tuner.sqlite"]

    private func createArguments(_ name: String) -> [String] {
        ["create", name, "--space", "space.yaml", "--oracle", "random", "--direction", "min", "--max-trials", "5"]
    }

    private func checkpointPaths(_ directory: TemporaryDirectory, study: String) throws -> [String] {
        let store = try SQLiteStudyStorage(path: directory.path + "/tuner.sqlite")
        let record = try #require(try store.study(named: study))
        return try store.trials(study: record.id).flatMap { try store.checkpoints(trial: $0.id).compactMap(\.path) }
    }

    @Test func aStudyNamedDotDotNeverDeletesFilesBesideTheStorage() throws {
        let directory = try TemporaryDirectory()
        try directory.write("space.yaml", Self.space)
        try directory.write("data.csv", regressionCSV())
        try directory.write("notes.txt", "my notes\n")
        try directory.write("dotdot.yaml", modelStudy(name: "\"..\"", trials: 2, epochs: 2))

        let create = try TunerBinary.run(createArguments(".."), in: directory.path)
        #expect(create.status == 0, "\(create.output)")
        let delete = try TunerBinary.run(["delete", ".."], in: directory.path)
        #expect(delete.status == 0, "\(delete.output)")
        for file in Self.neighbours { #expect(FileManager.default.fileExists(atPath: directory.path + "/" + file), "\(file) was deleted") }

        // A model study named ".." keeps its checkpoints in an encoded folder, and --overwrite removes only those.
        let search = try TunerBinary.run(["search", "dotdot.yaml"], in: directory.path)
        #expect(search.status == 0, "\(search.output)")
        let root = directory.path + "/tuner.sqlite.checkpoints/"
        let paths = try checkpointPaths(directory, study: "..")
        #expect(!paths.isEmpty)
        #expect(paths.allSatisfy { $0.hasPrefix(root + "%2E%2E/") }, "\(paths)")
        let overwrite = try TunerBinary.run(["search", "dotdot.yaml", "--overwrite"], in: directory.path)
        #expect(overwrite.status == 0, "\(overwrite.output)")
        for file in Self.neighbours { #expect(FileManager.default.fileExists(atPath: directory.path + "/" + file), "\(file) was deleted") }
        let again = try TunerBinary.run(["delete", ".."], in: directory.path)
        #expect(again.status == 0, "\(again.output)")
        for file in Self.neighbours { #expect(FileManager.default.fileExists(atPath: directory.path + "/" + file), "\(file) was deleted") }
        #expect(!FileManager.default.fileExists(atPath: root + "%2E%2E"))
    }

    @Test func namesDifferingInPunctuationKeepTheirOwnCheckpoints() throws {
        let directory = try TemporaryDirectory()
        try directory.write("data.csv", regressionCSV(rows: 60))
        let names = ["a b", "a_b", "a/b"]
        for (index, name) in names.enumerated() {
            try directory.write("s\(index).yaml", modelStudy(name: "\"\(name)\"", trials: 1, epochs: 1))
            let search = try TunerBinary.run(["search", "s\(index).yaml"], in: directory.path)
            #expect(search.status == 0, "\(search.output)")
        }
        let folders = try names.map { name in
            Set(try checkpointPaths(directory, study: name).map { ($0 as NSString).deletingLastPathComponent })
        }
        #expect(folders.allSatisfy { $0.count == 1 }, "\(folders)")
        #expect(Set(folders.flatMap { $0 }).count == 3, "\(folders)")
        let others = try checkpointPaths(directory, study: "a_b") + checkpointPaths(directory, study: "a/b")
        let delete = try TunerBinary.run(["delete", "a b"], in: directory.path)
        #expect(delete.status == 0, "\(delete.output)")
        #expect(others.allSatisfy { FileManager.default.fileExists(atPath: $0) }, "deleting \"a b\" removed another study's checkpoints")
    }

    @Test func namesThatCannotBeStoredFaithfullyAreRefused() throws {
        let directory = try TemporaryDirectory()
        try directory.write("space.yaml", Self.space)
        #expect(try TunerBinary.run(createArguments("victim"), in: directory.path).status == 0)

        // A NUL cannot be passed as an argument, but a study file or an export can hold one.
        try directory.write("nul.yaml", """
            name: "victim\\0other"
            objective: { metric: loss, direction: min }
            oracle: { type: random, max_trials: 2 }
            hyperparameters:
              x: { type: float, min: -2, max: 2 }
            command:
              run: "echo 'loss: 1'"
            """)
        let search = try TunerBinary.run(["search", "nul.yaml", "--overwrite"], in: directory.path)
        #expect(search.status == 64, "\(search.output)")
        #expect(search.stderr.contains("control character U+0000"), "\(search.stderr)")

        let export = try TunerBinary.run(["export", "victim", "--format", "json", "--output", "victim.json"], in: directory.path)
        #expect(export.status == 0, "\(export.output)")
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.path + "/victim.json"))) as? [String: Any])
        var study = try #require(document["study"] as? [String: Any])
        study["name"] = "victim\u{0}other"
        document["study"] = study
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: directory.path + "/nul.json"))
        let importing = try TunerBinary.run(["import", "nul.json", "--replace"], in: directory.path)
        #expect(importing.status == 64, "\(importing.output)")
        #expect(importing.stderr.contains("U+0000"), "\(importing.stderr)")

        let studies = try TunerBinary.run(["studies", "--format", "csv"], in: directory.path)
        #expect(studies.stdout.split(separator: "\n").filter { $0.hasPrefix("victim,") }.count == 1, "\(studies.output)")

        let long = String(repeating: "n", count: 10_000)
        let create = try TunerBinary.run(createArguments(long), in: directory.path)
        #expect(create.status == 64)
        #expect(create.stderr.contains("10000 characters, more than the 200 allowed"), "\(create.stderr.prefix(500))")
        #expect(create.stderr.count < 600)
        #expect(!create.output.contains("NSCocoaErrorDomain"))
        let empty = try TunerBinary.run(createArguments(""), in: directory.path)
        #expect(empty.status == 64)
        #expect(empty.stderr.contains("it is empty"), "\(empty.stderr)")
        // Bytes that are not UTF-8 reach the program as U+FFFD: "\u{FF}" and "\u{FE}" would be one study.
        let bytes = Process()
        bytes.executableURL = URL(fileURLWithPath: "/bin/sh")
        bytes.arguments = ["-c", "exec \"$0\" create \"$(printf 'x\\377')\" --space space.yaml --oracle random --direction min --max-trials 5 2>err.txt",
                           TunerBinary.path]
        bytes.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        try bytes.run()
        bytes.waitUntilExit()
        #expect(bytes.terminationStatus == 64)
        #expect(try String(contentsOfFile: directory.path + "/err.txt", encoding: .utf8).contains("not UTF-8"))
        let tab = try TunerBinary.run(createArguments("a\tb"), in: directory.path)
        #expect(tab.status == 64)
        #expect(tab.stderr.contains("U+0009"), "\(tab.stderr)")
    }
}
