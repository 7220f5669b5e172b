import Foundation

/// A fresh empty directory under the system's temporary directory, removed when the value goes away
/// (or by ``cleanup()``): for tests that write files. Shared by every test target.
public final class TemporaryDirectory {
    /// The directory's absolute path.
    public let path: String

    /// The directory as a file URL.
    public var url: URL { URL(fileURLWithPath: path, isDirectory: true) }

    /// Creates `<temp>/<label>-<UUID>`.
    ///
    /// - Throws: Foundation's file errors when the directory cannot be created.
    public init(_ label: String = "tuner-test") throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    /// The path of `name` inside the directory (`name` may hold subfolders).
    public func path(_ name: String) -> String { path + "/" + name }

    /// The same as ``path(_:)``.
    public func file(_ name: String) -> String { path(name) }

    /// Writes `text` as UTF-8 to `name` inside the directory, creating subfolders as needed.
    ///
    /// - Throws: Foundation's file errors.
    public func write(_ name: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path(name))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// The names of the entries in the directory (or a subdirectory), sorted.
    ///
    /// - Throws: Foundation's file errors when the folder cannot be read.
    public func entries(_ subdirectory: String? = nil) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: subdirectory.map(path) ?? path).sorted()
    }

    /// Removes the directory now.
    public func cleanup() { try? FileManager.default.removeItem(atPath: path) }

    deinit { cleanup() }
}
