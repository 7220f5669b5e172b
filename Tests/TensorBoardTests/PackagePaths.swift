import Foundation
import TestSupport

/// Paths in the package, found from this file's path (the tests run from any folder).
enum PackagePaths {
    /// The package root (TestSupport's).
    static let root = URL(fileURLWithPath: packageRoot)

    /// A file in Tests/TensorBoardTests/Fixtures/.
    static func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    }

    /// `Scripts/<name>`.
    static func script(_ name: String) -> String { root.appendingPathComponent("Scripts/\(name)").path }

    /// The python of the virtual environment `make tensorboard-venv` makes (Scripts/tensorboard-venv.sh).
    static let tensorBoardPython = root.appendingPathComponent(".build/tensorboard-venv/bin/python").path
}

/// The bytes that `hex` spells ("0a1b" gives [0x0A, 0x1B]); nil for an odd length or a non-hex digit.
func bytes(hex: String) -> [UInt8]? {
    let digits = Array(hex.utf8)
    guard digits.count.isMultiple(of: 2) else { return nil }
    var result = [UInt8]()
    result.reserveCapacity(digits.count / 2)
    for index in stride(from: 0, to: digits.count, by: 2) {
        guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
        result.append(byte)
    }
    return result
}

/// `bytes` as lowercase hex, for readable failures.
func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

