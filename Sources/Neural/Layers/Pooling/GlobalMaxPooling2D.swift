/// The maximum over all positions, per channel (Keras's `GlobalMaxPooling2D`):
/// `[batch, h, w, c]` → `[batch, c]`, or `[batch, 1, 1, c]` with `keepDims`.
public final class GlobalMaxPooling2D: BaseGlobalPooling2D, ConfigurationRepresentable {
    /// The per-channel maxima.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` unless the input is rank 4.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try pooled(input, by: Tensor.globalMaxPool2d)
    }

    /// `"GlobalMaxPooling2D"`.
    public static let typeName = "GlobalMaxPooling2D"

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` for `channels_first`.
    public convenience init(configuration: Configuration) throws {
        try self.init(sharedConfiguration: configuration, typeName: Self.typeName)
    }
}
