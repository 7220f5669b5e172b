import Hummingbird
import Reports
import StudyStore

/// Why a request gets an error page instead of the page it asked for: the HTTP status, a title, and a
/// sentence saying what happened and what to do. Every failure of a handler becomes one
/// (`init(_:location:)`), so a request never crashes the server and never shows a stack trace.
struct DashboardProblem: Error, Sendable, CustomStringConvertible {
    /// The response's status.
    let status: HTTPResponse.Status
    /// A short title for the page.
    let title: String
    /// What happened and what to do (plain text; escaped when shown).
    let detail: String

    var description: String { "\(status.code) \(title): \(detail)" }

    /// No SQLite file at `path` (the dashboard never creates one).
    static func storageMissing(_ path: String) -> Self {
        .init(status: .serviceUnavailable, title: "No study storage",
              detail: "There is no study database at \(path). Start the dashboard with --storage PATH naming an existing "
                + "study database, or run a search that creates it first.")
    }

    /// A folder where the study database should be.
    static func storageIsAFolder(_ path: String) -> Self {
        .init(status: .serviceUnavailable, title: "No study storage",
              detail: "\(path) is a folder, not a study database. Start the dashboard with --storage PATH naming the database file.")
    }

    /// A request the dashboard cannot read (a malformed address or query).
    static func badRequest(_ detail: String) -> Self {
        .init(status: .badRequest, title: "Bad request", detail: detail)
    }

    /// No study of this name.
    static func studyNotFound(_ name: String, location: String) -> Self {
        .init(status: .notFound, title: "Study not found",
              detail: "There is no study named “\(name)” in \(location). The list of studies has the ones there are.")
    }

    /// No trial of this number in the study.
    static func trialNotFound(_ number: Int, study: String) -> Self {
        .init(status: .notFound, title: "Trial not found", detail: "Study “\(study)” has no trial number \(number).")
    }

    /// An address that names no page.
    static let pageNotFound = DashboardProblem(
        status: .notFound, title: "Page not found",
        detail: "No page has this address. The list of studies is at /.")

}

extension DashboardProblem {
    /// The problem for an error thrown while answering a request on the storage shown as `location`.
    init(_ error: any Error, location: String) {
        switch error {
        case let problem as DashboardProblem:
            self = problem
        case StoreError.studyNotFound(let name):
            self = .studyNotFound(name, location: location)
        case let error as StudyNameError:
            self = .studyNotFound(error.displayedName, location: location)
        case ReportError.studyNotFound(let name, _):
            self = .studyNotFound(name, location: location)
        case let error as ReportError:
            if case .damagedData = error {
                self = DashboardProblem(status: .internalServerError, title: "Damaged study data", detail: error.description)
            } else {
                self = DashboardProblem(status: .serviceUnavailable, title: "The study storage cannot be read", detail: error.description)
            }
        case let error as StoreError:
            switch error {
            case .damagedData:
                self = DashboardProblem(status: .internalServerError, title: "Damaged study data", detail: error.description)
            case .trialNotFound, .invalidArgument:
                self = DashboardProblem(status: .notFound, title: "Not found", detail: error.description)
            default:
                self = DashboardProblem(status: .serviceUnavailable, title: "The study storage cannot be read",
                          detail: error.description + " The dashboard tries again on the next request.")
            }
        case let error as HTTPError:
            self = DashboardProblem(status: error.status, title: error.status.reasonPhrase,
                      detail: error.body ?? "The request could not be answered (\(error.status.code)).")
        default:
            self = DashboardProblem(status: .internalServerError, title: "Internal error",
                      detail: "The page could not be made: \(error). Please report this.")
        }
    }
}
