import Neural
import TunerKit
import Tuning

/// Seed 002's Keras Tuner code in Swift: `build_model(hp)` and `MyClassificationHyperModel`, shared
/// by the book's searches (`book-tuner-search`), the tests and the README.
public enum BookTuning {
    /// The book's `build_model(hp)`: a Sequential MLP on 28x28 images with `n_hidden` ReLU layers of
    /// `n_neurons`, SGD or Adam at `learning_rate`, sparse categorical cross-entropy and accuracy.
    ///
    /// - Throws: `HyperParameterError` when `hp` holds values outside these ranges.
    @Sendable public static func buildModel(_ hp: HyperParameters) throws -> Model {
        let nHidden = try hp.int("n_hidden", min: 0, max: 8, default: 2)
        let nNeurons = try hp.int("n_neurons", min: 16, max: 256)
        let learningRate = try hp.float("learning_rate", min: 1e-4, max: 1e-2, sampling: .log)
        let optimizerName = try hp.choice("optimizer", values: ["sgd", "adam"])
        let optimizer: Optimizer = optimizerName == "sgd"
            ? try SGD(learningRate: .constant(Float(learningRate)))
            : try Adam(learningRate: .constant(Float(learningRate)))

        let model = Sequential()
        model.add(Input(shape: [28, 28]))
        model.add(Flatten())
        for _ in 0..<nHidden {
            model.add(Dense(units: nNeurons, activation: .relu))
        }
        model.add(Dense(units: 10, activation: .softmax()))
        try model.compile(optimizer: optimizer, loss: Losses.SparseCategoricalCrossentropy(), metrics: ["accuracy"])
        return model
    }

    /// The book's `MyClassificationHyperModel`: the same model, and a `normalize` flag that
    /// standardizes the inputs before `fit`. The book calls an un-adapted `Normalization` on the training
    /// inputs only; here the layer is adapted on the training inputs and applied to the validation
    /// inputs too, which is what standardizing means (otherwise validation sees other scales).
    public struct ClassificationHyperModel: HyperModel {
        /// The hypermodel.
        public init() {}

        /// `buildModel(hp)`.
        public func build(_ hp: HyperParameters) throws -> Model {
            try BookTuning.buildModel(hp)
        }

        /// Trains, standardizing the inputs first when `normalize` is true.
        public func fit(_ hp: HyperParameters, model: Model, arguments: FitArguments) throws -> History {
            var arguments = arguments
            if try hp.boolean("normalize"), var data = arguments.data {
                let normalization = Normalization(axis: nil)
                try normalization.adapt(data.inputs[0])
                data.inputs[0] = try normalization(data.inputs[0])
                arguments.data = data
                if var validation = arguments.validationData {
                    validation.inputs[0] = try normalization(validation.inputs[0])
                    arguments.validationData = validation
                }
            }
            return try model.fit(arguments)
        }
    }

    /// The book's data: Fashion-MNIST's first `trainCount` training images to train on and the last
    /// `validationCount` to validate, scaled to 0...1, as `[N, 28, 28]` images and Float labels.
    ///
    /// - Throws: `DataLoadingError` when Debian's `dataset-fashion-mnist` files are missing.
    public static func fashionMNIST(trainCount: Int = 55_000, validationCount: Int = 5_000)
        throws -> (x: Tensor, y: Tensor, xValid: Tensor, yValid: Tensor)
    {
        let full = try FashionMNIST(split: .train)
        let images = full.images / 255
        let labels = Tensor(full.labels.map(Float.init))
        let total = full.labels.count
        let trainEnd = min(trainCount, total - validationCount)
        return (images[..<trainEnd], labels[..<trainEnd], images[(total - validationCount)...], labels[(total - validationCount)...])
    }
}
