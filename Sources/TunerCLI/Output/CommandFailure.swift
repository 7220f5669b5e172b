import ArgumentParser
import Foundation
import StudyStore

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
    if let cocoa = error as? CocoaError {
        let path = cocoa.filePath ?? cocoa.url?.path
        let underlying = (cocoa.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { nsError -> String? in
            nsError.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32(nsError.code))) : nil
        }
        let reason = underlying ?? cocoaReason(cocoa.code)
        return path.map { "\($0): \(reason)" } ?? reason
    }
    if let posix = error as? POSIXError {
        return String(cString: strerror(posix.code.rawValue))
    }
    if type(of: error) is NSError.Type {
        let nsError = error as NSError
        let path = nsError.userInfo[NSFilePathErrorKey] as? String
        let reason = nsError.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32(nsError.code))) : nsError.localizedDescription
        return path.map { "\($0): \(reason)" } ?? reason
    }
    // Checked on the type: on Linux every error value converts to NSError, which describes itself as a dump.
    if type(of: error) is any CustomStringConvertible.Type { return String(describing: error) }
    return "an unexpected error (\(type(of: error))): \(error.localizedDescription)"
}

/// Foundation's file error codes in words, for errors that carry no system error.
private func cocoaReason(_ code: CocoaError.Code) -> String {
    switch code {
    case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
    case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
    case .fileWriteOutOfSpace: return "the disk is full"
    case .fileWriteVolumeReadOnly: return "the file system is read-only"
    case .fileWriteFileExists: return "a file is already there"
    case .fileReadCorruptFile: return "the file is damaged or not in the expected format"
    case .fileReadInapplicableStringEncoding, .fileWriteInapplicableStringEncoding: return "the text is not valid UTF-8"
    default: return "the file operation failed (Foundation error \(code.rawValue))"
    }
}
