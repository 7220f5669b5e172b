import Neural

/// Seed 000's `MyDense` with its `get_config`: a custom layer that saves its arguments. Registered
/// only in the registries the tests pass to `load` (never in the shared one), so that loading
/// without it shows the "unknown class" error.
final class SavingMyDense: Layer, ConfigurationRepresentable {
    static let typeName = "SavingMyDense"
    let units: Int
    let activation: Activation
    var kernel: Variable?
    var bias: Variable?

    init(units: Int, activation: Activation = .linear, name: String? = nil) {
        self.units = units
        self.activation = activation
        super.init(name: name)
    }

    convenience init(configuration: Configuration) throws {
        self.init(units: try configuration.int("units", in: Self.typeName),
                  activation: try Activation(identifier: configuration["activation"] ?? .null),
                  name: configuration["name"]?.stringValue)
    }

    override func build(inputShape: [Int]) throws {
        kernel = addWeight(name: "kernel", shape: [inputShape.last ?? 1, units], initializer: GlorotNormal())
        bias = addWeight(name: "bias", shape: [units], initializer: Zeros())
    }

    override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        guard let kernel, let bias else { throw LayerError.notBuilt(layer: name, what: "call") }
        return activation(matmul(input, kernel.value) + bias.value)
    }

    override var configuration: Configuration {
        var configuration = super.configuration
        configuration["units"] = .int(units)
        configuration["activation"] = activation.identifier
        return configuration
    }
}

/// Seed 000's `ResidualBlock`, with `get_config`.
final class SavingResidualBlock: Layer, ConfigurationRepresentable {
    static let typeName = "SavingResidualBlock"
    let layerCount: Int
    let neurons: Int
    let hidden: [Dense]

    init(layerCount: Int, neurons: Int, name: String? = nil) {
        self.layerCount = layerCount
        self.neurons = neurons
        hidden = (0..<layerCount).map { _ in Dense(units: neurons, activation: .relu, kernelInitializer: HeNormal()) }
        super.init(name: name)
    }

    convenience init(configuration: Configuration) throws {
        self.init(layerCount: try configuration.int("n_layers", in: Self.typeName),
                  neurons: try configuration.int("n_neurons", in: Self.typeName),
                  name: configuration["name"]?.stringValue)
    }

    override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        var z = input
        for layer in hidden { z = try layer(z, training: training) }
        return input + z
    }

    override var configuration: Configuration {
        var configuration = super.configuration
        configuration["n_layers"] = .int(layerCount)
        configuration["n_neurons"] = .int(neurons)
        return configuration
    }
}

/// Seed 000's `ResidualRegressor` with `get_config`: a subclassed model that saves whole.
final class SavingResidualRegressor: Model, ConfigurationRepresentable {
    static let typeName = "SavingResidualRegressor"
    let outputDimension: Int
    let hidden1 = Dense(units: 30, activation: .relu, kernelInitializer: HeNormal())
    let block1 = SavingResidualBlock(layerCount: 2, neurons: 30)
    let block2 = SavingResidualBlock(layerCount: 2, neurons: 30)
    let out: Dense

    init(outputDimension: Int, name: String? = nil) {
        self.outputDimension = outputDimension
        out = Dense(units: outputDimension)
        super.init(name: name)
    }

    convenience init(configuration: Configuration) throws {
        self.init(outputDimension: try configuration.int("output_dim", in: Self.typeName), name: configuration["name"]?.stringValue)
    }

    override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        var z = try hidden1(input, training: training)
        for _ in 0..<(1 + 3) { z = try block1(z, training: training) }
        z = try block2(z, training: training)
        return try out(z, training: training)
    }

    override var configuration: Configuration {
        var configuration = super.configuration
        configuration["output_dim"] = .int(outputDimension)
        return configuration
    }
}

/// The same model without a configuration: it cannot be saved whole, only its weights.
final class PlainResidualRegressor: Model {
    let hidden1 = Dense(units: 30, activation: .relu, kernelInitializer: HeNormal())
    let blocks = [SavingResidualBlock(layerCount: 2, neurons: 30), SavingResidualBlock(layerCount: 2, neurons: 30)]
    let out = Dense(units: 1)

    override func call(_ input: Tensor, training: Bool) throws -> Tensor {
        var z = try hidden1(input, training: training)
        for _ in 0..<(1 + 3) { z = try blocks[0](z, training: training) }
        z = try blocks[1](z, training: training)
        return try out(z, training: training)
    }
}

/// Seed 001's `CustomModel`: a functional model with its own `trainStep`, saved as its own class.
final class SavingCustomFunctional: Functional, ConfigurationRepresentable {
    static let typeName = "SavingCustomFunctional"
    private(set) var customSteps = 0

    override func trainStep(_ batch: TrainingBatch) throws -> Logs {
        customSteps += 1
        return try super.trainStep(batch)
    }
}
