import Foundation

/// The JSON encoders and decoders every module shares: sorted keys, non-finite numbers as strings.
public enum JSONCoding {
    /// How non-finite numbers are spelled in JSON text.
    public static let nonFinite = (positive: "Infinity", negative: "-Infinity", nan: "NaN")

    /// A decoder reading non-finite numbers from their strings.
    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: nonFinite.positive, negativeInfinity: nonFinite.negative, nan: nonFinite.nan)
        return decoder
    }

    /// A compact encoder: sorted keys, unescaped slashes, non-finite numbers as strings.
    public static var compactEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: nonFinite.positive, negativeInfinity: nonFinite.negative, nan: nonFinite.nan)
        return encoder
    }

    /// `compactEncoder`, indented.
    public static var prettyEncoder: JSONEncoder {
        let encoder = compactEncoder
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return encoder
    }

    /// A one-line description of a decoding error with its coding path.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "" : " at \(keys)"
        }
        switch error {
        case .dataCorrupted(let context): return context.debugDescription + path(context)
        case .keyNotFound(let key, let context): return "missing key \"\(key.stringValue)\"" + path(context)
        case .typeMismatch(let type, let context): return "expected \(type)" + path(context) + " (\(context.debugDescription))"
        case .valueNotFound(let type, let context): return "missing \(type) value" + path(context)
        @unknown default: return "\(error)"
        }
    }
}
