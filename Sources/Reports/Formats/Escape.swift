/// Escaping of user strings (study, parameter and metric names, error texts) for each output format.
public enum Escape {
    /// HTML/XML text and attribute values: `& < > " '` as entities, control characters other than tab and
    /// line breaks as U+FFFD (XML allows none of them). Safe inside element text and quoted attribute values.
    public static func html(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default:
                // Control characters other than tab and newlines are not allowed in XML.
                if character.value < 0x20, character != "\t", character != "\n", character != "\r" {
                    result += "\u{FFFD}"
                } else {
                    result.unicodeScalars.append(character)
                }
            }
        }
        return result
    }

    /// One CSV field per RFC 4180: quoted (with doubled quotes) when it holds a comma, a quote, a line
    /// break or leading/trailing spaces.
    static func csv(_ text: String) -> String {
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || text.hasPrefix(" ") || text.hasSuffix(" ")
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Text inside a Markdown table cell or paragraph: Markdown punctuation backslash-escaped, `<` `>` `&`
    /// as entities (Markdown passes raw HTML through), line breaks as spaces.
    static func markdown(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "|", "#", "~", "!": result += "\\" + String(character)
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\n", "\r", "\r\n": result += " "
            default: result.append(character)
            }
        }
        return result
    }
}
