import Foundation
import Neural
import Testing
import TestSupport

/// `tf.train.Example` records exchanged with Python's protobuf and TensorBoard's copy of TensorFlow's
/// TFRecord reader and writer (Scripts/tfrecord_examples.py, in the venv of `make tensorboard-venv`):
/// files Swift writes, Python reads with the same values, and the other way round.
@Suite struct ExampleInteropTests {
    /// Seed 004's contact and an example of every kind, written by Swift, read by Python.
    @Test func pythonReadsOurExamples() async throws {
        let directory = try TemporaryDirectory("example-interop")
        let path = directory.file("my_contacts.tfrecord")
        let person = Example(features: [
            "name": .bytes(["Alice"]),
            "id": .int64List([123]),
            "emails": .bytes(["a@b.com", "c@d.com"]),
        ])
        let other = Example(features: [
            "name": .bytes(["Zoë"]),
            "scores": .floatList([0.1, -2.5, 3.0e38, .infinity]),
            "big": .int64List([Int64.min, -1, Int64.max]),
            "empty": .floatList([]),
        ])
        let writer = try RecordWriter(path: path)
        try writer.write(person.serialized())
        try writer.write(other.serialized())
        try writer.close()

        let python = try TensorBoardScripts.python()
        let result = try await onOwnThread { try runProcess(python, [PackagePaths.script("tfrecord_examples.py"), "read", path]) }
        try #require(result.status == 0, "tfrecord_examples.py failed: \(result.errors)")
        let examples = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: [String: Any]]])
        #expect(examples.count == 2)
        try #require(examples.count == 2)
        #expect(try Self.example(examples[0]) == person)
        #expect(try Self.example(examples[1]) == other)
    }

    /// Python writes the slides' contact and a second example; Swift reads the file and parses them.
    @Test func weReadPythonsExamples() async throws {
        let directory = try TemporaryDirectory("example-interop")
        let path = directory.file("python.tfrecord")
        let python = try TensorBoardScripts.python()
        let result = try await onOwnThread { try runProcess(python, [PackagePaths.script("tfrecord_examples.py"), "write", path]) }
        try #require(result.status == 0, "tfrecord_examples.py failed: \(result.errors)")

        let records = try Dataset<[UInt8]>.records(paths: [path]).elements()
        try #require(records.count == 2)
        let featureDescription: [String: FeatureSpec] = [
            "name": .fixedLen(shape: [], dtype: .string, defaultValue: .bytes([""])),
            "id": .fixedLen(shape: [], dtype: .int64, defaultValue: .int64List([0])),
            "emails": .varLen(.string),
        ]
        let parsedExample = try parseSingleExample(records[0], features: featureDescription)
        #expect(try parsedExample.sparse("emails", as: [UInt8].self).toDense(defaultValue: []) == TypedTensor(strings: ["a@b.com", "c@d.com"]))
        #expect(try parsedExample.dense("name", as: [UInt8].self).strings == ["Alice"])
        #expect(try parsedExample.dense("id", as: Int64.self).scalar == 123)

        #expect(try Example(serialized: records[1]) == Example(features: [
            "name": .bytes(["Zoë"]),
            "id": .int64List([-1]),
            "scores": .floatList([0.1, -2.5, 3.0e38]),
            "big": .int64List([1 << 62, Int64.min]),
            "empty": .floatList([]),
        ]))
        let batch = try parseExamples(records, features: featureDescription.merging(
            ["scores": .varLen(.float32)]) { $1 })
        #expect(try batch.dense("id", as: Int64.self).scalars == [123, -1])
        #expect(try batch.sparse("scores", as: Float.self).toDense(defaultValue: 0).rows == [[0, 0, 0], [0.1, -2.5, 3.0e38]])
        #expect(try batch.sparse("emails", as: [UInt8].self).denseShape == [2, 2])
    }

    /// An ``Example`` from the script's JSON.
    static func example(_ json: [String: [String: Any]]) throws -> Example {
        var features: [String: Feature] = [:]
        for (key, feature) in json {
            let values = feature["value"] as? [Any] ?? []
            switch feature["kind"] as? String {
            case "bytes_list": features[key] = .bytesList(values.map { ($0 as? [Int] ?? []).map { UInt8($0) } })
            case "float_list": features[key] = .floatList(try values.map { try #require(($0 as? String).flatMap(Float.init)) })
            case "int64_list": features[key] = .int64List(values.map { ($0 as? NSNumber)?.int64Value ?? 0 })
            default: Issue.record("feature \(key) has no kind: \(feature)")
            }
        }
        return Example(features: features)
    }
}
