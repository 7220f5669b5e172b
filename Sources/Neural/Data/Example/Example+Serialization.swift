extension Example {
    /// The protocol-buffer bytes of this example (`SerializeToString()`), features in key order so that
    /// equal examples give equal bytes. Empty lists are kept (a feature with no values).
    public func serialized() -> [UInt8] {
        var featuresMessage = WireWriter()
        for key in features.keys.sorted() {
            guard let feature = features[key] else { continue }
            var entry = WireWriter()
            entry.lengthDelimited(1, Array(key.utf8))
            entry.lengthDelimited(2, feature.serialized())
            featuresMessage.lengthDelimited(1, entry.bytes)
        }
        var example = WireWriter()
        example.lengthDelimited(1, featuresMessage.bytes)
        return example.bytes
    }

    /// Reads a serialized `tf.train.Example`, as TensorFlow wrote it (or ``serialized()``). Unknown
    /// fields are skipped, as protocol buffers require; a feature whose `kind` is unset is left out (TensorFlow's
    /// parsing treats it as missing); of repeated keys or `kind`s the last wins.
    /// - Throws: ``ExampleError/malformed(field:offset:reason:)`` for truncated or corrupt bytes, naming
    ///   the message field and the byte offset.
    public init(serialized bytes: [UInt8]) throws(ExampleError) {
        var features: [String: Feature] = [:]
        var example = WireReader(bytes: bytes, range: 0..<bytes.count, field: "Example")
        while !example.isAtEnd {
            let start = example.position
            let (number, wireType) = try example.tag()
            guard number == 1 else {
                try example.skip(wireType: wireType, field: number)
                continue
            }
            try example.expect(wireType, 2, field: number, start: start)
            var message = WireReader(bytes: bytes, range: try example.lengthDelimited(), field: "Example.features")
            while !message.isAtEnd {
                let entryStart = message.position
                let (entryNumber, entryWire) = try message.tag()
                guard entryNumber == 1 else {
                    try message.skip(wireType: entryWire, field: entryNumber)
                    continue
                }
                try message.expect(entryWire, 2, field: entryNumber, start: entryStart)
                let entryRange = try message.lengthDelimited()
                let (key, feature) = try Self.readEntry(bytes, entryRange)
                features[key] = feature
            }
        }
        self.init(features: features)
    }

    /// One `map<string, Feature>` entry: key = 1, value = 2.
    private static func readEntry(_ bytes: [UInt8], _ range: Range<Int>) throws(ExampleError) -> (String, Feature?) {
        var entry = WireReader(bytes: bytes, range: range, field: "Example.features.feature")
        var key = ""
        var valueRange: Range<Int>?
        while !entry.isAtEnd {
            let start = entry.position
            let (number, wireType) = try entry.tag()
            switch number {
            case 1:
                try entry.expect(wireType, 2, field: number, start: start)
                let keyRange = try entry.lengthDelimited()
                guard let text = String(validating: bytes[keyRange], as: UTF8.self) else {
                    throw entry.error("the feature name is not valid UTF-8", at: keyRange.lowerBound)
                }
                key = text
            case 2:
                try entry.expect(wireType, 2, field: number, start: start)
                valueRange = try entry.lengthDelimited()
            default:
                try entry.skip(wireType: wireType, field: number)
            }
        }
        guard let valueRange else { return (key, nil) }
        return (key, try Feature(bytes, valueRange, field: "Example.features.feature[\"\(key)\"]"))
    }
}

extension Feature {
    func serialized() -> [UInt8] {
        var list = WireWriter()
        let field: UInt64
        switch self {
        case .bytesList(let values):
            field = 1
            for value in values { list.lengthDelimited(1, value) }
        case .floatList(let values):
            field = 2
            if !values.isEmpty {
                var packed = [UInt8]()
                packed.reserveCapacity(4 * values.count)
                for value in values {
                    let bits = value.bitPattern
                    for shift in 0..<4 { packed.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt32(shift)))) }
                }
                list.lengthDelimited(1, packed)
            }
        case .int64List(let values):
            field = 3
            if !values.isEmpty {
                var packed = WireWriter()
                for value in values { packed.varint(UInt64(bitPattern: value)) }
                list.lengthDelimited(1, packed.bytes)
            }
        }
        var feature = WireWriter()
        feature.lengthDelimited(field, list.bytes)
        return feature.bytes
    }

    /// Reads a `Feature` message from `bytes[range]`; nil when its `kind` is unset.
    init?(_ bytes: [UInt8], _ range: Range<Int>, field name: String) throws(ExampleError) {
        var reader = WireReader(bytes: bytes, range: range, field: name)
        var result: Feature?
        while !reader.isAtEnd {
            let start = reader.position
            let (number, wireType) = try reader.tag()
            guard (1...3).contains(number) else {
                try reader.skip(wireType: wireType, field: number)
                continue
            }
            try reader.expect(wireType, 2, field: number, start: start)
            let listRange = try reader.lengthDelimited()
            switch number {
            case 1: result = .bytesList(try Self.readBytes(bytes, listRange, field: name + ".bytes_list"))
            case 2: result = .floatList(try Self.readFloats(bytes, listRange, field: name + ".float_list"))
            default: result = .int64List(try Self.readInt64s(bytes, listRange, field: name + ".int64_list"))
            }
        }
        guard let result else { return nil }
        self = result
    }

    private static func readBytes(_ bytes: [UInt8], _ range: Range<Int>, field: String) throws(ExampleError) -> [[UInt8]] {
        var reader = WireReader(bytes: bytes, range: range, field: field)
        var values = [[UInt8]]()
        while !reader.isAtEnd {
            let start = reader.position
            let (number, wireType) = try reader.tag()
            guard number == 1 else {
                try reader.skip(wireType: wireType, field: number)
                continue
            }
            try reader.expect(wireType, 2, field: number, start: start)
            values.append(Array(bytes[try reader.lengthDelimited()]))
        }
        return values
    }

    /// Packed (wire type 2) or one value per field (wire type 5): parsers must accept both.
    private static func readFloats(_ bytes: [UInt8], _ range: Range<Int>, field: String) throws(ExampleError) -> [Float] {
        try readNumbers(bytes, range, field: field, kind: "floats", unpackedWireType: 5, packedWidth: 4) { (reader: inout WireReader) throws(ExampleError) in
            Float(bitPattern: try reader.fixed32())
        }
    }

    /// Packed (wire type 2) or one value per field (wire type 0).
    private static func readInt64s(_ bytes: [UInt8], _ range: Range<Int>, field: String) throws(ExampleError) -> [Int64] {
        try readNumbers(bytes, range, field: field, kind: "int64s", unpackedWireType: 0, packedWidth: nil) { (reader: inout WireReader) throws(ExampleError) in
            Int64(bitPattern: try reader.varint())
        }
    }

    /// The repeated numeric field 1 of a list message, its values read by `one`: each in a field of its
    /// own (`unpackedWireType`) or packed into one length-delimited field (of `packedWidth` bytes each,
    /// when fixed); other fields are skipped. `kind` names the values in errors ("floats").
    private static func readNumbers<Value>(
        _ bytes: [UInt8], _ range: Range<Int>, field: String, kind: String, unpackedWireType: UInt64, packedWidth: Int?,
        _ one: (inout WireReader) throws(ExampleError) -> Value
    ) throws(ExampleError) -> [Value] {
        var reader = WireReader(bytes: bytes, range: range, field: field)
        var values = [Value]()
        while !reader.isAtEnd {
            let start = reader.position
            let (number, wireType) = try reader.tag()
            guard number == 1 else {
                try reader.skip(wireType: wireType, field: number)
                continue
            }
            if wireType == unpackedWireType {
                values.append(try one(&reader))
                continue
            }
            try reader.expect(wireType, 2, field: number, start: start)
            let packed = try reader.lengthDelimited()
            if let packedWidth, !packed.count.isMultiple(of: packedWidth) {
                throw reader.error("packed \(kind) of \(packed.count) bytes, not a multiple of \(packedWidth)", at: packed.lowerBound)
            }
            var inner = WireReader(bytes: bytes, range: packed, field: field)
            while !inner.isAtEnd { values.append(try one(&inner)) }
        }
        return values
    }
}
