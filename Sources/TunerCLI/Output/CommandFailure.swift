import ArgumentParser
import Foundation

/// A failure reported to the user with its exit code: 64 for usage errors (nothing ran), 1 for runs
/// that failed.
enum CommandFailure: Error, CustomStringConvertible {
    /// Bad arguments or an invalid study file.
    case usage(String)
    /// A run that failed.
    case failed(String)

    var description: String {
        switch self {
        case .usage(let message), .failed(let message): return message
        }
    }

    var exitCode: ExitCode {
        switch self {
        case .usage: return ExitCode(64)
        case .failed: return ExitCode.failure
        }
    }
}

/// Runs a command's body, printing a `CommandFailure` (or any other error) to standard error and
/// exiting with its code, so messages are the library's own, without a usage banner.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as CommandFailure {
        FileHandle.standardError.write(Data("tuner: \(failure.description)\n".utf8))
        throw failure.exitCode
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("tuner: \(error)\n".utf8))
        throw ExitCode.failure
    }
}
