import StudyFiles
import Testing

@Suite struct LayerNamesTests {
    @Test func layerNamesResolveIgnoringCaseAndUnderscores() {
        #expect(LayerClassNames.resolve("dense") == "Dense")
        #expect(LayerClassNames.resolve("Dense") == "Dense")
        #expect(LayerClassNames.resolve("batch_normalization") == "BatchNormalization")
        #expect(LayerClassNames.resolve("leaky_relu") == "LeakyReLU")
        #expect(LayerClassNames.resolve("nonsense") == nil)
    }
}
