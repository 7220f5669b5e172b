import Foundation
import Neural
import Testing
import TestSupport

/// The safetensors format: bytes checked against the specification by an independent parser, a
/// NumPy reader written from the specification when Python with NumPy is available, round trips,
/// and every kind of damaged file.
@Suite struct SafetensorsTests {
    static let sample: [String: Tensor] = [
        "dense/kernel": Tensor([[1, -2, 3.5], [0.1, 1e-20, -0]]),
        "dense/bias": Tensor([0.25, -8]),
        "b/scalar": Tensor(Float.pi),
        "empty": Tensor(zeros: [0, 3]),
        "Zeta": Tensor(shape: [2, 1, 2], scalars: [1, 2, 3, 4]),
    ]

    /// Reads a little-endian unsigned integer from raw bytes (independently of the library).
    private func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    @Test func bytesFollowTheSpecification() throws {
        let bytes = try SafetensorsFile.encode(Self.sample, metadata: ["format": "pt", "note": "a \"quoted\" value"])
        let headerLength = Int(littleEndian(bytes[0..<8]))
        #expect(headerLength % 8 == 0)
        let headerBytes = bytes[8..<(8 + headerLength)]
        let header = String(decoding: headerBytes, as: UTF8.self)
        // What the reference writer produces: compact JSON, metadata first (keys sorted here), tensors
        // sorted by name bytewise (uppercase before lowercase), back to back, then space padding.
        let expected = #"{"__metadata__":{"format":"pt","note":"a \"quoted\" value"},"#
            + #""Zeta":{"dtype":"F32","shape":[2,1,2],"data_offsets":[0,16]},"#
            + #""b/scalar":{"dtype":"F32","shape":[],"data_offsets":[16,20]},"#
            + #""dense/bias":{"dtype":"F32","shape":[2],"data_offsets":[20,28]},"#
            + #""dense/kernel":{"dtype":"F32","shape":[2,3],"data_offsets":[28,52]},"#
            + #""empty":{"dtype":"F32","shape":[0,3],"data_offsets":[52,52]}}"#
        #expect(header.trimmingCharacters(in: .init(charactersIn: " ")) == expected)
        #expect(header.count - expected.utf8.count < 8 && header.hasSuffix(String(repeating: " ", count: header.count - expected.utf8.count)))
        #expect(bytes.count == 8 + headerLength + 52)

        // Values, read back from their offsets as little-endian IEEE 754 singles.
        let data = bytes[(8 + headerLength)...]
        func floats(_ begin: Int, _ end: Int) -> [Float] {
            stride(from: begin, to: end, by: 4).map { offset in
                Float(bitPattern: UInt32(littleEndian(data[(data.startIndex + offset)..<(data.startIndex + offset + 4)])))
            }
        }
        #expect(floats(0, 16) == [1, 2, 3, 4])
        #expect(floats(16, 20) == [Float.pi])
        #expect(floats(20, 28) == [0.25, -8])
        #expect(floats(28, 52).map(\.bitPattern) == [1, -2, 3.5, 0.1, 1e-20, -0].map { Float($0).bitPattern })

        // Foundation's JSON reader agrees on the header.
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any])
        let kernel = try #require(parsed["dense/kernel"] as? [String: Any])
        #expect(kernel["dtype"] as? String == "F32")
        #expect(kernel["shape"] as? [Int] == [2, 3])
        #expect(kernel["data_offsets"] as? [Int] == [28, 52])
        #expect((parsed["__metadata__"] as? [String: String])?["format"] == "pt")
    }

    @Test func noMetadataMeansNoMetadataEntry() throws {
        let bytes = try SafetensorsFile.encode(["x": Tensor([1])])
        let headerLength = Int(littleEndian(bytes[0..<8]))
        let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        #expect(header == #"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}  "#)  // 54 bytes padded to 56
    }

    @Test func roundTripThroughAFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("sample.safetensors")
        try SafetensorsFile.write(Self.sample, metadata: ["format": "pt"], to: path)
        let (tensors, metadata) = try SafetensorsFile.read(from: path)
        #expect(metadata == ["format": "pt"])
        #expect(Set(tensors.keys) == Set(Self.sample.keys))
        for (name, tensor) in Self.sample {
            let loaded = try #require(tensors[name])
            #expect(loaded.shape == tensor.shape, "\(name)")
            #expect(loaded.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern), "\(name)")
        }
        // Overwriting replaces the file; no temporary file is left behind.
        try SafetensorsFile.write(["only": Tensor([7])], to: path)
        let second = try SafetensorsFile.read(from: path)
        #expect(second.tensors.keys.sorted() == ["only"] && second.metadata.isEmpty)
        #expect(try directory.entries() == ["sample.safetensors"])
    }

    /// Python's reading, by the specification: a NumPy script (not the safetensors package) parses
    /// the header and maps each tensor's bytes with `np.frombuffer`. Runs when a `python3` with NumPy
    /// is on the PATH; otherwise says so and relies on ``bytesFollowTheSpecification()``.
    @Test func numpyReadsOurFilesBySpecification() throws {
        guard let python = SavingTestSupport.pythonWithNumPy() else {
            print("SafetensorsTests.numpyReadsOurFilesBySpecification: NOT RUN: no python3 with NumPy on the PATH; "
                + "format conformance is checked by bytesFollowTheSpecification only")
            return
        }
        let script = """
        import json, struct, sys
        import numpy as np
        data = open(sys.argv[1], 'rb').read()
        (n,) = struct.unpack('<Q', data[:8])
        assert n % 8 == 0, 'header length not a multiple of 8'
        header = json.loads(data[8:8 + n].decode('utf-8'))
        order = list(header.keys())
        metadata = header.pop('__metadata__', {})
        body = data[8 + n:]
        end = 0
        tensors = {}
        for name, info in sorted(header.items(), key=lambda item: tuple(item[1]['data_offsets'])):
            begin, stop = info['data_offsets']
            assert begin == end, 'gap or overlap at ' + name
            end = stop
            assert info['dtype'] == 'F32'
            array = np.frombuffer(body[begin:stop], dtype='<f4').reshape(info['shape'])
            tensors[name] = {'shape': list(array.shape), 'values': [float(v) for v in array.ravel()]}
        assert end == len(body), 'trailing bytes'
        print(json.dumps({'order': order, 'metadata': metadata, 'tensors': tensors}))
        """
        let directory = try TemporaryDirectory()
        let scriptPath = directory.file("read_safetensors.py")
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let path = directory.file("sample.safetensors")
        try SafetensorsFile.write(Self.sample, metadata: ["format": "pt", "é": "ü"], to: path)
        let result = try runProcess(python, [scriptPath, path])
        #expect(result.status == 0, "python: \(result.errors)")
        let output = try #require(try JSONValue(json: result.output).objectValue)
        #expect(output["order"] == ["__metadata__", "Zeta", "b/scalar", "dense/bias", "dense/kernel", "empty"])
        #expect(output["metadata"] == ["format": "pt", "é": "ü"])
        let tensors = try #require(output["tensors"]?.objectValue)
        #expect(Set(tensors.keys) == Set(Self.sample.keys))
        for (name, tensor) in Self.sample {
            let entry = try #require(tensors[name]?.objectValue)
            #expect(entry["shape"] == .array(tensor.shape.map { .int($0) }), "\(name)")
            let values = try #require(entry["values"]?.arrayValue).compactMap(\.doubleValue).map { Float($0) }
            #expect(values.map(\.bitPattern) == tensor.scalars.map(\.bitPattern), "\(name)")
        }
    }

    // MARK: - Damaged files

    /// A file from a header text (padded or not) and data bytes.
    private func file(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
        let headerBytes = Array(header.utf8)
        let length = declaredLength ?? UInt64(headerBytes.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) } + headerBytes + data
    }

    private func decodeError(_ bytes: [UInt8]) -> SafetensorsError? {
        do {
            _ = try SafetensorsFile.decode(bytes, path: "bad.safetensors")
            return nil
        } catch {
            return error
        }
    }

    @Test func damagedFilesGiveTypedErrorsNamingTheFile() throws {
        let eight = [UInt8](repeating: 0, count: 8)
        let tensor = #""t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#

        guard case .truncated(path: "bad.safetensors", _)? = decodeError([1, 2, 3]) else { Issue.record("short file"); return }
        guard case .truncated? = decodeError(file(header: "{\(tensor)}", data: eight, declaredLength: 500)) else {
            Issue.record("header longer than the file"); return
        }
        guard case .invalidHeader(_, let reason)? = decodeError(file(header: "{}", data: [], declaredLength: 200_000_000)),
              reason.contains("exceeds") else { Issue.record("huge header"); return }
        guard case .invalidHeader(_, let jsonReason)? = decodeError(file(header: #"{"t":{"dtype":"F32",}}"#, data: eight)),
              jsonReason.contains("invalid JSON") else { Issue.record("bad JSON"); return }
        guard case .invalidHeader? = decodeError(file(header: "[1]     ", data: [])) else { Issue.record("not an object"); return }
        guard case .invalidHeader(_, let missing)? = decodeError(file(header: #"{"t":{"dtype":"F32","data_offsets":[0,8]}}"#, data: eight)),
              missing.contains("shape") else { Issue.record("missing shape"); return }
        guard case .invalidHeader(_, let metadata)? = decodeError(file(header: #"{"__metadata__":{"a":1}}"#, data: [])),
              metadata.contains("not a string") else { Issue.record("metadata not strings"); return }
        #expect(decodeError(file(header: #"{"t":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]))
            == .unsupportedDtype(path: "bad.safetensors", tensor: "t", dtype: "F16"))
        #expect(decodeError(file(header: #"{"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: eight))
            == .sizeMismatch(path: "bad.safetensors", tensor: "t", shape: [3], expectedBytes: 12, actualBytes: 8))
        guard case .invalidOffsets(_, "t", let reversed)? = decodeError(file(header: #"{"t":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, data: eight)),
              reversed.contains("ordered") else { Issue.record("reversed offsets"); return }
        guard case .invalidOffsets(_, "t", let outOfRange)? = decodeError(file(header: "{\(tensor)}", data: [0, 0, 0, 0])),
              outOfRange.contains("runs past") else { Issue.record("out of range"); return }
        let overlapping = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        guard case .invalidOffsets(_, "b", let overlap)? = decodeError(file(header: overlapping, data: eight + [0, 0, 0, 0])),
              overlap.contains("overlaps tensor 'a'") else { Issue.record("overlap"); return }
        let gap = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        guard case .invalidOffsets(_, "a", let gapReason)? = decodeError(file(header: gap, data: eight)),
              gapReason.contains("gap") else { Issue.record("gap"); return }
        guard case .invalidOffsets(_, _, let trailing)? = decodeError(file(header: "{\(tensor)}", data: eight + [1])),
              trailing.contains("cover 8 bytes") else { Issue.record("trailing bytes"); return }
        #expect(throws: SafetensorsError.invalidName(path: "<memory>", name: "__metadata__")) {
            try SafetensorsFile.encode(["__metadata__": Tensor([1])])
        }
        // Messages name the file and the tensor.
        let message = SafetensorsError.sizeMismatch(path: "w.safetensors", tensor: "t", shape: [3], expectedBytes: 12, actualBytes: 8).description
        #expect(message.contains("w.safetensors") && message.contains("'t'"))
    }

    @Test func missingFilesAndUnwritablePaths() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.file("absent.safetensors")
        #expect(throws: SafetensorsError.fileNotFound(path: missing)) { try SafetensorsFile.read(from: missing) }
        let unwritable = directory.file("no/such/dir/w.safetensors")
        do {
            try SafetensorsFile.write(["x": Tensor([1])], to: unwritable)
            Issue.record("writing into a missing directory should fail")
        } catch let SafetensorsError.io(path, reason) {
            #expect(path == unwritable && !reason.isEmpty)
        }
        #expect(try directory.entries().isEmpty)
        // A failed write leaves what was there and no temporary file: here the rename fails because
        // a directory occupies the file's name.
        try FileManager.default.createDirectory(atPath: directory.file("taken.safetensors"), withIntermediateDirectories: false)
        #expect(throws: SafetensorsError.self) { try SafetensorsFile.write(["x": Tensor([1])], to: directory.file("taken.safetensors")) }
        #expect(try directory.entries() == ["taken.safetensors"])
        #expect(try directory.entries("taken.safetensors").isEmpty)
    }
}
