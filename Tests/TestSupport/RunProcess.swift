import Foundation

/// Runs `executable` with `arguments` and returns its exit status, standard output and standard error.
/// Standard error is read on a thread of its own, so that neither pipe fills up while the other is read.
///
/// - Throws: Foundation's error when the program cannot be started.
public func runProcess(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let errorText = SetOnce("")
    let reader = Thread { errorText.set(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)) }
    reader.start()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text, errorText.waitForValue())
}

/// A string set once by another thread.
private final class SetOnce: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: String
    private var isSet = false

    init(_ value: String) { self.value = value }

    func set(_ newValue: String) {
        condition.lock()
        value = newValue
        isSet = true
        condition.broadcast()
        condition.unlock()
    }

    func waitForValue() -> String {
        condition.lock()
        defer { condition.unlock() }
        while !isSet { condition.wait() }
        return value
    }
}
