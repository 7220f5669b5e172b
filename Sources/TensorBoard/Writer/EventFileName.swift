import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The name of a new event file, as TensorFlow 2's writer makes it:
/// `events.out.tfevents.<unix seconds>.<hostname>.<pid>.<counter>.v2`. TensorBoard finds event files by
/// the `tfevents` in their names; the counter tells apart the files one process opens in the same second.
enum EventFileName {
    private static let counter = Atomic<Int>(0)

    /// A fresh name for a file opened at `time` (seconds since 1970).
    static func next(time: Double) -> String {
        let number = counter.add(1, ordering: .relaxed).oldValue
        return "events.out.tfevents.\(Int64(time.rounded(.down))).\(hostName()).\(getpid()).\(number).v2"
    }

    /// This machine's name, from `gethostname` (Foundation's `hostName` may ask DNS); "localhost" when unknown.
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // A slash would make it a path; TensorBoard needs none of the name but the `tfevents`.
        let safe = name.replacingSlashes()
        return safe.isEmpty ? "localhost" : safe
    }
}

private extension String {
    func replacingSlashes() -> String { String(map { $0 == "/" ? "_" : $0 }) }
}
