/// The mean of each window, channel by channel (Keras's `AveragePooling2D`; with `.same` padding
/// only positions inside the input are averaged): `[batch, h, w, c]` →
/// `[batch, h', w', c]`, windows `strides` apart (default: the pool size). Its arguments are
/// ``BasePooling2D``'s.
public final class AveragePooling2D: BasePooling2D, ConfigurationRepresentable {
    /// The pooled input.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` for an input the window does not fit.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        try pooled(input, by: Tensor.avgPool2d)
    }

    /// `"AveragePooling2D"`.
    public static let typeName = "AveragePooling2D"

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` naming the key at fault.
    public convenience init(configuration: Configuration) throws {
        try self.init(sharedConfiguration: configuration, typeName: Self.typeName)
    }
}
