/// Reading and writing the safetensors format (Hugging Face's), in which models' weights and
/// optimizer states are saved, so that any safetensors reader (Python's `safetensors`, NumPy by hand,
/// Rust, JavaScript) can open them.
///
/// The layout, as the reference implementation writes it:
/// 1. 8 bytes: `N`, the header length, an unsigned little-endian 64-bit integer;
/// 2. `N` bytes: a UTF-8 JSON object, padded with spaces to a multiple of 8 bytes:
///    `{"__metadata__": {"key": "value"}, "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, ...}`
///    (compact, `__metadata__` first and only when there is metadata, then the tensors in the order
///    of their data);
/// 3. the data: each tensor's elements, row-major, little-endian, at `data_offsets` (begin, end)
///    counted from the start of the data section. Tensors are laid out sorted by name (the reference
///    sorts by dtype alignment, then name; all tensors here are F32), back to back.
///
/// Reading checks everything the reference reader checks: the header length against the file size,
/// the JSON, every field, offsets that tile the data section exactly (no overlap, no gap, no
/// trailing bytes), and each tensor's byte count against its shape.
///
/// ```swift
/// try SafetensorsFile.write(["dense/kernel": kernel, "dense/bias": bias], metadata: ["format": "pt"], to: "w.safetensors")
/// let (tensors, metadata) = try SafetensorsFile.read(from: "w.safetensors")
/// ```
public enum SafetensorsFile {
    /// The largest header accepted (the reference reader's limit, 100 MB).
    public static let maximumHeaderLength = 100_000_000

    /// Writes `tensors` and string `metadata` to `path` atomically: a crash leaves either the old file
    /// or the complete new one (see ``encode(_:metadata:)`` for the bytes).
    ///
    /// - Throws: ``SafetensorsError/invalidName(path:name:)`` for an empty or reserved name, and
    ///   ``SafetensorsError/io(path:reason:)`` when the file cannot be written.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to path: String) throws(SafetensorsError) {
        let bytes = try encode(tensors, metadata: metadata, path: path)
        do {
            try FileIO.writeAtomically(bytes, to: path)
        } catch {
            throw .io(path: path, reason: error.reason)
        }
    }

    /// Reads every tensor and the metadata of the safetensors file at `path`.
    ///
    /// - Throws: ``SafetensorsError`` naming the file: missing or unreadable, truncated, an invalid
    ///   header, a dtype other than F32, invalid offsets, or a byte count that does not match a shape.
    public static func read(from path: String) throws(SafetensorsError) -> (tensors: [String: Tensor], metadata: [String: String]) {
        let bytes: [UInt8]
        do {
            bytes = try FileIO.readAll(path)
        } catch {
            if error.notFound { throw .fileNotFound(path: path) }
            throw .io(path: path, reason: error.reason)
        }
        return try decode(bytes, path: path)
    }

    /// The bytes of a safetensors file holding `tensors` and `metadata` (what ``write(_:metadata:to:)``
    /// stores).
    /// - Throws: ``SafetensorsError/invalidName(path:name:)`` for an empty or reserved name.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws(SafetensorsError) -> [UInt8] {
        try encode(tensors, metadata: metadata, path: "<memory>")
    }

    static func encode(_ tensors: [String: Tensor], metadata: [String: String], path: String) throws(SafetensorsError) -> [UInt8] {
        let names = tensors.keys.sorted(by: JSONWriter.utf8Less)
        if let bad = names.first(where: { $0.isEmpty || $0 == "__metadata__" }) { throw .invalidName(path: path, name: bad) }

        // The header is built by hand to keep the reference writer's key order (metadata first, then
        // tensors in data order, fields as dtype, shape, data_offsets).
        var header = "{"
        var first = true
        if !metadata.isEmpty {
            header += "\"__metadata__\":{"
            for (index, key) in metadata.keys.sorted(by: JSONWriter.utf8Less).enumerated() {
                if index > 0 { header += "," }
                JSONWriter.appendString(key, to: &header)
                header += ":"
                JSONWriter.appendString(metadata[key] ?? "", to: &header)
            }
            header += "}"
            first = false
        }
        var offset = 0
        for name in names {
            guard let tensor = tensors[name] else { continue }
            let byteCount = tensor.scalarCount * 4
            if !first { header += "," }
            first = false
            JSONWriter.appendString(name, to: &header)
            header += ":{\"dtype\":\"F32\",\"shape\":["
            header += tensor.shape.map(String.init).joined(separator: ",")
            header += "],\"data_offsets\":[\(offset),\(offset + byteCount)]}"
            offset += byteCount
        }
        header += "}"
        var headerBytes = Array(header.utf8)
        headerBytes += [UInt8](repeating: 0x20, count: (8 - headerBytes.count % 8) % 8)

        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + headerBytes.count + offset)
        let length = UInt64(headerBytes.count)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: length >> UInt64(shift))) }
        bytes += headerBytes
        for name in names {
            guard let tensor = tensors[name] else { continue }
            tensor.withUnsafeBufferPointer { values in
                #if _endian(little)
                bytes.append(contentsOf: UnsafeRawBufferPointer(values))
                #else
                for value in values {
                    withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
                }
                #endif
            }
        }
        return bytes
    }

    /// Parses the bytes of a safetensors file; `path` names it in errors.
    /// - Throws: ``SafetensorsError`` as ``read(from:)``.
    public static func decode(_ bytes: [UInt8], path: String) throws(SafetensorsError) -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard bytes.count >= 8 else {
            throw .truncated(path: path, reason: "\(bytes.count) bytes, fewer than the 8-byte header length")
        }
        var declared: UInt64 = 0
        for index in 0..<8 { declared |= UInt64(bytes[index]) << UInt64(8 * index) }
        guard declared <= UInt64(maximumHeaderLength) else {
            throw .invalidHeader(path: path, reason: "header length \(declared) exceeds the limit of \(maximumHeaderLength) bytes")
        }
        let headerLength = Int(declared)
        guard 8 + headerLength <= bytes.count else {
            throw .truncated(path: path, reason: "the header is \(headerLength) bytes but only \(bytes.count - 8) follow the length")
        }
        guard headerLength >= 2, bytes[8] == UInt8(ascii: "{") else {
            throw .invalidHeader(path: path, reason: "the header must be a JSON object starting with '{'")
        }
        let root: JSONValue
        do {
            root = try JSONValue(json: Array(bytes[8..<(8 + headerLength)]))
        } catch {
            throw .invalidHeader(path: path, reason: error.description)
        }
        guard let members = root.objectValue else { throw .invalidHeader(path: path, reason: "the header is not a JSON object") }

        var metadata: [String: String] = [:]
        if let raw = members["__metadata__"] {
            guard let object = raw.objectValue else {
                throw .invalidHeader(path: path, reason: "__metadata__ must be an object of strings")
            }
            for (key, value) in object {
                guard let text = value.stringValue else {
                    throw .invalidHeader(path: path, reason: "__metadata__ value of '\(key)' is not a string")
                }
                metadata[key] = text
            }
        }

        struct Entry {
            let name: String
            let shape: [Int]
            let begin: Int
            let end: Int
        }
        var entries: [Entry] = []
        for (name, value) in members where name != "__metadata__" {
            guard let info = value.objectValue else {
                throw .invalidHeader(path: path, reason: "the entry of tensor '\(name)' is not an object")
            }
            guard let dtype = info["dtype"]?.stringValue else {
                throw .invalidHeader(path: path, reason: "tensor '\(name)' has no string 'dtype'")
            }
            guard let shapeValues = info["shape"]?.arrayValue else {
                throw .invalidHeader(path: path, reason: "tensor '\(name)' has no 'shape' list")
            }
            var shape: [Int] = []
            for dimension in shapeValues {
                guard case .int(let extent) = dimension, extent >= 0 else {
                    throw .invalidHeader(path: path, reason: "tensor '\(name)' has a shape entry \(dimension) that is not a non-negative integer")
                }
                shape.append(extent)
            }
            guard let offsets = info["data_offsets"]?.arrayValue, offsets.count == 2,
                  case .int(let begin) = offsets[0], case .int(let end) = offsets[1] else {
                throw .invalidHeader(path: path, reason: "tensor '\(name)' has no 'data_offsets' pair of integers")
            }
            guard dtype == "F32" else { throw .unsupportedDtype(path: path, tensor: name, dtype: dtype) }
            guard begin >= 0, end >= begin else {
                throw .invalidOffsets(path: path, tensor: name, reason: "[\(begin), \(end)] is not an ordered pair of non-negative offsets")
            }
            var elementCount = 1
            for extent in shape {
                let (product, overflow) = elementCount.multipliedReportingOverflow(by: extent)
                guard !overflow else { throw .invalidHeader(path: path, reason: "tensor '\(name)' has a shape \(shape) too large to address") }
                elementCount = product
            }
            let (expectedBytes, overflow) = elementCount.multipliedReportingOverflow(by: 4)
            guard !overflow else { throw .invalidHeader(path: path, reason: "tensor '\(name)' has a shape \(shape) too large to address") }
            guard end - begin == expectedBytes else {
                throw .sizeMismatch(path: path, tensor: name, shape: shape, expectedBytes: expectedBytes, actualBytes: end - begin)
            }
            entries.append(Entry(name: name, shape: shape, begin: begin, end: end))
        }

        // The tensors must tile the data section: sorted by offsets, each starts where the previous
        // ended, and the last ends at the end of the file (the reference reader's rule).
        entries.sort { a, b in
            if a.begin != b.begin { return a.begin < b.begin }
            if a.end != b.end { return a.end < b.end }
            return JSONWriter.utf8Less(a.name, b.name)
        }
        let dataStart = 8 + headerLength
        let dataLength = bytes.count - dataStart
        var expectedBegin = 0
        var previous: String?
        for entry in entries {
            guard entry.end <= dataLength else {
                throw .invalidOffsets(path: path, tensor: entry.name,
                                      reason: "[\(entry.begin), \(entry.end)] runs past the \(dataLength)-byte data section")
            }
            if entry.begin < expectedBegin {
                throw .invalidOffsets(path: path, tensor: entry.name,
                                      reason: "[\(entry.begin), \(entry.end)] overlaps tensor '\(previous ?? "")', which ends at \(expectedBegin)")
            }
            if entry.begin > expectedBegin {
                throw .invalidOffsets(path: path, tensor: entry.name,
                                      reason: "[\(entry.begin), \(entry.end)] leaves a gap: the previous tensor ends at \(expectedBegin)")
            }
            expectedBegin = entry.end
            previous = entry.name
        }
        guard expectedBegin == dataLength else {
            throw .invalidOffsets(path: path, tensor: previous ?? "(none)",
                                  reason: "the tensors cover \(expectedBegin) bytes but the data section has \(dataLength)")
        }

        var tensors: [String: Tensor] = [:]
        tensors.reserveCapacity(entries.count)
        bytes.withUnsafeBytes { raw in
            for entry in entries {
                let count = (entry.end - entry.begin) / 4
                let start = dataStart + entry.begin
                let tensor = Tensor.make(shape: entry.shape, count: count) { output in
                    #if _endian(little)
                    UnsafeMutableRawBufferPointer(output).copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: raw[start..<(start + 4 * count)]))
                    #else
                    for index in 0..<count {
                        let bits = raw.loadUnaligned(fromByteOffset: start + 4 * index, as: UInt32.self)
                        output[index] = Float(bitPattern: UInt32(littleEndian: bits))
                    }
                    #endif
                }
                tensors[entry.name] = tensor
            }
        }
        return (tensors, metadata)
    }
}
