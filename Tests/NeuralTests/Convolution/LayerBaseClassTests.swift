import Foundation
import Neural
import Testing

/// The convolution and pooling layers share their arguments and configuration keys through
/// ``BaseConv2D``, ``BasePooling2D`` and ``BaseGlobalPooling2D``: each subclass still saves exactly
/// its own Keras keys, refuses what it does not support, and is named after its own type.
@Suite struct LayerBaseClassTests {
    private func layer(_ className: String, _ config: Configuration) throws -> Layer? {
        try deserializeOptional(.object(["class_name": .string(className), "config": .object(config)]), as: Layer.self)
    }

    private static let sharedConvolutionKeys: Set<String> = [
        "name", "trainable", "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
        "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
        "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint",
    ]

    @Test func eachConvolutionSavesItsOwnKeys() {
        let conv = Conv2D(filters: 4, kernelSize: 3, inputShape: [8, 8, 1])
        let transpose = Conv2DTranspose(filters: 4, kernelSize: 3, inputShape: [8, 8, 1])
        #expect(Set(conv.configuration.keys) == Self.sharedConvolutionKeys.union(["groups", "input_shape"]))
        #expect(Set(transpose.configuration.keys) == Self.sharedConvolutionKeys.union(["output_padding", "input_shape"]))
        #expect(conv.configuration["groups"] == 1)
        #expect(conv.configuration["input_shape"] == [8, 8, 1])
    }

    @Test func bothConvolutionsRefuseAnActivityRegularizer() {
        for className in ["Conv2D", "Conv2DTranspose"] {
            #expect(throws: ConfigurationError.self, "\(className)") {
                try layer(className, ["filters": 8, "kernel_size": 3, "activity_regularizer": ["class_name": "L2", "config": [:]]])
            }
        }
    }

    @Test func convolutionWeightsHaveEachLayoutsShape() throws {
        let conv = Conv2D(filters: 4, kernelSize: [3, 2], useBias: false)
        let transpose = Conv2DTranspose(filters: 4, kernelSize: [3, 2])
        let input = Tensor(zeros: [1, 6, 6, 2])
        _ = try conv(input)
        _ = try transpose(input)
        #expect(conv.kernel?.shape == [3, 2, 2, 4] && conv.bias == nil)
        #expect(transpose.kernel?.shape == [3, 2, 4, 2] && transpose.bias?.shape == [4])
    }

    @Test func subclassesAreNamedAfterThemselves() {
        let pairs: [(Layer, String)] = [
            (Conv2D(filters: 1, kernelSize: 1), "conv2d"),
            (Conv2DTranspose(filters: 1, kernelSize: 1), "conv2d_transpose"),
            (MaxPooling2D(), "max_pooling2d"),
            (AveragePooling2D(), "average_pooling2d"),
            (GlobalMaxPooling2D(), "global_max_pooling2d"),
            (GlobalAveragePooling2D(), "global_average_pooling2d"),
        ]
        for (layer, prefix) in pairs {
            let suffix = layer.name.dropFirst(prefix.count)
            #expect(layer.name.hasPrefix(prefix) && (suffix.isEmpty || suffix.dropFirst().allSatisfy(\.isNumber)),
                    "\(layer.name) for \(prefix)")
        }
    }

    @Test func poolingLayersSaveTheSameKeys() {
        let keys: Set<String> = ["name", "trainable", "pool_size", "strides", "padding", "data_format", "input_shape"]
        #expect(Set(MaxPooling2D(inputShape: [4, 4, 1]).configuration.keys) == keys)
        #expect(Set(AveragePooling2D(inputShape: [4, 4, 1]).configuration.keys) == keys)
        let global: Set<String> = ["name", "trainable", "data_format", "keepdims"]
        #expect(Set(GlobalMaxPooling2D().configuration.keys) == global)
        #expect(Set(GlobalAveragePooling2D(keepDims: true).configuration.keys) == global)
        #expect(GlobalAveragePooling2D(keepDims: true).configuration["keepdims"] == true)
    }
}
