import Foundation

/// Foundation's file errors in words. Printed as they are they read
/// `Error Domain=NSCocoaErrorDomain Code=512 "(null)" UserInfo={...}`; users need the file and the
/// system's reason ("Not a directory").
public enum FileErrorReason {
    /// The system's reason for a Foundation file error (`CocoaError`, `POSIXError`, an `NSError` of the
    /// POSIX domain), or nil for any other error.
    public static func reason(for error: any Error) -> String? {
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        guard type(of: error) is NSError.Type || error is CocoaError else { return nil }
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        guard nsError.domain == NSCocoaErrorDomain else { return nil }
        // The underlying error is a Swift `POSIXError` on Linux, an `NSError` elsewhere.
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? any Error, let reason = reason(for: underlying) {
            return reason
        }
        switch CocoaError.Code(rawValue: nsError.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "No such file or directory"
        case .fileReadNoPermission, .fileWriteNoPermission: return "Permission denied"
        case .fileWriteOutOfSpace: return "No space left on device"
        case .fileWriteVolumeReadOnly: return "Read-only file system"
        case .fileWriteFileExists: return "File exists"
        case .fileReadCorruptFile: return "the file is damaged or not in the expected format"
        case .fileReadInapplicableStringEncoding, .fileWriteInapplicableStringEncoding: return "the text is not valid UTF-8"
        default: return "the file operation failed (Foundation error \(nsError.code))"
        }
    }

    /// The file a Foundation error names, if any.
    public static func path(of error: any Error) -> String? {
        guard type(of: error) is NSError.Type || error is CocoaError else { return nil }
        let userInfo = (error as NSError).userInfo
        return userInfo[NSFilePathErrorKey] as? String ?? (userInfo[NSURLErrorKey] as? URL)?.path
    }
}
