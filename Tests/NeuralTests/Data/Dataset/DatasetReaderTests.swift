import Foundation
import Neural
import Testing
import TestSupport

/// Text lines, CSV decoding, IDX files and record files.
@Suite struct DatasetReaderTests {
    private func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    private func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return result
    }

    @Test func readsTextLinesOfSeveralFiles() throws {
        let directory = try TemporaryDirectory("dataset-text")
        try write("h1\na\r\nb\n", to: directory.file("one.csv"))
        try write("h2\nc\n\nd", to: directory.file("two.csv"))
        let paths = [directory.file("one.csv"), directory.file("two.csv")]
        #expect(try Dataset.textLines(paths: paths).elements() == ["h1", "a", "b", "h2", "c", "", "d"])
        #expect(try Dataset.textLines(paths: paths, skipHeader: true).elements() == ["a", "b", "c", "", "d"])
        let interleaved = Dataset(elements: paths).interleave(cycleLength: 2) { path in
            Dataset.textLines(path: path).skip(1)
        }
        #expect(try interleaved.elements() == ["a", "c", "b", "", "d"])
    }

    @Test func readsGzippedTextAndNamesMissingFiles() throws {
        let directory = try TemporaryDirectory("dataset-text")
        let path = directory.file("lines.gz")
        // gzip of "x\ny\n" (Python's gzip.compress(b"x\ny\n", mtime=0)).
        try Data(bytes(hex: "1f8b0800000000000203abe0aae4020018f9709c04000000")).write(to: URL(fileURLWithPath: path))
        #expect(try Dataset.textLines(path: path).elements() == ["x", "y"])
        let missing = directory.file("absent.csv")
        do {
            _ = try Dataset.textLines(path: missing).elements()
            Issue.record("expected an error")
        } catch {
            guard case .fileNotFound(let reported) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(reported == missing)
        }
    }

    @Test func decodesCSVRecordsWithDefaults() throws {
        let values = try decodeCSV("1,,3.5, 4 ,\"5\"", defaults: [0, 2, nil, nil, 0])
        #expect(values == [1, 2, 3.5, 4, 5])
        let semicolons = try decodeCSV("1;2", defaults: [0, 0], delimiter: ";")
        #expect(semicolons == [1, 2])
        let cases: [(String, [Float?], String)] = [
            ("1,2", [0, 0, 0], "2 fields but 3 defaults"),
            ("1,", [0, nil], "field 1"),
            ("1,abc", [0, 0], "\"abc\" is not a finite number"),
            ("1,\"2", [0, 0], "not closed"),
        ]
        for (record, defaults, expected) in cases {
            do {
                _ = try decodeCSV(record, defaults: defaults)
                Issue.record("expected an error for \(record)")
            } catch {
                #expect(error.description.contains(expected) && error.description.contains(record), "\(error)")
            }
        }
    }

    @Test func theSeedsCSVReaderPipeline() throws {
        // Seed 004's csv_reader_dataset: interleaved files, headers skipped, shuffled, parsed, batched,
        // prefetched; three features and a label per line.
        let directory = try TemporaryDirectory("dataset-csv")
        var paths: [String] = []
        for file in 0..<3 {
            var text = "a,b,c,label\n"
            for row in 0..<4 {
                let id = Float(file * 4 + row)
                text += "\(id),\(id * 2),\(id * 3),\(id * 10)\n"
            }
            let path = directory.file("train_\(file).csv")
            try write(text, to: path)
            paths.append(path)
        }
        let dataset = Dataset(elements: paths)
            .interleave(cycleLength: 3) { path in Dataset.textLines(path: path).skip(1) }
            .shuffle(bufferSize: 6, seed: 1)
            .map { line -> (Tensor, Tensor) in
                let fields = try decodeCSV(line, defaults: [0, 0, 0, nil])
                return (Tensor(Array(fields.prefix(3))), Tensor(Array(fields.suffix(1))))
            }
            .batch(5)
            .prefetch(1)
        let batches = try dataset.elements()
        #expect(batches.map(\.0.shape) == [[5, 3], [5, 3], [2, 3]])
        #expect(batches.map(\.1.shape) == [[5, 1], [5, 1], [2, 1]])
        let ids = batches.flatMap { $0.0.scalars.enumerated().filter { $0.offset % 3 == 0 }.map(\.element) }
        #expect(ids.sorted() == (0..<12).map(Float.init))
        for (x, y) in batches {
            for row in 0..<x.shape[0] { #expect(y.scalars[row] == x.scalars[row * 3] * 10) }
        }
    }

    @Test func readsIDXFiles() throws {
        let directory = try TemporaryDirectory("dataset-idx")
        let images = directory.file("images.idx"), labels = directory.file("labels.idx")
        try Data([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 255]).write(to: URL(fileURLWithPath: images))
        try Data([0, 0, 8, 1, 0, 0, 0, 2, 3, 9]).write(to: URL(fileURLWithPath: labels))
        let dataset = try Dataset.idx(imagesPath: images, labelsPath: labels)
        #expect(dataset.cardinality == .finite(2))
        let pairs = try dataset.elements()
        #expect(pairs[1].0 == Tensor([[5, 6], [7, 255]]))
        #expect(pairs.map(\.1) == [Tensor(3), Tensor(9)])
        #expect(throws: DatasetError.self) { _ = try Dataset.idx(imagesPath: images, labelsPath: directory.file("none")) }
        do {
            _ = try Dataset.idx(imagesPath: labels, labelsPath: labels)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains(labels), "\(error)")
        }
    }

    @Test func fashionMNISTThroughTheDataAPI() throws {
        let directory = FashionMNIST.defaultDirectory
        let dataset = try Dataset.idx(imagesPath: directory + "/t10k-images-idx3-ubyte.gz", labelsPath: directory + "/t10k-labels-idx1-ubyte.gz")
        #expect(dataset.cardinality == .finite(10_000))
        let first = try dataset.map { ($0.0 / 255, $0.1) }.batch(32).take(2).elements()
        #expect(first.map(\.0.shape) == [[32, 28, 28], [32, 28, 28]])
        // The first test image is an ankle boot (class 9), as in the seed.
        #expect(first[0].1.scalars[0] == 9)
        #expect(first[0].0.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func crc32cMatchesTheStandardCheckValueAndABitwiseReference() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        func reference(_ bytes: [UInt8]) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            }
            return crc ^ 0xFFFF_FFFF
        }
        let long = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 3) }
        for length in [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000] {
            #expect(CRC32C.checksum(Array(long.prefix(length))) == reference(Array(long.prefix(length))), "length \(length)")
        }
        #expect(CRC32C.checksum(long[3...]) == reference(Array(long[3...])))
    }

    @Test func recordFilesRoundTrip() throws {
        let directory = try TemporaryDirectory("dataset-records")
        for compression in [RecordCompression.none, .gzip] {
            let path = directory.file("data-\(compression).tfrecord")
            let records: [[UInt8]] = [Array("This is the first record".utf8), [], (0..<100_000).map { UInt8(truncatingIfNeeded: $0) }]
            let writer = try RecordWriter(path: path, compression: compression)
            for record in records { try writer.write(record) }
            try writer.close()
            #expect(try Dataset.records(paths: [path]).elements() == records)
            #expect(try Dataset.records(paths: [path, path]).elements().count == 6)
        }
        let texts = directory.file("texts.tfrecord")
        let writer = try RecordWriter(path: texts)
        try writer.write("This is the first record")
        try writer.write("And this is the second record")
        try writer.close()
        #expect(try Dataset.textRecords(paths: [texts]).elements() == ["This is the first record", "And this is the second record"])
        #expect(throws: DatasetError.self) { try writer.write("after close") }
    }

    @Test func readsTensorFlowsRecordFiles() throws {
        // Written by TensorFlow 2.21's tf.io.TFRecordWriter: the seed's two records and an empty one,
        // then the seed's two records with options="GZIP".
        let directory = try TemporaryDirectory("dataset-records")
        let plain = directory.file("tf.tfrecord"), gzipped = directory.file("tf.tfrecord.gz")
        try Data(bytes(hex: "1800000000000000a37f4b225468697320697320746865206669727374207265636f7264e9b7555e1d00000000000000602fdf23416e64207468697320697320746865207365636f6e64207265636f7264b68cd830000000000000000029039807d8ea82a2")).write(to: URL(fileURLWithPath: plain))
        try Data(bytes(hex: "1f8b080000000000000393608080c5f5de4a211999c50a40549291aa909659545ca250949a9c5f94f2727b689c2c545d82fe7d65c7bc14a01a84da62a02aa01044f1b69e1b06003f2c689e55000000")).write(to: URL(fileURLWithPath: gzipped))
        #expect(try Dataset.textRecords(paths: [plain]).elements() == ["This is the first record", "And this is the second record", ""])
        #expect(try Dataset.textRecords(paths: [gzipped]).elements() == ["This is the first record", "And this is the second record"])
        // And ours are byte for byte TensorFlow's.
        let ours = directory.file("ours.tfrecord")
        let writer = try RecordWriter(path: ours)
        for text in ["This is the first record", "And this is the second record", ""] { try writer.write(text) }
        try writer.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: ours)) == Data(contentsOf: URL(fileURLWithPath: plain)))
    }

    @Test func detectsCorruptionWithTheFileAndOffset() throws {
        let directory = try TemporaryDirectory("dataset-records")
        let path = directory.file("data.tfrecord")
        let writer = try RecordWriter(path: path)
        try writer.write(Array("first".utf8))
        try writer.write(Array("second".utf8))
        try writer.close()
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let secondStart = 12 + 5 + 4
        let cases: [(mutate: (inout [UInt8]) -> Void, offset: Int, reason: String)] = [
            ({ $0[secondStart + 12 + 1] ^= 0x01 }, secondStart, "data's checksum"),
            ({ $0[secondStart] ^= 0x40 }, secondStart, "length's checksum"),
            ({ $0.removeLast(3) }, secondStart, "ends inside a record"),
            ({ $0.removeLast(original.count - secondStart - 5) }, secondStart, "ends inside a record header"),
        ]
        for (mutate, offset, reason) in cases {
            var bytes = original
            mutate(&bytes)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            var read: [[UInt8]] = []
            do {
                try Dataset.records(paths: [path]).forEach { read.append($0) }
                Issue.record("expected an error (\(reason))")
            } catch let error as DatasetError {
                guard case let .corruptRecord(reportedPath, reportedOffset, message) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(reportedPath == path && reportedOffset == offset && message.contains(reason), "\(error)")
            }
            #expect(read == [Array("first".utf8)])
        }
    }
}

/// Files of tensors and file patterns.
@Suite struct DatasetFileHelperTests {
    @Test func tensorsRoundTripThroughRecordFiles() throws {
        let directory = try TemporaryDirectory("dataset-tensors")
        let path = directory.file("tensors.tfrecord")
        let tensors = [Tensor([[1, 2, 3], [4, 5, -6.5]]), Tensor(7), Tensor(zeros: [0, 4]), Tensor([.infinity, -0.0])]
        let writer = try RecordWriter(path: path, compression: .gzip)
        for tensor in tensors { try writer.write(tensor.serializedBytes()) }
        try writer.close()
        let read = try Dataset.records(paths: [path]).map { try Tensor(serializedBytes: $0) }.elements()
        #expect(read == tensors)
        #expect(read.map(\.shape) == [[2, 3], [], [0, 4], [2]])
        var damaged = tensors[0].serializedBytes()
        damaged.removeLast()
        #expect(throws: DatasetError.self) { _ = try Tensor(serializedBytes: damaged) }
        #expect(throws: DatasetError.self) { _ = try Tensor(serializedBytes: [1, 0]) }
    }

    @Test func listFilesMatchesPatternsAndShufflesReproducibly() throws {
        let directory = try TemporaryDirectory("dataset-list")
        let names = (0..<6).map { "my_train_0\($0).csv" }
        for name in names + ["other.txt"] { try Data("x\n".utf8).write(to: URL(fileURLWithPath: directory.file(name))) }
        let ordered = try Dataset.listFiles(directory.file("my_train_*.csv"), shuffle: false).elements()
        #expect(ordered == names.map(directory.file))
        let shuffled = try Dataset.listFiles([directory.file("my_train_*.csv")], seed: 42).elements()
        #expect(shuffled.sorted() == ordered)
        #expect(try Dataset.listFiles([directory.file("my_train_*.csv")], seed: 42).elements() == shuffled)
        do {
            _ = try Dataset.listFiles(directory.file("nothing_*.csv")).elements()
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("nothing_*.csv"), "\(error)")
        }
    }
}
