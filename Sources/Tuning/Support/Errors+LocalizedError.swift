import Foundation

extension HyperParameterError: LocalizedError {
    /// The same text as `description`, for code that shows `localizedDescription`.
    public var errorDescription: String? { description }
}

extension OracleError: LocalizedError {
    /// The same text as `description`, for code that shows `localizedDescription`.
    public var errorDescription: String? { description }
}
