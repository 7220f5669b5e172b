import Foundation
import Hummingbird

/// One Server-Sent Event of a study's live stream, and its bytes on the wire (`event:`, `id:`, `data:`
/// lines; the data is one line of JSON, which escapes every line break, so an event can never be split or
/// forged by text from the store).
///
/// The events: `trial` (a trial inserted or changed: its row, state, score, epochs), `metrics` (values of a
/// trial's epochs recorded), `summary` (the study's status line and its trials counted by state), `note`
/// (the study's note, as plain text the page sets as text, never as markup), `cursor` (the end of a batch; its `id:`
/// is where a reconnecting browser resumes, sent back as `Last-Event-ID`), `problem` (the storage could not
/// be read this time; the stream tries again) and `reload` (the stream cannot go on: the study was deleted
/// or replaced, or the cursor is not this storage's).
enum LiveEvent: Sendable {
    case trial(TrialChange)
    case metrics(MetricsChange)
    case summary(html: String, counts: [String: Int])
    case note(String)
    case cursor(String)
    case problem(String)
    case reload(String)

    /// A trial as it is now.
    struct TrialChange: Encodable, Sendable {
        let number: Int
        let state: String
        /// The score as shown, "" without one.
        let score: String
        let epochs: Int
        /// The objective's last value as shown, "" without one.
        let latest: String
        /// The table row (already escaped HTML), when the page has a trials table.
        let row: String?
    }

    /// New values of one trial's metrics.
    struct MetricsChange: Encodable, Sendable {
        let number: Int
        let epochs: Int
        let latest: String
        let points: [Point]

        /// One value: the metric, the 0-based step, the value as shown.
        struct Point: Encodable, Sendable {
            let name: String
            let step: Int
            let value: String
        }
    }

    private struct Message: Encodable {
        let message: String
    }

    private struct Note: Encodable {
        let text: String
    }

    private struct Summary: Encodable {
        let html: String
        /// Trials by state name, and `all`.
        let counts: [String: Int]
    }

    /// The event's text on the wire, ending with the blank line that dispatches it.
    func text() -> String {
        switch self {
        case .trial(let change): return Self.frame("trial", Self.json(change))
        case .metrics(let change): return Self.frame("metrics", Self.json(change))
        case .summary(let html, let counts): return Self.frame("summary", Self.json(Summary(html: html, counts: counts)))
        case .note(let text): return Self.frame("note", Self.json(Note(text: text)))
        case .cursor(let token): return "id: \(token)\n" + Self.frame("cursor", "{}")
        case .problem(let message): return Self.frame("problem", Self.json(Message(message: message)))
        case .reload(let message): return Self.frame("reload", Self.json(Message(message: message)))
        }
    }

    /// The bytes of several events.
    static func buffer(_ events: [LiveEvent]) -> ByteBuffer {
        ByteBuffer(string: events.map { $0.text() }.joined())
    }

    private static func frame(_ name: String, _ data: String) -> String {
        "event: \(name)\ndata: \(data)\n\n"
    }

    private static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding these plain structs cannot fail; an empty object keeps the stream well-formed regardless.
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
