import Neural
import Testing

@Suite struct ActivationLayerTests {
    let x = Tensor([[-2, -0.5, 0.5, 3, 8]])

    @Test func activationLayerAppliesItsFunction() throws {
        expectClose(try ActivationLayer(.relu)(x), [0, 0, 0.5, 3, 8])
        let selu = try ActivationLayer(named: "selu")
        expectClose(try selu(x), x.selu().scalars)
        expectClose(try ActivationLayer(.softmax())(x), x.softmax(alongAxis: -1).scalars)
        #expect(ActivationLayer(.tanh).name.hasPrefix("activation"))
        #expect(ActivationLayer(.tanh).weights.isEmpty)
        #expect(throws: ConfigurationError.self) { _ = try ActivationLayer(named: "no_such_function") }
        checkGradients([x]) { xs in (try? ActivationLayer(.swish)(xs[0])) ?? Tensor(0) }
    }

    @Test func leakyReLUDefaultsToKeras3Slope() throws {
        let layer = LeakyReLU()
        #expect(layer.negativeSlope == 0.3)
        expectClose(try layer(x), [-0.6, -0.15, 0.5, 3, 8])
        expectClose(try LeakyReLU(negativeSlope: 0.1)(x), [-0.2, -0.05, 0.5, 3, 8])
        #expect(layer.name.hasPrefix("leaky_re_lu"))
        checkGradients([x]) { xs in (try? layer(xs[0])) ?? Tensor(0) }
        expectLayerError("negative_slope") { _ = try LeakyReLU(negativeSlope: -0.1)(x) }
    }

    @Test func reluLayerOptions() throws {
        expectClose(try ReLU()(x), [0, 0, 0.5, 3, 8])
        expectClose(try ReLU(maxValue: 6)(x), [0, 0, 0.5, 3, 6])
        expectClose(try ReLU(negativeSlope: 0.1)(x), [-0.2, -0.05, 0.5, 3, 8])
        // Keras: x above the threshold, slope · (x - threshold) up to it (a jump at a positive threshold).
        expectClose(try ReLU(maxValue: 5, negativeSlope: 0.1, threshold: 1)(x), [-0.3, -0.15, -0.05, 3, 5])
        expectClose(try ReLU(threshold: 1)(x), [0, 0, 0, 3, 8])
        let layer = ReLU(maxValue: 5, negativeSlope: 0.1, threshold: 1)
        checkGradients([Tensor([[-2, -0.5, 0.5, 3, 8, 4.2]])]) { xs in (try? layer(xs[0])) ?? Tensor(0) }
        #expect(ReLU().name.hasPrefix("re_lu"))
        expectLayerError("max_value") { _ = try ReLU(maxValue: -1)(x) }
        expectLayerError("negative_slope") { _ = try ReLU(negativeSlope: -1)(x) }
        expectLayerError("threshold") { _ = try ReLU(threshold: -1)(x) }
    }
}
