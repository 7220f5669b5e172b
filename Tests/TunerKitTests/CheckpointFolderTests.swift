import Foundation
import StudyStore
import Testing
import TunerKit
import TestSupport

/// Checkpoint folders: one per study name, never shared, never outside the checkpoint root; deleting a
/// study removes only what lies inside that root.
struct CheckpointFolderTests {
    @Test func everyNameGetsItsOwnSafeFolder() {
        let names = ["a b", "a_b", "a/b", "a%20b", "a.b", "A b", "..", ".", "...", "é", "e\u{301}", "a~b", "-", "_"]
        let folders = names.map(CheckpointFolderName.forStudy)
        #expect(Set(folders).count == names.count, "\(folders)")
        for (name, folder) in zip(names, folders) {
            #expect(folder != "." && folder != ".." && !folder.isEmpty, "\(name) → \(folder)")
            #expect(folder.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-%~".contains($0)) }, "\(name) → \(folder)")
        }
        #expect(CheckpointFolderName.forStudy("my-study2") == "my-study2")
        #expect(CheckpointFolderName.forStudy("my_study") == "my%5Fstudy")
        #expect(CheckpointFolderName.forStudy("..") == "%2E%2E")
        #expect(CheckpointFolderName.forStudy("a/b") == "a%2Fb")
        #expect(CheckpointFolderName.forStudy("é") == "%C3%A9")
    }

    /// Studies stored before this encoding keep their folders, named by replacing every character but
    /// letters, digits, `-`, `_` and `.` with `_` (`a b` → `a_b`). No other study's new folder may be one
    /// of those: `a_b`, `a.b` and `café` must not land in the folders of `a b`, `a.b`'s old twin or `café`.
    @Test func newFoldersNeverMeetTheFoldersOfOlderStudies() {
        func oldFolder(_ study: String) -> String {
            String(study.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        }
        let names = ["a b", "a_b", "a/b", "a.b", "a-b", "ab", "café", "caf_", "x y_z", "_", "-", "..", "A1-b2"]
        for older in names {
            for newer in names where newer != older {
                #expect(CheckpointFolderName.forStudy(newer) != oldFolder(older), "\(newer) would use \(older)'s old folder")
            }
        }
    }

    @Test func aLongNameStaysWithinTheFileNameLimitAndDistinct() {
        // 200 accented letters encode to 1,200 bytes: the folder keeps a prefix and the name's SHA-256
        // (the digests below are from Python's hashlib).
        let long = String(repeating: "é", count: 200)
        let almost = String(repeating: "é", count: 199) + "e"
        let folder = CheckpointFolderName.forStudy(long)
        #expect(folder.utf8.count <= CheckpointFolderName.fileNameLimit)
        #expect(folder.hasPrefix("%C3%A9%C3%A9"))
        #expect(folder.hasSuffix("~df20b2aa6262e99e133aa7f3614be707d35c4155d17e2aa7cbb49da555a454c3"))
        #expect(CheckpointFolderName.forStudy(almost).hasSuffix("~e7aa7c7245f41d664d60cf4828bd904b0980475380a23468a21a3bbe221bc201"))
        let ascii = String(repeating: "x", count: 200)
        #expect(CheckpointFolderName.forStudy(ascii) == ascii)
    }

    @Test func deletingAStudyRemovesOnlyRecordedFilesInsideTheCheckpointRoot() throws {
        let directory = try TemporaryDirectory()
        let storage = directory.path("tuner.sqlite")
        let root = storage + ".checkpoints"
        let outside = directory.path("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/old_name", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/kept/sub", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: outside)
        let files = [
            directory.path("data.csv"),                    // beside the storage: an old study named ".." recorded these
            root + "/../data.csv",
            root + "/old_name/trial-1-epoch-1.safetensors", // inside, in a folder named the old way
            root + "/link/weights.safetensors",            // inside by spelling, outside once the link is followed
            root + "/kept",                                // a folder: never removed recursively
        ]
        for file in [directory.path("data.csv"), root + "/old_name/trial-1-epoch-1.safetensors",
                     outside + "/weights.safetensors", root + "/kept/sub/x"] {
            #expect(FileManager.default.createFile(atPath: file, contents: Data("keep".utf8)))
        }
        let store = try SQLiteStudyStorage(path: storage)
        let study = try store.createStudy(NewStudy(name: "legacy", objective: .minimize("loss"), oracleKind: "random"))
        let trial = try store.insertTrial(study: study.id)
        for (epoch, file) in files.enumerated() { try store.saveCheckpoint(trial: trial.id, epoch: epoch, path: file) }

        let removed = try StudyDeletion.delete(study: "legacy", storagePath: storage)
        #expect(removed == 1)
        #expect(!FileManager.default.fileExists(atPath: root + "/old_name"), "the emptied old folder goes too")
        #expect(FileManager.default.fileExists(atPath: directory.path("data.csv")))
        #expect(FileManager.default.fileExists(atPath: outside + "/weights.safetensors"))
        #expect(FileManager.default.fileExists(atPath: root + "/kept/sub/x"))
        #expect(FileManager.default.fileExists(atPath: storage))
        #expect(FileManager.default.fileExists(atPath: root))
    }
}
