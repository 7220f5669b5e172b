import Foundation
import Neural
import Testing

/// Configuration round trips of the normalization, activation and noise layers through
/// ``ObjectRegistry/shared``: serialize, rebuild by class name, same configuration.
@Suite struct NewLayerConfigurationTests {
    private func roundTrip(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) throws -> Layer {
        let saved = serialize(layer)
        // Through JSON text too, as a saved model would go.
        let text = try JSONEncoder().encode(saved)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: text)
        let rebuilt = try #require(try deserializeOptional(decoded, as: Layer.self), sourceLocation: sourceLocation)
        #expect(type(of: rebuilt) == type(of: layer), sourceLocation: sourceLocation)
        #expect(rebuilt.configuration == layer.configuration, sourceLocation: sourceLocation)
        return rebuilt
    }

    @Test func everyNewLayerIsRegistered() {
        for name in ["BatchNormalization", "LayerNormalization", "Normalization", "Activation", "LeakyReLU", "ReLU",
                     "GaussianNoise", "GaussianDropout", "AlphaDropout"] {
            #expect(ObjectRegistry.shared.contains(name), "\(name)")
        }
        #expect(ActivationLayer.typeName == "Activation")
    }

    @Test func batchNormalizationRoundTrip() throws {
        let layer = BatchNormalization(
            axis: 1, momentum: 0.9, epsilon: 0.01, center: false, gammaInitializer: Constant(2),
            movingVarianceInitializer: Constant(3), gammaRegularizer: L2(0.01), gammaConstraint: NonNeg(), name: "bn")
        layer.trainable = false
        let rebuilt = try #require(try roundTrip(layer) as? BatchNormalization)
        #expect(rebuilt.momentum == 0.9 && rebuilt.epsilon == 0.01 && !rebuilt.center && rebuilt.scale && !rebuilt.trainable)
        #expect(Set(layer.configuration.keys) == [
            "name", "trainable", "axis", "momentum", "epsilon", "center", "scale", "beta_initializer",
            "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer", "beta_regularizer",
            "gamma_regularizer", "beta_constraint", "gamma_constraint", "synchronized",
        ])
        #expect(layer.configuration["momentum"] == .double(0.9))
        _ = try roundTrip(BatchNormalization())
        // Keras's minimal configuration: the defaults fill in.
        let minimal = try #require(try deserializeOptional(
            .object(["class_name": "BatchNormalization", "config": ["name": "bn2"]]), as: Layer.self) as? BatchNormalization)
        #expect(minimal.axis == -1 && minimal.momentum == 0.99 && minimal.epsilon == 1e-3 && minimal.name == "bn2")
    }

    @Test func layerNormalizationRoundTrip() throws {
        let rebuilt = try #require(try roundTrip(LayerNormalization(axis: [1, 2], epsilon: 1e-5, rmsScaling: true)) as? LayerNormalization)
        #expect(rebuilt.axis == [1, 2] && rebuilt.rmsScaling && rebuilt.epsilon == 1e-5)
        let single = LayerNormalization()
        #expect(single.configuration["axis"] == .int(-1))
        _ = try roundTrip(single)
    }

    @Test func normalizationRoundTrip() throws {
        let adapted = Normalization(name: "norm")
        try adapted.adapt(Tensor([[1, 2], [3, 4]]))
        #expect(adapted.configuration["mean"] == .null)
        #expect(adapted.configuration["axis"] == .array([.int(-1)]))
        _ = try roundTrip(adapted)

        let fixed = Normalization(mean: Tensor([1, 2]), variance: Tensor([4, 9]), invert: true)
        #expect(fixed.configuration["mean"] == .array([.double(1), .double(2)]))
        let rebuilt = try #require(try roundTrip(fixed) as? Normalization)
        expectClose(try rebuilt(Tensor([[1, 1]])), [3, 5])

        let scalar = try #require(try roundTrip(Normalization(mean: Tensor(3), variance: Tensor(2), axis: nil)) as? Normalization)
        #expect(scalar.axis == nil)
        expectClose(try scalar(Tensor([1, 2, 3])), [-1.4142135, -0.70710677, 0])
        // A configuration with only one of mean and variance is rejected.
        #expect(throws: ConfigurationError.self) {
            _ = try Normalization(configuration: ["mean": .array([1, 2])])
        }
    }

    @Test func activationAndNoiseRoundTrips() throws {
        let activation = try #require(try roundTrip(ActivationLayer(.leakyRelu(alpha: 0.1))) as? ActivationLayer)
        #expect(activation.activation == .leakyRelu(alpha: 0.1))
        #expect(ActivationLayer(.relu).configuration["activation"] == .string("relu"))
        let relu = try #require(try roundTrip(ReLU(maxValue: 6, negativeSlope: 0.1, threshold: 0.5)) as? ReLU)
        #expect(relu.maxValue == 6 && relu.negativeSlope == 0.1 && relu.threshold == 0.5)
        #expect(try #require(try roundTrip(ReLU()) as? ReLU).maxValue == nil)

        let leaky = LeakyReLU(negativeSlope: 0.25)
        #expect(leaky.configuration["negative_slope"] == .double(0.25))
        #expect(try #require(try roundTrip(leaky) as? LeakyReLU).negativeSlope == 0.25)
        let kerasTwo = try LeakyReLU(configuration: ["alpha": 0.2])
        #expect(kerasTwo.negativeSlope == 0.2)

        let noise = try #require(try roundTrip(GaussianNoise(stddev: 0.2, seed: 42)) as? GaussianNoise)
        #expect(noise.stddev == 0.2 && noise.seed == 42)
        #expect(try #require(try roundTrip(GaussianNoise(stddev: 0.2)) as? GaussianNoise).seed == nil)
        #expect(try #require(try roundTrip(GaussianDropout(rate: 0.3, seed: 1)) as? GaussianDropout).rate == 0.3)
        let alpha = try #require(try roundTrip(AlphaDropout(rate: 0.1, noiseShape: [nil, 1], seed: 2)) as? AlphaDropout)
        #expect(alpha.noiseShape == [nil, 1])
        #expect(throws: ConfigurationError.self) { _ = try GaussianNoise(configuration: [:]) }
    }

    @Test func sequentialWithTheNewLayersRoundTrips() throws {
        let model = Sequential([
            Normalization(inputShape: [4]), Dense(units: 8), BatchNormalization(), LeakyReLU(),
            LayerNormalization(), GaussianNoise(stddev: 0.1), ActivationLayer(.tanh), Dense(units: 1),
        ])
        let rebuilt = try #require(try deserializeOptional(serialize(model), as: Layer.self) as? Sequential)
        #expect(rebuilt.layers.map { String(describing: type(of: $0)) } == model.layers.map { String(describing: type(of: $0)) })
        #expect(rebuilt.configuration == model.configuration)
    }
}

/// A Dense layer saved with non-default initializers, regularizers and constraints loads again.
@Suite struct DenseConfigurationTests {
    @Test func nonDefaultObjectsRoundTrip() throws {
        let layer = Dense(units: 3, activation: .elu(), kernelInitializer: HeNormal(), biasInitializer: Constant(0.5),
                          kernelRegularizer: L2(0.02), kernelConstraint: MaxNorm(maxValue: 1.5))
        let configuration = layer.configuration
        let rebuilt = try Dense(configuration: configuration)
        #expect(rebuilt.configuration == configuration)
        #expect(rebuilt.kernelInitializer is HeNormal)
        #expect(rebuilt.biasInitializer is Constant)
        #expect(rebuilt.kernelRegularizer is L2)
        #expect(rebuilt.kernelConstraint is MaxNorm)
    }
}
