import Foundation
import Neural
import Testing

/// Seed 000's `HuberLoss`: a loss type whose threshold is saved with its configuration.
struct HuberLoss: Loss {
    static let typeName = "HuberLoss"
    var threshold: Float
    var name: String
    var reduction: LossReduction

    init(threshold: Float = 1, name: String = "huber_loss", reduction: LossReduction = .sumOverBatchSize) {
        self.threshold = threshold
        self.name = name
        self.reduction = reduction
    }

    init(configuration: Configuration) throws {
        threshold = Float(try configuration.double("threshold", in: Self.typeName))
        (name, reduction) = try Losses.nameAndReduction(in: configuration, type: Self.typeName, defaultName: "huber_loss")
    }

    func perSampleLoss(yTrue: Tensor, yPred: Tensor) -> Tensor {
        let error = yTrue - yPred
        let isSmallError = error.abs() .< threshold
        let squaredLoss = error.squared() / 2
        let linearLoss = threshold * error.abs() - threshold * threshold / 2
        return Tensor.where(isSmallError, squaredLoss, linearLoss)
    }

    var configuration: Configuration {
        baseConfiguration.merging(["threshold": .double(Double(threshold))]) { $1 }
    }
}

/// A configuration through JSON and back, as a saved model stores it.
func jsonRoundTrip(_ configuration: Configuration) throws -> Configuration {
    try JSONDecoder().decode(Configuration.self, from: JSONEncoder().encode(configuration))
}

/// Every loss saves its configuration and is rebuilt through the shared ``ObjectRegistry``.
@Suite struct LossConfigurationTests {
    private func rebuilt(_ loss: any Loss) throws -> any Loss {
        Losses.registerBuiltins()
        let typeName = type(of: loss).typeName
        return try ObjectRegistry.shared.make(
            typeName, configuration: try jsonRoundTrip(loss.configuration), as: (any Loss).self, kind: "loss")
    }

    @Test func builtinLossesRoundTripThroughTheRegistry() throws {
        let losses: [any Loss] = [
            Losses.MeanSquaredError(reduction: .sum, name: "my_mse"),
            Losses.MeanAbsoluteError(reduction: .none),
            Losses.Huber(delta: 2.5, reduction: .meanWithSampleWeight, name: "robust"),
            Losses.SparseCategoricalCrossentropy(fromLogits: true),
            Losses.CategoricalCrossentropy(fromLogits: true, labelSmoothing: 0.1, reduction: .sum),
            Losses.BinaryCrossentropy(labelSmoothing: 0.3, name: "bce"),
        ]
        let targets = Tensor([[0, 1, 0], [1, 0, 0]])
        let predictions = Tensor([[0.2, 0.7, 0.1], [0.6, 0.3, 0.1]])
        for loss in losses {
            let copy = try rebuilt(loss)
            #expect(type(of: copy) == type(of: loss))
            #expect(copy.configuration == loss.configuration, "\(type(of: loss).typeName)")
            #expect(copy.name == loss.name && copy.reduction == loss.reduction)
            if !(loss is Losses.SparseCategoricalCrossentropy) {
                #expect(copy(targets, predictions) == loss(targets, predictions))
            }
        }
    }

    /// The saved keys are Keras's, so configurations written by Keras read back.
    @Test func configurationsUseKerasKeys() throws {
        #expect(Losses.Huber(delta: 0.3).configuration ==
                ["name": "huber_loss", "reduction": "sum_over_batch_size", "delta": 0.3])
        #expect(Losses.CategoricalCrossentropy().configuration ==
                ["name": "categorical_crossentropy", "reduction": "sum_over_batch_size", "from_logits": false,
                 "label_smoothing": 0.0, "axis": -1])
        let keras: Configuration = [
            "name": "sparse_categorical_crossentropy", "reduction": "mean", "from_logits": true,
            "ignore_class": nil, "axis": -1, "fn": "sparse_categorical_crossentropy", "dtype": nil,
        ]
        let loss = try Losses.SparseCategoricalCrossentropy(configuration: keras)
        #expect(loss.fromLogits && loss.reduction == .sumOverBatchSize)
        #expect(try Losses.MeanSquaredError(configuration: ["reduction": nil]).reduction == LossReduction.none)
        #expect(try Losses.MeanSquaredError(configuration: [:]).name == "mean_squared_error")
        #expect(try Losses.MeanSquaredError(configuration: ["reduction": "auto"]).reduction == .sumOverBatchSize)
    }

    @Test func invalidConfigurationsThrowNamingTheKey() {
        #expect(throws: ConfigurationError.self) { try Losses.Huber(configuration: ["delta": -1]) }
        #expect(throws: ConfigurationError.self) { try Losses.Huber(configuration: ["delta": "big"]) }
        #expect(throws: ConfigurationError.self) { try Losses.MeanSquaredError(configuration: ["reduction": "average"]) }
        #expect(throws: ConfigurationError.self) { try Losses.BinaryCrossentropy(configuration: ["axis": 1]) }
        #expect(throws: ConfigurationError.self) {
            try Losses.CategoricalCrossentropy(configuration: ["label_smoothing": 2])
        }
        #expect(throws: ConfigurationError.self) {
            try Losses.SparseCategoricalCrossentropy(configuration: ["ignore_class": 255])
        }
        do {
            _ = try Losses.MeanSquaredError(configuration: ["reduction": 3])
            Issue.record("should throw")
        } catch {
            #expect(String(describing: error).contains("reduction"))
        }
    }

    /// The seed's `HuberLoss(2.)`: saved with its threshold, rebuilt from the registry (Keras's
    /// `custom_objects={"HuberLoss": HuberLoss}`), computing the same loss.
    @Test func seedHuberLossClassSavesItsThreshold() throws {
        ObjectRegistry.shared.register(HuberLoss.self)
        let loss = HuberLoss(threshold: 2)
        let saved = try jsonRoundTrip(loss.configuration)
        #expect(saved["threshold"]?.doubleValue == 2)
        let loaded = try ObjectRegistry.shared.make("HuberLoss", configuration: saved, as: (any Loss).self, kind: "loss")
        let huber = try #require(loaded as? HuberLoss)
        #expect(huber.threshold == 2 && huber.name == "huber_loss" && huber.reduction == .sumOverBatchSize)
        let targets = Tensor([0.5, 2.0, -1.0, 3.0])
        let predictions = Tensor([[0.25], [4.5], [-1.5], [-0.5]])
        #expect(huber(targets, predictions) == loss(targets, predictions))
        // The same as Keras's built-in Huber with delta 2.
        expectClose(loss(targets, predictions), Losses.Huber(delta: 2)(targets, predictions).scalars)
    }

    /// A closure loss saves only its name: it loads where a function of that name is registered
    /// (the seed's `custom_objects={"huber_fn": create_huber(2.0)}`), and not elsewhere.
    @Test func closureLossLoadsOnlyWhenItsFunctionIsRegistered() throws {
        Losses.registerBuiltins()
        let loss = ClosureLoss(name: "huber_fn_unregistered", SeedHuber.huberFn)
        #expect(loss.configuration == ["name": "huber_fn_unregistered", "reduction": "sum_over_batch_size",
                                       "fn": "huber_fn_unregistered"])
        #expect(throws: ConfigurationError.self) {
            try ObjectRegistry.shared.make(
                "ClosureLoss", configuration: loss.configuration, as: (any Loss).self, kind: "loss")
        }
        Losses.register(function: SeedHuber.createHuber(threshold: 2), named: "huber_fn_threshold_2")
        let saved = ClosureLoss(name: "huber_fn_threshold_2", SeedHuber.createHuber(threshold: 2)).configuration
        let loaded = try ObjectRegistry.shared.make(
            "ClosureLoss", configuration: try jsonRoundTrip(saved), as: (any Loss).self, kind: "loss")
        let targets = Tensor([0.5, 2.0, -1.0, 3.0])
        let predictions = Tensor([[0.25], [4.5], [-1.5], [-0.5]])
        expectClose(loaded(targets, predictions), Losses.Huber(delta: 2)(targets, predictions).scalars)
    }
}
