import Foundation
import Tuning

/// How numbers and durations are written in reports (C locale, so `.` is always the decimal point).
public enum NumberFormat {
    /// Full precision, shortest form: integers plainly, other values as Swift's shortest round-trip text.
    public static func plain(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A short form for tables and tick labels: 4 significant digits.
    public static func short(_ value: Double, digits: Int = 4) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "∞" : "-∞" }
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) < 1e6 { return String(format: "%.0f", value) }
        return trimmed(String(format: "%.\(digits)g", value))
    }

    /// Removes trailing zeros of a fraction, keeping any exponent (`1.500e-05` → `1.5e-05`).
    private static func trimmed(_ text: String) -> String {
        var mantissa = text
        var exponent = ""
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(text[..<e])
            exponent = String(text[e...])
        }
        if mantissa.contains(".") {
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        return mantissa + exponent
    }

    /// A duration such as `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 03 min`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "–" }
        if seconds < 1 { return String(format: "%.0f ms", seconds * 1000) }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        // Past a century minutes say nothing, and an imported study may hold any time (Int(_:) traps
        // past Int.max).
        guard seconds < 3.2e9 else { return String(format: "%.3g h", seconds / 3600) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d min", whole / 3600, (whole % 3600) / 60)
    }

    /// A Unix time as `2026-11-24 15:30:20 UTC`.
    public static func date(_ seconds: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}

extension NumberFormat {
    /// A hyperparameter value for reading: floats with 6 significant digits, everything else as is.
    /// (CSV and JSON keep full precision.)
    public static func value(_ value: HyperParameterValue) -> String {
        if case .float(let number) = value { return short(number, digits: 6) }
        return value.description
    }
}
