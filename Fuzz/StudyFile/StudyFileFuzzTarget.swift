import Foundation
import StudyFiles
import Tuning

/// libFuzzer target `study-file`: one input is the text of a study file. It goes through what
/// `tuner search FILE` and `tuner create --space FILE` do before anything runs: YAML parsing, the
/// alias and nesting limits, validation of every section, and declaring the validated search space.
/// Any throw is a refusal (fine); a trap, a crash or a hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func studyFileFuzzTarget(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    if let study = try? StudyFile.parse(yaml: text, fileName: "fuzz.yaml", directory: FuzzStudyFolder.path) {
        _ = study.searchSpace()
        // A trial's define-by-run pass over the validated hyperparameters (defaults only).
        try? study.defineHyperParameters(in: HyperParameters())
    }
    _ = try? StudyFile.parseSearchSpace(yaml: text, fileName: "fuzz.yaml")
    return 0
}

/// The folder relative paths in fuzzed files resolve against: Studies/ of this checkout when the
/// target runs from the repository root (so the seed studies' `data/` and `scripts/` paths exist),
/// else the current folder. Validation only checks that files exist; it never runs a command.
enum FuzzStudyFolder {
    static let path: String = {
        let studies = FileManager.default.currentDirectoryPath + "/Studies"
        return FileManager.default.fileExists(atPath: studies) ? studies : FileManager.default.currentDirectoryPath
    }()
}
