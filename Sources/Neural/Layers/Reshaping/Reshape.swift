/// Reshapes each sample to `targetShape` (one `-1` allowed): Keras's `Reshape`.
public final class Reshape: Layer, ConfigurationRepresentable {
    /// The shape of one sample after the layer.
    public let targetShape: [Int]

    /// Creates the layer.
    public init(_ targetShape: [Int], inputShape: [Int]? = nil, name: String? = nil) {
        self.targetShape = targetShape
        super.init(name: name, inputShape: inputShape)
    }

    /// Checks that the sample size matches the target shape.
    /// - Throws: ``LayerError`` when it cannot.
    public override func build(inputShape: [Int]) throws {
        _ = try resolvedShape(for: inputShape)
    }

    /// `[batch, ...]` → `[batch] + targetShape`.
    /// - Throws: ``LayerError/incompatibleInput(layer:expected:got:)`` when the sizes differ.
    public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        input.reshaped(to: try resolvedShape(for: input.shape))
    }

    private func resolvedShape(for inputShape: [Int]) throws -> [Int] {
        guard let batch = inputShape.first else {
            throw LayerError.incompatibleInput(layer: name, expected: "[batch, ...]", got: inputShape)
        }
        let sampleSize = inputShape.dropFirst().reduce(1, *)
        let known = targetShape.filter { $0 != -1 }.reduce(1, *)
        let unknowns = targetShape.filter { $0 == -1 }.count
        guard unknowns <= 1, targetShape.allSatisfy({ $0 > 0 || $0 == -1 }), known > 0,
              unknowns == 1 ? sampleSize % known == 0 : sampleSize == known else {
            throw LayerError.incompatibleInput(layer: name, expected: "samples of \(known) values to reshape to \(targetShape)", got: inputShape)
        }
        return [batch] + targetShape.map { $0 == -1 ? sampleSize / known : $0 }
    }

    /// `"Reshape"`.
    public static let typeName = "Reshape"

    /// The target shape.
    public override var configuration: Configuration {
        var configuration = super.configuration
        configuration["target_shape"] = .array(targetShape.map { .int($0) })
        return configuration
    }

    /// Rebuilds a saved layer.
    /// - Throws: ``ConfigurationError`` without a target shape.
    public convenience init(configuration: Configuration) throws {
        guard let shape = configuration["target_shape"]?.arrayValue?.compactMap(\.intValue) else {
            throw ConfigurationError.missingKey(type: Self.typeName, key: "target_shape")
        }
        self.init(shape, name: configuration["name"]?.stringValue)
    }
}
