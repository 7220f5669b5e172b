import HTTPTypes
import Hummingbird

/// The fields of a form a browser posts (`application/x-www-form-urlencoded`, the only kind the
/// dashboard's forms send), read from a request's body of at most `maximumBytes`.
struct FormFields: Sendable {
    /// The largest body read: a note of 10,000 characters, each up to 4 UTF-8 bytes and percent-encoded
    /// three characters a byte, fits with room to spare.
    static let maximumBytes = 160 * 1024

    private let fields: QueryString

    /// The fields of `text` (`name=value&...`, `+` for spaces, percent-encoded).
    init(text: String) { fields = QueryString(text) }

    /// The fields of a request's body.
    ///
    /// - Throws: a 415 `DashboardProblem` for another content type, 413 for a body over `maximumBytes`,
    ///   400 for one that is not UTF-8 text.
    static func read(_ request: Request) async throws -> FormFields {
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "application/x-www-form-urlencoded" else {
            throw DashboardProblem(status: .unsupportedMediaType, title: "Not a form",
                                   detail: "The dashboard takes changes as forms (application/x-www-form-urlencoded), as its pages send them.")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maximumBytes)
        } catch {
            throw DashboardProblem(status: .contentTooLarge, title: "Form too large",
                                   detail: "A form sent to the dashboard has at most \(maximumBytes / 1024) KB.")
        }
        guard let text = body.getString(at: body.readerIndex, length: body.readableBytes),
              text.utf8.elementsEqual(body.readableBytesView)
        else {
            throw DashboardProblem.badRequest("The form is not UTF-8 text.")
        }
        return FormFields(text: text)
    }

    /// The decoded value of field `name` (its first), or nil when the form has none.
    ///
    /// - Throws: a 400 `DashboardProblem` when it is not valid percent-encoded UTF-8.
    func value(_ name: String) throws(DashboardProblem) -> String? {
        do {
            return try fields.value(name)
        } catch {
            throw .badRequest("The form's field “\(name)” is not valid percent-encoded UTF-8 text.")
        }
    }
}
