import CZlib

/// Why a PNG could not be made or written, with the size, value or path at fault.
public enum PNGError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The pixels do not make an image of that size (or the tensor is not `[height, width]` or
    /// `[height, width, 1]`).
    case invalidImage(message: String)
    /// zlib refused to compress the pixels (its status code).
    case compressionFailed(status: Int32)
    /// The file could not be written.
    case writeFailed(path: String, reason: String)

    /// What is wrong, for people.
    public var description: String {
        switch self {
        case let .invalidImage(message): return "PNG: \(message)"
        case let .compressionFailed(status): return "PNG: zlib compress2 failed with status \(status)"
        case let .writeFailed(path, reason): return "PNG: cannot write \(path): \(reason)"
        }
    }
}

/// A minimal PNG encoder for 8-bit grayscale and RGB images: signature, `IHDR`, one zlib-compressed `IDAT`
/// (each row prefixed by filter type 0) and `IEND`, each chunk with its CRC-32.
///
/// ```swift
/// try PNGWriter.write(grayscale: image, to: "sample.png")   // image: [28, 28] in 0...1
/// ```
public enum PNGWriter {
    /// The bytes of a PNG file for `pixels` (row-major, `width · height` grey levels).
    ///
    /// - Throws: ``PNGError/invalidImage(message:)`` when the count is not `width · height` or a size is
    ///   not positive; ``PNGError/compressionFailed(status:)`` if zlib fails.
    public static func encode(grayscale pixels: [UInt8], width: Int, height: Int) throws(PNGError) -> [UInt8] {
        try encode(pixels: pixels, width: width, height: height, channels: 1)
    }

    /// The bytes of a PNG file for `pixels`, row-major with `channels` interleaved bytes per pixel: 1 for
    /// grayscale, 3 for RGB (`r, g, b, r, g, b, …`).
    ///
    /// - Throws: ``PNGError/invalidImage(message:)`` when `channels` is not 1 or 3, a size is not positive
    ///   or the count is not `width · height · channels`; ``PNGError/compressionFailed(status:)`` if zlib fails.
    public static func encode(pixels: [UInt8], width: Int, height: Int, channels: Int) throws(PNGError) -> [UInt8] {
        guard channels == 1 || channels == 3 else {
            throw .invalidImage(message: "\(channels) channels (1 for grayscale or 3 for RGB)")
        }
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw .invalidImage(message: "size \(width)x\(height) must be positive")
        }
        let (rowBytes, overflowRow) = width.multipliedReportingOverflow(by: channels)
        let (count, overflowCount) = rowBytes.multipliedReportingOverflow(by: height)
        guard !overflowRow, !overflowCount, pixels.count == count else {
            let needed = overflowRow || overflowCount ? "more than can be counted" : "\(count)"
            let what = channels == 1 ? "pixels" : "values"
            let image = channels == 1 ? "" : " RGB"
            throw .invalidImage(message: "\(pixels.count) \(what) for a \(width)x\(height)\(image) image (needs \(needed))")
        }
        var raw = [UInt8]()
        raw.reserveCapacity(height * (rowBytes + 1))
        for row in 0..<height {
            raw.append(0)  // filter type None
            raw.append(contentsOf: pixels[(row * rowBytes)..<((row + 1) * rowBytes)])
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        // Bit depth 8, colour type 0 (grayscale) or 2 (RGB), deflate, adaptive filtering, no interlace.
        header += [8, channels == 1 ? 0 : 2, 0, 0, 0]
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", try deflate(raw), to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    /// Writes `image`, a `[height, width]` or `[height, width, 1]` tensor of values in 0...1 (clamped,
    /// scaled to 0...255), as a grayscale PNG at `path`.
    ///
    /// - Throws: ``PNGError`` for another shape or when the file cannot be written.
    public static func write(grayscale image: Tensor, to path: String) throws(PNGError) {
        guard image.rank == 2 || (image.rank == 3 && image.shape[2] == 1) else {
            throw .invalidImage(message: "expected a [height, width] or [height, width, 1] tensor, got shape \(image.shape)")
        }
        let pixels = image.scalars.map { value -> UInt8 in
            let clamped = value.isNaN ? 0 : Swift.min(Swift.max(value, 0), 1)
            return UInt8((clamped * 255).rounded())
        }
        let bytes = try encode(grayscale: pixels, width: image.shape[1], height: image.shape[0])
        do {
            try FileIO.writeAtomically(bytes, to: path)
        } catch {
            throw .writeFailed(path: path, reason: error.reason)
        }
    }

    /// `images` `[count, height, width]` or `[count, height, width, 1]` in 0...1 tiled `columns` per
    /// row (blank tiles fill the last row) with `spacing` black pixels between them: a sample grid.
    ///
    /// - Throws: ``PNGError/invalidImage(message:)`` for another shape or non-positive `columns`.
    public static func grid(_ images: Tensor, columns: Int, spacing: Int = 2) throws(PNGError) -> Tensor {
        guard images.rank == 3 || (images.rank == 4 && images.shape[3] == 1), columns > 0, spacing >= 0 else {
            throw .invalidImage(message: "expected [count, height, width(, 1)] images and positive columns, got shape \(images.shape) and \(columns) columns")
        }
        let (count, h, w) = (images.shape[0], images.shape[1], images.shape[2])
        let rows = (count + columns - 1) / columns
        let height = rows * h + (rows + 1) * spacing, width = columns * w + (columns + 1) * spacing
        var pixels = [Float](repeating: 0, count: height * width)
        let values = images.scalars
        for index in 0..<count {
            let top = spacing + (index / columns) * (h + spacing), left = spacing + (index % columns) * (w + spacing)
            for y in 0..<h {
                for x in 0..<w { pixels[(top + y) * width + left + x] = values[(index * h + y) * w + x] }
            }
        }
        return Tensor(shape: [height, width], scalars: pixels)
    }

    /// The CRC-32 (ISO 3309, as PNG uses) of `bytes`.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        let value = bytes.withUnsafeBufferPointer { buffer in
            CZlib.crc32(0, buffer.baseAddress, uInt(buffer.count))
        }
        return UInt32(truncatingIfNeeded: value)
    }

    private static func deflate(_ raw: [UInt8]) throws(PNGError) -> [UInt8] {
        var capacity = compressBound(uLong(raw.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { out in
            raw.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &capacity, input.baseAddress, uLong(input.count), Z_BEST_COMPRESSION)
            }
        }
        guard status == Z_OK else { throw .compressionFailed(status: status) }
        return Array(output[0..<Int(capacity)])
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        png += bigEndian(UInt32(data.count))
        png += typeBytes
        png += data
        png += bigEndian(crc32(typeBytes + data))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
