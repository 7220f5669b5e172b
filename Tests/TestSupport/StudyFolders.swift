import Foundation

/// The package root (the folder holding `Package.swift` and `Studies/`), found from this file's path.
public let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A fresh temporary folder for one test (`<temp>/studyfiles-<UUID>`); the test removes it, unlike
/// ``TemporaryDirectory`` which removes itself.
///
/// - Throws: Foundation's file errors when the folder cannot be created.
public func makeTemporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "studyfiles-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Writes `text` as UTF-8 to `path`.
///
/// - Throws: Foundation's file errors.
public func write(_ text: String, to path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}
