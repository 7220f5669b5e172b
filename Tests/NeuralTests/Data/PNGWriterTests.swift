import CZlib
import Foundation
import Neural
import Testing
import TestSupport

/// The PNG writer: chunk layout and CRCs, and pixels read back by inflating the IDAT with zlib.
@Suite struct PNGWriterTests {
    /// The chunks of a PNG file: (type, data), after checking each CRC.
    private func chunks(_ png: [UInt8]) throws -> [(String, [UInt8])] {
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var result: [(String, [UInt8])] = []
        var offset = 8
        func word(_ at: Int) -> Int { png[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        while offset + 12 <= png.count {
            let length = word(offset)
            let type = String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let data = Array(png[(offset + 8)..<(offset + 8 + length)])
            let crc = word(offset + 8 + length)
            #expect(UInt32(crc) == PNGWriter.crc32(Array(type.utf8) + data), "CRC of \(type)")
            result.append((type, data))
            offset += 12 + length
        }
        #expect(offset == png.count)
        return result
    }

    private func inflate(_ data: [UInt8], expected: Int) -> [UInt8] {
        var length = uLong(expected)
        var output = [UInt8](repeating: 0, count: expected)
        let status = output.withUnsafeMutableBufferPointer { out in
            data.withUnsafeBufferPointer { uncompress(out.baseAddress, &length, $0.baseAddress, uLong($0.count)) }
        }
        #expect(status == Z_OK && Int(length) == expected)
        return output
    }

    @Test func grayscaleRoundTripThroughZlib() throws {
        let (width, height) = (5, 3)
        let pixels: [UInt8] = (0..<(width * height)).map { UInt8($0 * 17) }
        let png = try PNGWriter.encode(grayscale: pixels, width: width, height: height)
        let parts = try chunks(png)
        #expect(parts.map(\.0) == ["IHDR", "IDAT", "IEND"])
        #expect(parts[0].1 == [0, 0, 0, 5, 0, 0, 0, 3, 8, 0, 0, 0, 0])
        #expect(parts[2].1.isEmpty)
        let raw = inflate(parts[1].1, expected: height * (width + 1))
        for row in 0..<height {
            #expect(raw[row * (width + 1)] == 0, "row \(row) filter")
            #expect(Array(raw[(row * (width + 1) + 1)..<((row + 1) * (width + 1))]) == Array(pixels[(row * width)..<((row + 1) * width)]))
        }
        // The standard check value of CRC-32.
        #expect(PNGWriter.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func tensorImagesAndGrids() throws {
        let directory = try TemporaryDirectory()
        let image = Tensor(shape: [2, 2, 1], scalars: [0, 1, 0.5, 2])
        let path = directory.file("image.png")
        try PNGWriter.write(grayscale: image, to: path)
        let png = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let parts = try chunks(png)
        #expect(inflate(parts[1].1, expected: 6) == [0, 0, 255, 0, 128, 255])

        let grid = try PNGWriter.grid(Tensor(ones: [3, 2, 2]), columns: 2, spacing: 1)
        #expect(grid.shape == [7, 7])
        #expect(grid.scalars.reduce(0, +) == 12)
        #expect(throws: PNGError.self) { try PNGWriter.encode(grayscale: [1, 2, 3], width: 2, height: 2) }
        #expect(throws: PNGError.self) { try PNGWriter.write(grayscale: Tensor(zeros: [2, 2, 3]), to: path) }
        #expect(throws: PNGError.self) { try PNGWriter.write(grayscale: image, to: directory.file("missing/dir/x.png")) }
    }
}
