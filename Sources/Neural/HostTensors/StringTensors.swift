/// tf.strings: a string tensor is a ``TypedTensor`` of byte strings (`TypedTensor<[UInt8]>`); Unicode
/// text as code points is a tensor of `Int32`.
extension TypedTensor where Scalar == [UInt8] {
    /// Each string's Unicode code points, decoding UTF-8 (tf.strings.unicode_decode(t, "UTF8")):
    /// `"café"` gives `[99, 97, 102, 233]`. Invalid bytes decode as U+FFFD (65533), TensorFlow's
    /// default `errors="replace"`.
    public func unicodeDecoded() -> RaggedTensor<Int32> {
        RaggedTensor(scalars.map { String(decoding: $0, as: UTF8.self).unicodeScalars.map { Int32($0.value) } })
    }

    /// Each string's length in bytes (tf.strings.length) or, with `unit: .utf8Character`, in code points.
    public func lengths(unit: StringLengthUnit = .byte) -> TypedTensor<Int32> {
        let counts = scalars.map { bytes in
            Int32(unit == .byte ? bytes.count : String(decoding: bytes, as: UTF8.self).unicodeScalars.count)
        }
        return TypedTensor<Int32>(uncheckedShape: shape, scalars: counts)
    }
}

/// What ``TypedTensor/lengths(unit:)`` counts (tf.strings.length's `unit`).
public enum StringLengthUnit: Sendable, Equatable {
    /// Bytes (`"BYTE"`).
    case byte
    /// Unicode code points of UTF-8 text (`"UTF8_CHAR"`).
    case utf8Character
}

extension RaggedTensor where Scalar == Int32 {
    /// Each row of code points encoded as a UTF-8 string (tf.strings.unicode_encode(r, "UTF-8")); code
    /// points that are not Unicode scalars (negative, surrogates, beyond U+10FFFF) become U+FFFD.
    public func unicodeEncoded() -> TypedTensor<[UInt8]> {
        TypedTensor(rows.map { row in
            var text = String.UnicodeScalarView()
            for point in row { text.append(UInt32(exactly: point).flatMap(Unicode.Scalar.init) ?? "\u{FFFD}") }
            return Array(String(text).utf8)
        })
    }
}
