import Foundation
import Testing
import TestSupport

/// `tuner export --output`: regular files only, written whole; never the database, a FIFO, a device or
/// a folder; a missing folder said in a sentence.
@Suite(.serialized) struct ExportOutputTests {
    /// A folder with a one-trial ask/tell study "s" in tuner.sqlite.
    private func studyFolder() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write("space.yaml", "hyperparameters:\n  x: { type: float, min: -2, max: 2 }\n")
        let create = try TunerBinary.run(["create", "s", "--space", "space.yaml", "--oracle", "random", "--direction", "min",
                                          "--max-trials", "3"], in: directory.path)
        #expect(create.status == 0, "\(create.output)")
        let ask = try TunerBinary.run(["ask", "s"], in: directory.path)
        let trial = try #require((try JSONSerialization.jsonObject(with: Data(ask.stdout.utf8)) as? [String: Any])?["trial"] as? Int)
        #expect(try TunerBinary.run(["tell", "s", "--trial", "\(trial)", "--value", "0.5"], in: directory.path).status == 0)
        return directory
    }

    private func export(_ output: String, format: String = "html", in directory: TemporaryDirectory) throws -> TunerBinary.Result {
        try TunerBinary.run(["export", "s", "--format", format, "--output", output], in: directory.path)
    }

    private func fileType(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    @Test func regularFilesAreWrittenAndALinkToOneIsFollowed() throws {
        let directory = try studyFolder()
        let html = try export("report.html", in: directory)
        #expect(html.status == 0, "\(html.output)")
        #expect(try String(contentsOfFile: directory.path + "/report.html", encoding: .utf8).contains("<html"))
        let csv = try export("trials.csv", format: "csv", in: directory)
        #expect(csv.status == 0, "\(csv.output)")
        #expect(FileManager.default.fileExists(atPath: directory.path + "/trials.metrics.csv"))
        let md = try export("md", format: "md", in: directory)
        #expect(md.status == 0, "\(md.output)")
        #expect(FileManager.default.fileExists(atPath: directory.path + "/md/report.md"))

        try directory.write("target.json", "old")
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/link.json", withDestinationPath: "target.json")
        let linked = try export("link.json", format: "json", in: directory)
        #expect(linked.status == 0, "\(linked.output)")
        #expect(fileType(directory.path + "/link.json") == S_IFLNK, "the link was replaced")
        #expect(try String(contentsOfFile: directory.path + "/target.json", encoding: .utf8).contains("\"format\""))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "\(leftovers)")

        try FileManager.default.createSymbolicLink(atPath: directory.path + "/dangling.html", withDestinationPath: "nowhere/x.html")
        let dangling = try export("dangling.html", in: directory)
        #expect(dangling.status == 64)
        #expect(dangling.stderr.contains("symbolic link to nothing"), "\(dangling.stderr)")
    }

    @Test func theDatabaseFifosDevicesAndFoldersAreRefused() throws {
        let directory = try studyFolder()
        let database = directory.path + "/tuner.sqlite"
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        #expect(link(database, directory.path + "/hardlink.html") == 0)
        for output in ["tuner.sqlite", "./tuner.sqlite", database, "hardlink.html"] {
            let refused = try export(output, format: "json", in: directory)
            #expect(refused.status == 64, "\(output): \(refused.output)")
            #expect(refused.stderr.contains("is the study database"), "\(output): \(refused.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
        let studies = try TunerBinary.run(["studies", "--format", "csv"], in: directory.path)
        #expect(studies.status == 0 && studies.stdout.contains("\ns,"), "\(studies.output)")

        #expect(mkfifo(directory.path + "/pipe", 0o644) == 0)
        let fifo = try export("pipe", in: directory)
        #expect(fifo.status == 64)
        #expect(fifo.stderr.contains("FIFO"), "\(fifo.stderr)")
        #expect(fileType(directory.path + "/pipe") == S_IFIFO)

        let device = try export("/dev/null", in: directory)
        #expect(device.status == 64)
        #expect(device.stderr.contains("a device"), "\(device.stderr)")
        #expect(fileType("/dev/null") == S_IFCHR)

        try FileManager.default.createDirectory(atPath: directory.path + "/folder", withIntermediateDirectories: true)
        let folder = try export("folder", in: directory)
        #expect(folder.status == 64)
        #expect(folder.stderr.contains("a folder, not a regular file"), "\(folder.stderr)")
        try directory.write("plain.txt", "x")
        let notAFolder = try export("plain.txt", format: "md", in: directory)
        #expect(notAFolder.status == 64)
        #expect(notAFolder.stderr.contains("it is not a folder"), "\(notAFolder.stderr)")
    }

    @Test func aMissingFolderIsASentence() throws {
        let directory = try studyFolder()
        for format in ["html", "csv", "json", "md"] {
            let missing = try export("nowhere/deeper/report.\(format)", format: format, in: directory)
            #expect(missing.status == 64, "\(format): \(missing.output)")
            #expect(missing.stderr.contains("does not exist; create it first"), "\(format): \(missing.stderr)")
            #expect(!missing.output.contains("NSCocoaErrorDomain") && !missing.output.contains("Error Domain"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/nowhere"))
    }
}
