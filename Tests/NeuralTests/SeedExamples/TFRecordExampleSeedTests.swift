import Foundation
import Neural
import Testing
import TestSupport

/// Swift twins of seed 004's (the course slides') "Tensorflow Protobufs" and "Ejemplo - Escritura /
/// Lectura de TF Record": a `tf.train.Example` written to a TFRecord file, read back and parsed with a
/// feature description. TensorBoardTests/ExampleInteropTests exchanges the same files with Python's protobuf.
@Suite struct TFRecordExampleSeedTests {
    let personExample = Example(features: [
        "name": .bytes(["Alice"]),
        "id": .int64List([123]),
        "emails": .bytes(["a@b.com", "c@d.com"]),
    ])

    let featureDescription: [String: FeatureSpec] = [
        "name": .fixedLen(shape: [], dtype: .string, defaultValue: .bytes([""])),
        "id": .fixedLen(shape: [], dtype: .int64, defaultValue: .int64List([0])),
        "emails": .varLen(.string),
    ]

    /// The slides' whole example: write, read with the records dataset, parse, `tf.sparse.to_dense`, `.values`.
    @Test func writeReadAndParseContact() throws {
        let directory = try TemporaryDirectory("seed-004-example")
        let path = directory.file("my_contacts.tfrecord")
        let f = try RecordWriter(path: path)
        try f.write(personExample.serialized())
        try f.close()

        var parsedExamples = [ParsedExample]()
        try Dataset<[UInt8]>.records(paths: [path]).forEach { serializedExample in
            parsedExamples.append(try parseSingleExample(serializedExample, features: featureDescription))
        }
        #expect(parsedExamples.count == 1)
        let parsedExample = try #require(parsedExamples.first)
        let emails = try parsedExample.sparse("emails", as: [UInt8].self)
        #expect(emails.toDense(defaultValue: Array("".utf8)) == TypedTensor(strings: ["a@b.com", "c@d.com"]))
        #expect(emails.values == [Array("a@b.com".utf8), Array("c@d.com".utf8)])
        #expect(emails.denseShape == [2])
        #expect(try parsedExample.dense("name", as: [UInt8].self) == TypedTensor(Array("Alice".utf8)))
        #expect(try parsedExample.dense("id", as: Int64.self) == TypedTensor(123))
    }

    /// The bytes are protobuf's: these are what Python's protobuf gives for the same messages.
    @Test func serializedBytesMatchProtobuf() throws {
        let id = Example(features: ["id": .int64List([123])])
        #expect(id.serialized() == [0x0A, 0x0D, 0x0A, 0x0B, 0x0A, 0x02, 0x69, 0x64, 0x12, 0x05, 0x1A, 0x03, 0x0A, 0x01, 0x7B])
        let floats = Example(features: ["x": .floatList([1.5, -2])])
        #expect(floats.serialized() == [0x0A, 0x13, 0x0A, 0x11, 0x0A, 0x01, 0x78, 0x12, 0x0C, 0x12, 0x0A, 0x0A, 0x08,
                                        0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x00, 0xC0])
        #expect(try Example(serialized: personExample.serialized()) == personExample)
        let edge = Example(features: ["big": .int64List([Int64.min, -1, Int64.max]), "empty": .floatList([]), "none": .bytesList([])])
        #expect(try Example(serialized: edge.serialized()) == edge)
    }

    /// Defaults fill missing fixed-length features; a required one missing, a wrong type or count throw.
    @Test func fixedLenDefaultsAndErrors() throws {
        let anonymous = Example(features: ["emails": .bytes(["x@y.org"])])
        let parsed = try parseSingleExample(anonymous.serialized(), features: featureDescription)
        #expect(try parsed.dense("name", as: [UInt8].self).scalars == [[]])
        #expect(try parsed.dense("id", as: Int64.self).scalars == [0])
        #expect(throws: ExampleError.missingFeature(key: "id")) {
            try parseSingleExample(anonymous, features: ["id": .fixedLen(shape: [], dtype: .int64)])
        }
        #expect(throws: ExampleError.wrongType(key: "id", expected: .float32, found: .int64)) {
            try parseSingleExample(personExample, features: ["id": .fixedLen(shape: [], dtype: .float32)])
        }
        #expect(throws: ExampleError.wrongCount(key: "emails", shape: [3], expected: 3, found: 2)) {
            try parseSingleExample(personExample, features: ["emails": .fixedLen(shape: [3], dtype: .string)])
        }
        #expect(throws: ExampleError.self) {
            try parseSingleExample(personExample, features: ["id": .fixedLen(shape: [], dtype: .int32)])
        }
        #expect(throws: ExampleError.notParsed(key: "emails", reason: "is variable-length: read it with sparse(_:as:)")) {
            try parsed.dense("emails", as: [UInt8].self)
        }
        #expect(throws: ExampleError.self) { try parsed.dense("id", as: Float.self) }
    }

    /// Batched parsing (tf.io.parse_example after `batch`): dense [batch] + shape, var-len padded to dense.
    @Test func batchedParsing() throws {
        let second = Example(features: ["name": .bytes(["Bob"]), "id": .int64List([7]), "scores": .floatList([1, 2])])
        let third = Example(features: ["emails": .bytes(["e@f.com", "g@h.com", "i@j.com"]), "scores": .floatList([3, 4])])
        let batch = try parseExamples([personExample, second, third].map { $0.serialized() }, features: featureDescription.merging(
            ["scores": .fixedLen(shape: [2], dtype: .float32, defaultValue: .floatList([0]))]) { $1 })
        #expect(try batch.dense("name", as: [UInt8].self).strings == ["Alice", "Bob", ""])
        #expect(try batch.dense("id", as: Int64.self) == TypedTensor([123, 7, 0]))
        #expect(try batch.dense("scores", as: Float.self).rows == [[0, 0], [1, 2], [3, 4]])
        let emails = try batch.sparse("emails", as: [UInt8].self)
        #expect(emails.denseShape == [3, 3])
        #expect(emails.indices == [[0, 0], [0, 1], [2, 0], [2, 1], [2, 2]])
        #expect(emails.toDense(defaultValue: []).rows?.map { $0.map { String(decoding: $0, as: UTF8.self) } }
            == [["a@b.com", "c@d.com", ""], ["", "", ""], ["e@f.com", "g@h.com", "i@j.com"]])
        let error = #expect(throws: ExampleError.self) {
            try parseExamples([personExample.serialized(), [0x0A, 0x05]], features: featureDescription)
        }
        #expect(error?.description.hasPrefix("example 1 of the batch: malformed tf.train.Example") == true)
    }

    /// Truncated or corrupt bytes throw, naming the field and the byte offset; never a trap. Every
    /// truncation and every single-byte change of a serialized example is tried.
    @Test func malformedBytesThrow() throws {
        let bytes = personExample.serialized()
        #expect(throws: ExampleError.malformed(field: "Example", offset: 1, reason: "a length of \(bytes.count - 2) bytes but only \(bytes.count - 3) remain")) {
            try Example(serialized: Array(bytes.dropLast()))
        }
        #expect(throws: ExampleError.malformed(field: "Example", offset: 0, reason: "field number 0 is not valid")) {
            try Example(serialized: [0x00])
        }
        #expect(throws: ExampleError.malformed(field: "Example", offset: 1, reason: "the bytes end inside a varint")) {
            try Example(serialized: [0x10, 0xFF])   // an unknown field's varint cut short
        }
        #expect(throws: ExampleError.malformed(field: "Example", offset: 0, reason: "field 1 has wire type 0 where 2 is expected")) {
            try Example(serialized: [0x08, 0x01])
        }
        #expect(throws: ExampleError.self) { try Example(serialized: [0x0B]) }   // a group
        // A float list whose packed bytes are not a multiple of 4.
        let badFloats: [UInt8] = [0x0A, 0x0E, 0x0A, 0x0C, 0x0A, 0x01, 0x78, 0x12, 0x07, 0x12, 0x05, 0x0A, 0x03, 0x00, 0x00, 0xC0]
        #expect(throws: ExampleError.malformed(field: "Example.features.feature[\"x\"].float_list", offset: 13,
                                               reason: "packed floats of 3 bytes, not a multiple of 4")) {
            try Example(serialized: badFloats)
        }
        // Every proper prefix but the empty one (a valid empty Example) throws: the one top-level field is cut.
        for length in 1..<bytes.count {
            #expect(throws: ExampleError.self) { try Example(serialized: Array(bytes[0..<length])) }
        }
        // Every single-byte change either throws or parses; none traps.
        for index in bytes.indices {
            for value: UInt8 in [0x00, 0x7F, 0x80, 0xFF] {
                var damaged = bytes
                damaged[index] = value
                _ = try? Example(serialized: damaged)
            }
        }
        // Unknown fields are skipped, as protocol buffers require.
        #expect(try Example(serialized: [0x10, 0x05, 0x1D, 0, 0, 0, 0] + bytes) == personExample)
    }

    /// A damaged record file throws the records dataset's error, with the file and byte offset.
    @Test func corruptRecordFileThrows() throws {
        let directory = try TemporaryDirectory("seed-004-example")
        let path = directory.file("damaged.tfrecord")
        let writer = try RecordWriter(path: path)
        try writer.write(personExample.serialized())
        try writer.close()
        var data = try Array(Foundation.Data(contentsOf: directory.url.appendingPathComponent("damaged.tfrecord")))
        data[20] ^= 0xFF
        try Foundation.Data(data).write(to: directory.url.appendingPathComponent("damaged.tfrecord"))
        let error = #expect(throws: DatasetError.self) { try Dataset<[UInt8]>.records(paths: [path]).elements() }
        #expect(error?.description == "\(path): corrupt record at byte 0: the data's checksum does not match")
    }
}
