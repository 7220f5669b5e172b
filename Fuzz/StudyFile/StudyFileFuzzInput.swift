import Foundation
import StudyFiles
import Tuning

/// What the `study-file` fuzz target does with one input, the text of a study file: what `tuner search
/// FILE` and `tuner create --space FILE` do before anything runs (YAML parsing, the alias and nesting
/// limits, validation of every section, declaring the validated search space). Any throw is a refusal
/// (fine); a trap, a crash or a hang is a bug. `make test` replays the committed seeds through this same
/// function (`FuzzReplayTests`), `make fuzz` through libFuzzer.
enum StudyFileFuzzInput {
    static func run(_ text: String) {
        if let study = try? StudyFile.parse(yaml: text, fileName: "fuzz.yaml", directory: FuzzStudyFolder.path) {
            _ = study.searchSpace()
            // A trial's define-by-run pass over the validated hyperparameters (defaults only).
            try? study.defineHyperParameters(in: HyperParameters())
        }
        _ = try? StudyFile.parseSearchSpace(yaml: text, fileName: "fuzz.yaml")
    }
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
