import Foundation
import StudyStore

/// What can go wrong while loading, rendering, exporting or importing a study report. Every message
/// names the study, the trial, the field or the file involved so the user can act on it.
public enum ReportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No study with this name in the store at `path`.
    case studyNotFound(name: String, path: String)
    /// A stored field of the study (or of one of its trials) is not what the tuner wrote there; `message`
    /// is the storage's (`StoreError.damagedData`), naming the storage, study, trial and field.
    case damagedData(study: String, trial: Int?, field: String, message: String)
    /// The storage failed underneath (the message is `StoreError`'s).
    case store(String)
    /// An export document could not be read: not JSON, a wrong type, a missing key.
    case invalidDocument(detail: String)
    /// An export document was written by a newer format this version cannot read.
    case unsupportedFormatVersion(found: Int, supported: Int)
    /// Importing would overwrite the study `name`; pass `replacing: true` to replace it.
    case studyExists(name: String, path: String)
    /// A trial in an export document is inconsistent (e.g. a duplicate number or an unknown state).
    case invalidTrial(number: Int, detail: String)
    /// Writing a report file failed.
    case writeFailed(path: String, detail: String)

    /// A sentence saying what is wrong and where.
    public var description: String {
        switch self {
        case .studyNotFound(let name, let path):
            return "No study named \"\(name)\" in the store \(path); `tuner studies` lists the names."
        case .damagedData(_, _, _, let message):
            return message
        case .store(let message):
            return message
        case .invalidDocument(let detail):
            return "The study export is not valid: \(detail)"
        case .unsupportedFormatVersion(let found, let supported):
            return "The study export has format_version \(found); this tuner reads versions up to \(supported). Upgrade tuner to import it."
        case .studyExists(let name, let path):
            return "A study named \"\(name)\" already exists in \(path); pass replacing: true (`--replace`) to overwrite it."
        case .invalidTrial(let number, let detail):
            return "Trial \(number) of the study export is not valid: \(detail)"
        case .writeFailed(let path, let detail):
            return "Could not write \(path): \(detail)"
        }
    }
}

extension ReportError: LocalizedError {
    /// The same text as `description`, so `localizedDescription` is useful.
    public var errorDescription: String? { description }
}

extension ReportError {
    /// The report error for a failure of the storage at `location`: a missing study, damaged stored
    /// data, or the storage's own message.
    init(_ error: any Error, location: String) {
        switch error {
        case let error as ReportError:
            self = error
        case StoreError.studyNotFound(let name):
            self = .studyNotFound(name: name, path: location)
        case let error as StudyNameError:
            // Only thrown when no study has the name (a stored name breaking the rule is still found).
            self = .studyNotFound(name: error.name, path: location)
        case let error as StoreError:
            if case .damagedData(_, let study, let trial, let field, _) = error {
                self = .damagedData(study: study, trial: trial, field: field, message: error.description)
            } else {
                self = .store(error.description)
            }
        default:
            self = .store("\(error)")
        }
    }
}
