/// Why a model could not be built from its template for a trial's hyperparameters: where in the
/// file (`model[2].dense`) and what the layer or model said.
public struct ModelBuildError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The template item at fault (`model[2].dense`, `model.nodes[1]`).
    public var keyPath: String
    /// What went wrong.
    public var message: String
    /// The argument at fault, when known (`units`).
    public var argument: String?

    /// An error at `keyPath`.
    public init(keyPath: String, message: String, argument: String? = nil) {
        self.keyPath = keyPath
        self.message = message
        self.argument = argument
    }

    /// `model[2].dense.units: Dense: 'units' should be an integer, found "abc"`.
    public var description: String {
        let path = argument.map { "\(keyPath).\($0)" } ?? keyPath
        return "\(path): \(message)"
    }
}
