/// The mean over all positions, per channel (Keras's `GlobalAveragePooling2D`):
/// `[batch, h, w, c]` → `[batch, c]`, or `[batch, 1, 1, c]` with `keepDims`.
public final class GlobalAveragePooling2D: BaseGlobalPooling2D, ConfigurationRepresentable {
    /// The per-channel means.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` unless the input is rank 4.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try pooled(input, by: Tensor.globalAvgPool2d)
    }

    /// `"GlobalAveragePooling2D"`.
    public static let typeName = "GlobalAveragePooling2D"

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` for `channels_first`.
    public convenience init(configuration: Configuration) throws {
        try self.init(sharedConfiguration: configuration, typeName: Self.typeName)
    }
}
