import Foundation

/// A study's note: free text a user keeps with the study (what was tried, why it was stopped), written
/// from the dashboard and shown with the study. At most `maximumLength` characters; no control characters
/// but line breaks and tabs (a NUL would cut the text short in SQLite and is refused by PostgreSQL).
public struct StudyNote: Sendable, Hashable, CustomStringConvertible {
    /// The longest note, in characters.
    public static let maximumLength = 10_000

    /// The note's text; empty when the study has none.
    public let text: String

    /// The empty note (a study without one).
    public init() { text = "" }

    /// A note with `text`, line endings normalized to `\n`.
    ///
    /// - Throws: `StudyNoteError` when the text is longer than `maximumLength` characters or holds a
    ///   control character other than a line break or a tab.
    public init(_ text: String) throws(StudyNoteError) {
        // A browser's text area sends CRLF; stored as LF so the length is the one the user sees.
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let length = normalized.count
        guard length <= Self.maximumLength else { throw .tooLong(length: length) }
        if let scalar = normalized.unicodeScalars.first(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) {
            throw .controlCharacter(scalar.value)
        }
        self.text = normalized
    }

    /// Whether the study has no note.
    public var isEmpty: Bool { text.isEmpty }

    /// The text.
    public var description: String { text }
}

/// Why a text cannot be a `StudyNote`.
public enum StudyNoteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text has `length` characters, more than `StudyNote.maximumLength`.
    case tooLong(length: Int)
    /// The text holds the control character with this code point.
    case controlCharacter(UInt32)

    /// What is wrong, as a sentence.
    public var description: String {
        switch self {
        case .tooLong(let length):
            return "The note has \(length) characters; a note has at most \(StudyNote.maximumLength)."
        case .controlCharacter(let code):
            return "The note holds a control character (U+\(String(code, radix: 16, uppercase: true))); only line breaks and tabs are allowed."
        }
    }
}
