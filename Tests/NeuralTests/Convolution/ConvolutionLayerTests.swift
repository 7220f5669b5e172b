import Foundation
import Neural
import Testing
import TestSupport

/// The convolution, pooling and upsampling layers: Keras arguments and configurations, shape
/// inference in `Sequential`, gradients with respect to their weights, training and saving a CNN.
@Suite struct ConvolutionLayerTests {
    private func roundTrip(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) throws -> Layer {
        let text = try JSONEncoder().encode(serialize(layer))
        let decoded = try JSONDecoder().decode(JSONValue.self, from: text)
        let rebuilt = try #require(try deserializeOptional(decoded, as: Layer.self), sourceLocation: sourceLocation)
        #expect(type(of: rebuilt) == type(of: layer), sourceLocation: sourceLocation)
        #expect(rebuilt.configuration == layer.configuration, sourceLocation: sourceLocation)
        return rebuilt
    }

    private func layer(_ className: String, _ config: Configuration) throws -> Layer? {
        try deserializeOptional(.object(["class_name": .string(className), "config": .object(config)]), as: Layer.self)
    }

    @Test func everyLayerIsRegistered() {
        for name in ["Conv2D", "Conv2DTranspose", "MaxPooling2D", "AveragePooling2D", "GlobalMaxPooling2D",
                     "GlobalAveragePooling2D", "UpSampling2D"] {
            #expect(ObjectRegistry.shared.contains(name), "\(name)")
        }
    }

    @Test func conv2DConfiguration() throws {
        let conv = Conv2D(filters: 32, kernelSize: [3, 5], strides: 2, padding: .same, activation: .relu,
                          useBias: false, kernelInitializer: HeNormal(), kernelRegularizer: L2(0.01),
                          kernelConstraint: MaxNorm(maxValue: 2), name: "c1")
        let rebuilt = try #require(try roundTrip(conv) as? Conv2D)
        #expect(rebuilt.filters == 32 && rebuilt.kernelSize == Size2D(3, 5) && rebuilt.strides == 2 && !rebuilt.useBias)
        #expect(rebuilt.padding == .same && rebuilt.kernelRegularizer != nil && rebuilt.kernelConstraint != nil)
        #expect(Set(conv.configuration.keys) == [
            "name", "trainable", "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
            "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
            "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint",
        ])
        #expect(conv.configuration["kernel_size"] == [3, 5])
        #expect(conv.configuration["strides"] == [2, 2])
        #expect(conv.configuration["padding"] == "same")
        #expect(conv.configuration["activation"] == "relu")
        // Keras's minimal form: defaults fill in; an integer kernel size means square.
        let minimal = try #require(try layer("Conv2D", ["filters": 8, "kernel_size": 3]) as? Conv2D)
        #expect(minimal.kernelSize == Size2D(3, 3) && minimal.strides == 1 && minimal.padding == .valid
                && minimal.dilationRate == 1 && minimal.useBias)
        // What is not supported is refused with the key named.
        #expect(throws: ConfigurationError.self) { try layer("Conv2D", ["filters": 8, "kernel_size": 3, "padding": "causal"]) }
        #expect(throws: ConfigurationError.self) { try layer("Conv2D", ["filters": 8, "kernel_size": 3, "groups": 2]) }
        #expect(throws: ConfigurationError.self) {
            try layer("Conv2D", ["filters": 8, "kernel_size": 3, "data_format": "channels_first"])
        }
        #expect(throws: ConfigurationError.self) { try layer("Conv2D", ["filters": 8, "kernel_size": [3, 3, 3]]) }
        #expect(throws: ConfigurationError.self) { try layer("Conv2D", ["filters": 8]) }
    }

    @Test func otherLayerConfigurations() throws {
        let transpose = try #require(try roundTrip(
            Conv2DTranspose(filters: 16, kernelSize: 4, strides: 2, padding: .same, activation: .sigmoid)) as? Conv2DTranspose)
        #expect(transpose.filters == 16 && transpose.kernelSize == 4 && transpose.strides == 2)
        #expect(transpose.configuration["output_padding"] == .null)
        #expect(throws: ConfigurationError.self) {
            try layer("Conv2DTranspose", ["filters": 8, "kernel_size": 3, "output_padding": [1, 1]])
        }
        let pool = try #require(try roundTrip(MaxPooling2D(poolSize: 3, strides: 2, padding: .same)) as? MaxPooling2D)
        #expect(pool.poolSize == 3 && pool.strides == 2 && pool.padding == .same)
        #expect(Set(pool.configuration.keys) == ["name", "trainable", "pool_size", "strides", "padding", "data_format"])
        // Strides default to the pool size, in Swift and in a Keras configuration.
        #expect(MaxPooling2D(poolSize: [2, 3]).strides == Size2D(2, 3))
        let keras = try #require(try layer("AveragePooling2D", ["pool_size": [2, 2], "strides": nil]) as? AveragePooling2D)
        #expect(keras.strides == 2)
        _ = try roundTrip(AveragePooling2D(padding: .same))
        let global = try #require(try roundTrip(GlobalMaxPooling2D(keepDims: true)) as? GlobalMaxPooling2D)
        #expect(global.keepDims)
        _ = try roundTrip(GlobalAveragePooling2D())
        let up = try #require(try roundTrip(UpSampling2D(size: [2, 3])) as? UpSampling2D)
        #expect(up.size == Size2D(2, 3))
        #expect(throws: ConfigurationError.self) { try layer("UpSampling2D", ["size": 2, "interpolation": "bilinear"]) }
    }

    /// The benchmark's CNN: shapes and parameter counts as Keras's summary shows them.
    @Test func sequentialInfersShapes() throws {
        let model = Sequential([
            Input(shape: [28, 28, 1]),
            Conv2D(filters: 32, kernelSize: 3, activation: .relu),
            MaxPooling2D(poolSize: 2),
            Conv2D(filters: 64, kernelSize: 3, activation: .relu),
            MaxPooling2D(poolSize: 2),
            Flatten(),
            Dense(units: 128, activation: .relu),
            Dense(units: 10, activation: .softmax()),
        ])
        #expect(model.layers.dropFirst().map { $0.outputShape ?? [] } == [
            [26, 26, 32], [13, 13, 32], [11, 11, 64], [5, 5, 64], [1600], [128], [10],
        ])
        #expect(model.layers.dropFirst().map(\.parameterCount) == [320, 0, 18496, 0, 0, 204_928, 1290])
        #expect(model.parameterCount == 225_034)

        let generator = Sequential([
            Input(shape: [4]),
            Dense(units: 3 * 3 * 8), Reshape([3, 3, 8]),
            Conv2DTranspose(filters: 8, kernelSize: 4, strides: 2, padding: .same),
            UpSampling2D(size: 2),
            Conv2D(filters: 2, kernelSize: 3, strides: 2, padding: .same, dilationRate: 1),
            AveragePooling2D(poolSize: 2, padding: .same),
            GlobalAveragePooling2D(),
        ])
        #expect(generator.layers.dropFirst().map { $0.outputShape ?? [] } == [[72], [3, 3, 8], [6, 6, 8], [12, 12, 8], [6, 6, 2], [3, 3, 2], [2]])
        // Conv2DTranspose's kernel is [kh, kw, filters, inputChannels], as in Keras.
        #expect((generator.layers[3] as? Conv2DTranspose)?.kernel?.shape == [4, 4, 8, 8])
    }

    @Test func conv2DLayerComputesTheFusedOp() throws {
        let conv = Conv2D(filters: 3, kernelSize: 3, strides: 2, padding: .same, activation: .relu)
        let elu = Conv2D(filters: 3, kernelSize: 2, activation: .elu())
        let x = randomTensor([2, 5, 5, 2], seed: 31)
        let y = try conv(x)
        SavingTestSupport.setWeights(of: conv, seed: 3)
        let kernel = try #require(conv.kernel).value, bias = try #require(conv.bias).value
        let expected = (Tensor.conv2d(x, filter: kernel, strides: 2, padding: .same) + bias).relu()
        #expect(y.shape == [2, 3, 3, 3])
        expectClose(try conv(x), expected.scalars, shape: [2, 3, 3, 3])
        let z = try elu(x)
        let zKernel = try #require(elu.kernel).value
        expectClose(z, Tensor.conv2d(x, filter: zKernel).elu().scalars, shape: [2, 4, 4, 3])
    }

    @Test func layerErrorsNameTheLayer() throws {
        let conv = Conv2D(filters: 4, kernelSize: 5, name: "big")
        #expect(throws: LayerError.self) { try conv(Tensor(zeros: [1, 3, 8, 1])) }
        let built = Conv2D(filters: 4, kernelSize: 3)
        _ = try built(Tensor(zeros: [1, 5, 5, 2]))
        #expect(throws: LayerError.self) { try built(Tensor(zeros: [1, 5, 5, 3])) }
        #expect(throws: LayerError.self) { try built(Tensor(zeros: [5, 5, 2])) }
        #expect(throws: LayerError.self) { try Conv2D(filters: 4, kernelSize: 3, strides: 2, dilationRate: 2)(Tensor(zeros: [1, 9, 9, 1])) }
        #expect(throws: LayerError.self) { try Conv2D(filters: 0, kernelSize: 3)(Tensor(zeros: [1, 9, 9, 1])) }
        #expect(throws: LayerError.self) { try MaxPooling2D(poolSize: 4)(Tensor(zeros: [1, 3, 3, 1])) }
        #expect(throws: LayerError.self) { try GlobalMaxPooling2D()(Tensor(zeros: [1, 3, 3])) }
        do {
            _ = try conv(Tensor(zeros: [1, 3, 8, 1]))
        } catch let error as LayerError {
            #expect(error.description.contains("'big'") && error.description.contains("[1, 3, 8, 1]"))
        }
    }

    @Test func weightGradients() throws {
        let x = randomTensor([2, 5, 4, 2], seed: 32)
        let conv = Conv2D(filters: 3, kernelSize: [3, 2], strides: 2, padding: .same, activation: .tanh)
        _ = try conv(x)
        SavingTestSupport.setWeights(of: conv, seed: 4)
        try checkVariableGradients(conv.weights) { try conv(x) }
        let transpose = Conv2DTranspose(filters: 2, kernelSize: 3, strides: 2, padding: .valid, activation: .sigmoid)
        _ = try transpose(x)
        SavingTestSupport.setWeights(of: transpose, seed: 5)
        try checkVariableGradients(transpose.weights) { try transpose(x) }
    }

    /// Vertical bars against horizontal bars, 8 × 8 with noise: a small CNN learns them with `fit`.
    private static func bars(count: Int, seed: UInt64) -> (Tensor, Tensor) {
        var generator = SeededGenerator(seed: seed)
        var pixels: [Float] = [], labels: [Float] = []
        let noise = Tensor(randomUniform: [count * 64], lower: 0, upper: 0.3, generator: &generator).scalars
        for sample in 0..<count {
            let vertical = sample % 2 == 0
            let line = (sample / 2) % 6 + 1
            for row in 0..<8 {
                for column in 0..<8 {
                    let on = vertical ? column == line : row == line
                    pixels.append((on ? 1 : 0) + noise[sample * 64 + row * 8 + column])
                }
            }
            labels.append(vertical ? 1 : 0)
        }
        return (Tensor(shape: [count, 8, 8, 1], scalars: pixels), Tensor(shape: [count, 1], scalars: labels))
    }

    private static func smallCNN() -> Sequential {
        Sequential([
            Input(shape: [8, 8, 1]),
            Conv2D(filters: 4, kernelSize: 3, padding: .same, activation: .relu),
            MaxPooling2D(poolSize: 2),
            Conv2D(filters: 4, kernelSize: 3, activation: .relu),
            GlobalMaxPooling2D(),
            Dense(units: 1, activation: .sigmoid),
        ], name: "bars")
    }

    @Test func smallCNNLearnsWithFit() throws {
        let (x, y) = Self.bars(count: 96, seed: 41)
        let model = Self.smallCNN()
        SavingTestSupport.setWeights(of: model, seed: 6)
        try model.compile(optimizer: try Adam(learningRate: 0.02), loss: Losses.BinaryCrossentropy(), metrics: ["accuracy"])
        let history = try model.fit(x, y, batchSize: 16, epochs: 15, verbosity: .silent)
        let losses = try #require(history.values["loss"])
        #expect(try #require(losses.last) < 0.5 * (try #require(losses.first)))
        #expect(try #require(history.values["accuracy"]?.last) > 0.9)
    }

    @Test func cnnSavesAndLoads() throws {
        let directory = try TemporaryDirectory()
        let (x, y) = Self.bars(count: 32, seed: 42)
        let model = Sequential([
            Input(shape: [8, 8, 1]),
            Conv2D(filters: 3, kernelSize: 3, strides: 2, padding: .same, activation: .relu, kernelRegularizer: L2(0.01)),
            Conv2DTranspose(filters: 2, kernelSize: 2, strides: 2, padding: .valid),
            UpSampling2D(size: [1, 2]),
            AveragePooling2D(poolSize: 2),
            MaxPooling2D(poolSize: 2, strides: 1, padding: .same),
            GlobalAveragePooling2D(),
            Dense(units: 1, activation: .sigmoid),
        ], name: "cnn")
        SavingTestSupport.setWeights(of: model, seed: 7)
        try model.compile(optimizer: try Adam(learningRate: 0.01), loss: Losses.BinaryCrossentropy())
        try model.fit(x, y, batchSize: 8, epochs: 1, verbosity: .silent)
        let path = directory.file("cnn")
        try model.save(to: path)
        let loaded = try #require(try Model.load(from: path) as? Sequential)
        #expect(loaded.layers.map { String(describing: type(of: $0)) } == model.layers.map { String(describing: type(of: $0)) })
        #expect(loaded.parameterCount == model.parameterCount)
        #expect(try loaded.predict(x).scalars == model.predict(x).scalars)
        #expect(loaded.losses.map(\.scalar) == model.losses.map(\.scalar))
    }
}
