import Foundation
import Neural
import TensorBoard
import Testing
import TestSupport

/// The protocol-buffer encoder and the messages, byte for byte against Python's protobuf with
/// TensorBoard's copy of TensorFlow's .proto files (Scripts/tensorboard_reference.py →
/// Fixtures/protobuf-reference.json), and the TFRecord framing of an event against TensorBoard's own
/// RecordWriter.
@Suite("TensorBoard encoding")
struct EncodingTests {
    /// The fixture: case name → hex bytes (and the masked CRCs as numbers).
    static func reference() throws -> [String: Any] {
        let data = try Data(contentsOf: PackagePaths.fixture("protobuf-reference.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func referenceBytes(_ name: String) throws -> [UInt8] {
        let text = try #require(try reference()[name] as? String, "no case \(name) in the fixture")
        return try #require(bytes(hex: text), "case \(name) is not hex")
    }

    @Test func varintsUseSevenBitsAByteLeastSignificantFirst() {
        #expect(ProtobufEncoder.varint(0) == [0x00])
        #expect(ProtobufEncoder.varint(1) == [0x01])
        #expect(ProtobufEncoder.varint(127) == [0x7F])
        #expect(ProtobufEncoder.varint(128) == [0x80, 0x01])
        #expect(ProtobufEncoder.varint(300) == [0xAC, 0x02])
        #expect(ProtobufEncoder.varint(16_384) == [0x80, 0x80, 0x01])
        #expect(ProtobufEncoder.varint(UInt64(UInt32.max)) == [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(ProtobufEncoder.varint(.max) == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    }

    @Test func fieldsHaveTheirKeysAndLayouts() {
        var encoder = ProtobufEncoder()
        encoder.int64(2, -1)  // negative int64: ten bytes, two's complement
        #expect(encoder.bytes == [0x10] + [UInt8](repeating: 0xFF, count: 9) + [0x01])

        encoder = ProtobufEncoder()
        encoder.double(1, 1.0)
        #expect(encoder.bytes == [0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])

        encoder = ProtobufEncoder()
        encoder.float(2, 0.5)
        #expect(encoder.bytes == [0x15, 0, 0, 0, 0x3F])

        encoder = ProtobufEncoder()
        encoder.string(1, "ab")
        #expect(encoder.bytes == [0x0A, 0x02, 0x61, 0x62])

        encoder = ProtobufEncoder()
        encoder.packedDoubles(6, [1, 2])
        #expect(encoder.bytes == [0x32, 16, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0x40])

        // proto3 defaults are left out by the `IfNotDefault` forms, and so is an empty packed list.
        encoder = ProtobufEncoder()
        encoder.int64IfNotDefault(1, 0)
        encoder.doubleIfNotDefault(2, 0)
        encoder.stringIfNotDefault(3, "")
        encoder.byteStringIfNotDefault(4, [])
        encoder.packedDoubles(5, [])
        #expect(encoder.bytes.isEmpty)
        encoder.doubleIfNotDefault(2, -0.0)  // -0 has a set sign bit: written, as protobuf does
        #expect(encoder.bytes == [0x11, 0, 0, 0, 0, 0, 0, 0, 0x80])
    }

    @Test func eventsMatchPythonProtobufByteForByte() throws {
        func summary(_ value: Summary.Value) -> Event.What { .summary(Summary(values: [value])) }
        let cases: [(String, Event)] = [
            ("file_version", Event(wallTime: 1_700_000_000.5, what: .fileVersion("brain.Event:2"))),
            ("scalar", Event(wallTime: 1_700_000_000.25, step: 3, what: summary(.init(tag: "loss", kind: .simpleValue(0.5))))),
            ("scalar_zero", Event(wallTime: 1_700_000_001, step: 0,
                                  what: summary(.init(tag: "train/accuracy", kind: .simpleValue(0))))),
            ("scalar_nan", Event(wallTime: 1_700_000_002, step: 300, what: summary(.init(tag: "nan", kind: .simpleValue(.nan))))),
            ("scalar_negative_infinity_negative_step",
             Event(wallTime: 1_700_000_003, step: -1, what: summary(.init(tag: "inf", kind: .simpleValue(-.infinity))))),
            ("histogram", Event(wallTime: 1_700_000_004, step: 7, what: summary(.init(tag: "weights", kind: .histogram(
                HistogramProto(min: -1.5, max: 2, num: 4, sum: 1, sumSquares: 7.5,
                               bucketLimit: [0.25, .greatestFiniteMagnitude], bucket: [2, 2])))))),
            ("image", Event(wallTime: 1_700_000_005, step: 2, what: summary(.init(tag: "sample", kind: .image(
                Summary.Image(height: 2, width: 3, colorspace: 3, encodedImage: Array(0x89..<(0x89 + 20)))))))),
            ("text", Event(wallTime: 1_700_000_006, step: 1, what: summary(.init(
                tag: "note", metadata: .text, kind: .tensor(.scalar(string: "héllo **world**")))))),
        ]
        for (name, event) in cases {
            let expected = try Self.referenceBytes(name)
            let ours = event.serializedBytes()
            #expect(ours == expected, "\(name): ours \(hex(ours)), Python's \(hex(expected))")
        }
    }

    @Test func maskedCRCsMatchTensorBoards() throws {
        let crcs = try #require(try Self.reference()["masked_crc32c"] as? [String: Any])
        for (text, value) in crcs {
            let expected = try #require((value as? NSNumber)?.uint32Value)
            #expect(CRC32C.masked(Array(text.utf8)) == expected, "masked CRC-32C of \"\(text)\"")
        }
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func aFramedEventIsTensorBoardsRecordByteForByte() throws {
        let directory = try TemporaryDirectory("tensorboard-record")
        let path = directory.file("events")
        let writer = try RecordWriter(path: path)
        let event = Event(wallTime: 1_700_000_000.25, step: 3,
                          what: .summary(Summary(values: [.init(tag: "loss", kind: .simpleValue(0.5))])))
        try writer.write(event.serializedBytes())
        try writer.close()
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let expected = try Self.referenceBytes("scalar_record")
        #expect(written == expected, "ours \(hex(written)), TensorBoard's \(hex(expected))")
        // Length (8 bytes, little-endian) + its masked CRC + data + the data's masked CRC.
        #expect(written.count == 8 + 4 + event.serializedBytes().count + 4)
    }
}
