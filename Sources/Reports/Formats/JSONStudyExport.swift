import Foundation
import JSONValues

/// The whole study as JSON — configuration, every trial with its times and error, per-step metrics and
/// the oracle's state — in the documented, stable `tuner-study` format (docs/reports.md) that
/// `StudyImporter` (`tuner import`) reads back into a store.
///
/// The output is deterministic: sorted keys, trials by number, so exporting an imported study gives the
/// same bytes.
public struct JSONStudyExport: Sendable {
    /// The study exported.
    public let report: StudyReport

    /// An exporter for `report`.
    public init(_ report: StudyReport) {
        self.report = report
    }

    /// The JSON document as UTF-8 bytes, ending in a newline.
    ///
    /// - Throws: `ReportError.invalidDocument` if a value cannot be encoded (not expected: non-finite
    ///   numbers are written as strings).
    public func data() throws(ReportError) -> Data {
        do {
            var data = try JSONCoding.compactEncoder.encode(StudyDocument(report: report))
            data.append(0x0A)
            return data
        } catch {
            throw .invalidDocument(detail: "could not encode study \"\(report.name)\": \(error)")
        }
    }
}
