import Foundation
import StudyStore

/// A study with the usual fields, for tests that do not care about them.
func sampleStudy(_ name: String = "mnist") -> NewStudy {
    NewStudy(name: name, objectiveName: "val_accuracy", direction: .max, oracleKind: "random",
             oracleConfig: #"{"max_trials":10,"seed":42}"#, searchSpace: #"{"n_hidden":{"min":0,"max":8}}"#)
}
