import ArgumentParser
import Foundation
import StudyStore
import TunerKit

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
    } catch let error as StudyNameError {
        FileHandle.standardError.write(Data("tuner: \(error.description)\n".utf8))
        throw CommandFailure.usage(error.description).exitCode
    } catch {
        FileHandle.standardError.write(Data("tuner: \(readableMessage(error))\n".utf8))
        throw ExitCode.failure
    }
}

/// A sentence for an error the command did not expect. The library's errors describe themselves;
/// Foundation's file errors would print as `Error Domain=NSCocoaErrorDomain Code=4 ...`, so they give the
/// file and the system's reason instead.
func readableMessage(_ error: any Error) -> String {
    if let reason = FileErrorReason.reason(for: error) {
        return FileErrorReason.path(of: error).map { "\($0): \(reason)" } ?? reason
    }
    // Checked on the type: on Linux every error value converts to NSError, which describes itself as a dump.
    if type(of: error) is any CustomStringConvertible.Type, !(type(of: error) is NSError.Type) { return String(describing: error) }
    if type(of: error) is NSError.Type { return (error as NSError).localizedDescription }
    return "an unexpected error (\(type(of: error))): \(error.localizedDescription)"
}
