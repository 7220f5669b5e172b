/// Joins its inputs along an axis (the last by default): Keras's `Concatenate`, the joint of
/// seed 002's Wide & Deep model.
public final class Concatenate: Layer, ConfigurationRepresentable {
    /// The axis to join along; negative counts from the end.
    public let axis: Int

    /// Creates the layer.
    public init(axis: Int = -1, name: String? = nil) {
        self.axis = axis
        super.init(name: name)
    }

    /// Joins the inputs.
    /// - Throws: ``LayerError`` for fewer than two inputs or shapes that differ off the axis.
    public override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
        guard inputs.count >= 2 else { throw LayerError.wrongInputCount(layer: name, expected: "2 or more", got: inputs.count) }
        do {
            _ = try Tensor.validatedConcatenation(of: inputs.map(\.shape), alongAxis: axis)
        } catch {
            throw LayerError.invalidArgument(layer: name, message: error.description)
        }
        return Tensor(concatenating: inputs, alongAxis: axis)
    }

    /// `"Concatenate"`.
    public static let typeName = "Concatenate"

    /// The axis.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["axis"] = .int(axis)
        return configuration
    }

    /// Rebuilds a saved layer.
    public convenience init(configuration: Configuration) throws {
        self.init(axis: configuration["axis"]?.intValue ?? -1, name: configuration["name"]?.stringValue)
    }
}
