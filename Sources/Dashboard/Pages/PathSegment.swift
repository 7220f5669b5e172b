/// A study name as one URL path segment, and back: injective, so every name has its own address and an
/// address names at most one study.
///
/// Encoding keeps ASCII letters, digits, `-`, `_` and `.` and writes every other UTF-8 byte as `%XX`
/// (so `/`, `?`, `#`, `%`, spaces and non-ASCII never reach the path as themselves). The names `.` and
/// `..` would be dot segments, which browsers remove from a path however they are encoded (`%2E%2E`
/// included), so those two are written `~.` and `~..`; `~` itself is always encoded elsewhere, so a raw
/// leading `~` marks exactly that case.
///
/// Decoding undoes it; it also accepts any other valid percent-encoding (a browser may encode differently
/// what a user typed), and refuses a malformed `%`, or bytes that are not UTF-8, with nil.
enum PathSegment {
    /// The path segment of `name`.
    static func encode(_ name: String) -> String {
        if name == "." || name == ".." { return "~" + name }
        var segment = ""
        segment.reserveCapacity(name.utf8.count)
        for byte in name.utf8 {
            if isKept(byte) {
                segment.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                segment += "%" + String(hexDigits[Int(byte >> 4)]) + String(hexDigits[Int(byte & 0xF)])
            }
        }
        return segment
    }

    /// The name a raw (still percent-encoded) path segment stands for, or nil when it is malformed.
    static func decode(_ segment: Substring) -> String? {
        if segment == "~." || segment == "~.." { return String(segment.dropFirst()) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(segment.utf8.count)
        var iterator = segment.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF")

    private static func isKept(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// The dashboard's addresses, built from names through `PathSegment` (so they need no further escaping
/// in a URL; in HTML they are escaped like any text).
enum DashboardPaths {
    /// The list of studies.
    static let studies = "/"
    /// The live script.
    static let liveScript = "/assets/live.js"

    /// A study's page.
    static func study(_ name: String) -> String { "/studies/" + PathSegment.encode(name) }

    /// A trial's page.
    static func trial(_ name: String, number: Int) -> String { study(name) + "/trials/\(number)" }

    /// Where a study page's note form posts.
    static func note(_ name: String) -> String { study(name) + "/note" }

    /// Where a study page's form asking for a trial posts.
    static func requestTrial(_ name: String) -> String { study(name) + "/trials" }

    /// Where a trial page's stop button posts.
    static func stopTrial(_ name: String, number: Int) -> String { trial(name, number: number) + "/stop" }

    /// A study's live stream, starting after `cursor`.
    static func events(_ name: String, since cursor: String) -> String { study(name) + "/events?since=" + cursor }
}
