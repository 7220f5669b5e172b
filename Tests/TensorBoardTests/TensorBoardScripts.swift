import Foundation
import Testing
import TestSupport

/// Runs the Python scripts that read our files with TensorBoard itself, in the venv `make tensorboard-venv` makes.
enum TensorBoardScripts {
    /// The venv's python, or a failure saying how to make it (never a skip: `make test` makes it).
    static func python() throws -> String {
        let python = PackagePaths.tensorBoardPython
        try #require(FileManager.default.isExecutableFile(atPath: python),
                     "no TensorBoard virtual environment at \(python): run `make tensorboard-venv` (`make test` does)")
        return python
    }

    /// The JSON object `Scripts/<script>` printed for `arguments`.
    static func run(_ script: String, _ arguments: [String]) async throws -> [String: Any] {
        let python = try python()
        let path = PackagePaths.script(script)
        // Python starts in seconds: on a thread of its own, not one of Swift's few cooperative threads.
        let result = try await onOwnThread { try runProcess(python, [path] + arguments) }
        try #require(result.status == 0, "\(script) failed (\(result.status)): \(result.errors)")
        let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
        return try #require(json as? [String: Any], "not a JSON object: \(result.output)")
    }

    /// What Scripts/tensorboard_hparams.py found in the log folder `folder` (with `serve`, also what a
    /// `tensorboard --logdir folder` server answered on its HTTP data API, the server stopped since).
    static func hparams(_ folder: String, serve: Bool = false) async throws -> HParamsLog {
        HParamsLog(try await run("tensorboard_hparams.py", [folder] + (serve ? ["--serve"] : [])))
    }
}

/// Scripts/tensorboard_hparams.py's output, with typed getters for the tests.
struct HParamsLog {
    let json: [String: Any]

    init(_ json: [String: Any]) { self.json = json }

    var runs: [String] { json["runs"] as? [String] ?? [] }

    /// The parsed plugin data of `run` (`experiment`, `session_start_info`, `session_end_info`), protobuf's JSON mapping.
    func hparams(_ run: String) -> [String: Any] { (json["hparams"] as? [String: Any])?[run] as? [String: Any] ?? [:] }

    var experiment: [String: Any] { hparams(".")["experiment"] as? [String: Any] ?? [:] }

    func sessionStart(_ run: String) -> [String: Any] { hparams(run)["session_start_info"] as? [String: Any] ?? [:] }

    func sessionEnd(_ run: String) -> [String: Any] { hparams(run)["session_end_info"] as? [String: Any] ?? [:] }

    /// The scalar `tag` of `run` as (step, value) pairs.
    func scalars(_ run: String, _ tag: String) -> [(step: Int, value: Double)] {
        let pairs = ((json["scalars"] as? [String: Any])?[run] as? [String: Any])?[tag] as? [[Any]] ?? []
        return pairs.compactMap { pair in
            guard pair.count == 2, let step = pair[0] as? Int, let value = (pair[1] as? String).flatMap(Double.init) else { return nil }
            return (step, value)
        }
    }

    /// The scalar tags of `run`.
    func scalarTags(_ run: String) -> Set<String> {
        Set(((json["scalars"] as? [String: Any])?[run] as? [String: Any])?.keys.map { $0 } ?? [])
    }

    /// What the TensorBoard server answered (with `serve`).
    var http: [String: Any] { json["http"] as? [String: Any] ?? [:] }
}

/// Whether a number read from the scripts' JSON is `expected`: Foundation's JSON parser on Linux may
/// round the last bit of a double that Python printed exactly (0.0016259963947142016 came back as
/// …012), so two units in the last place are allowed; anything the encoding could get wrong (a float32
/// rounding, a wrong field) is far larger.
func sameNumber(_ read: Double?, _ expected: Double?) -> Bool {
    guard let read, let expected else { return read == nil && expected == nil }
    return abs(read - expected) <= 2 * max(abs(read), abs(expected)).ulp
}
