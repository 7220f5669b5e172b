import Foundation

/// A fresh empty directory under the system's temporary directory, removed when released (or by
/// ``cleanup()``): for tests that write files.
final class TemporaryDirectory {
    let path: String

    init(_ label: String = "tuner-test") throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    /// `path/name`.
    func file(_ name: String) -> String { path + "/" + name }

    /// The names of the entries in the directory (or a subdirectory), sorted.
    func entries(_ subdirectory: String? = nil) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: subdirectory.map(file) ?? path).sorted()
    }

    /// Removes the directory now.
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }

    deinit { cleanup() }
}
