import Testing
import Neural

/// The exact errors the configuration readers that several losses and metrics share report, so that
/// sharing them changes nothing a caller sees.
@Suite struct LossConfigurationErrorTests {
    @Test func labelSmoothingOutOfRangeNamesTheLossAndTheKey() {
        for (type, make) in [
            ("BinaryCrossentropy", { (c: Configuration) throws -> any Loss in try Losses.BinaryCrossentropy(configuration: c) }),
            ("CategoricalCrossentropy", { (c: Configuration) throws -> any Loss in try Losses.CategoricalCrossentropy(configuration: c) }),
        ] {
            #expect(throws: ConfigurationError.invalidValue(
                type: type, key: "label_smoothing", expected: "a number in [0, 1]", found: 2)) {
                _ = try make(["label_smoothing": 2])
            }
            #expect(throws: ConfigurationError.invalidValue(type: type, key: "axis", expected: "-1", found: 1)) {
                _ = try make(["axis": 1])
            }
            // from_logits is read first, so it is the key reported when several are wrong.
            #expect(throws: ConfigurationError.self) { _ = try make(["from_logits": "yes", "label_smoothing": 2]) }
            do {
                _ = try make(["from_logits": "yes", "label_smoothing": 2])
            } catch {
                #expect(String(describing: error).contains("from_logits"))
            }
        }
    }

    @Test func crossentropiesRoundTripTheirArguments() throws {
        let binary = Losses.BinaryCrossentropy(fromLogits: true, labelSmoothing: 0.25, reduction: .sum, name: "b")
        #expect(binary.configuration == [
            "name": "b", "reduction": "sum", "from_logits": true, "label_smoothing": 0.25, "axis": -1,
        ])
        let loaded = try Losses.BinaryCrossentropy(configuration: binary.configuration)
        #expect(loaded.fromLogits && loaded.labelSmoothing == 0.25 && loaded.reduction == .sum && loaded.name == "b")
        let categorical = try Losses.CategoricalCrossentropy(configuration: [:])
        #expect(!categorical.fromLogits && categorical.labelSmoothing == 0)
        #expect(categorical.name == "categorical_crossentropy" && categorical.reduction == .sumOverBatchSize)
    }

    /// Smoothing a binary target with `s` gives `t (1 - s) + s / 2` exactly as before.
    @Test func binaryLabelSmoothingMatchesTheFormula() {
        let targets = Tensor([0, 1, 1, 0])
        let predictions = Tensor([0.2, 0.7, 0.9, 0.4])
        let smoothed = Losses.BinaryCrossentropy(labelSmoothing: 0.2, reduction: .none)(targets, predictions)
        let byHand = Losses.BinaryCrossentropy(reduction: .none)(targets * 0.8 + 0.1, predictions)
        #expect(smoothed == byHand)
    }

    @Test func unregisteredFunctionIsReportedWithTheRegisteredNames() {
        Losses.register(function: { t, p in (t - p).abs() }, named: "loss_configuration_error_tests_fn")
        for (type, load) in [
            ("ClosureLoss", { (c: Configuration) throws in _ = try ClosureLoss(configuration: c) }),
            ("MeanMetricWrapper", { (c: Configuration) throws in _ = try Metrics.MeanMetricWrapper(configuration: c) }),
        ] {
            do {
                try load(["name": "x", "fn": "nowhere_registered"])
                Issue.record("\(type) loaded an unregistered function")
            } catch let ConfigurationError.invalidValue(errorType, key, expected, found) {
                #expect(errorType == type && key == "fn" && found == "nowhere_registered")
                #expect(expected.hasPrefix(
                    "the name of a function registered with Losses.register(function:named:) (registered: "))
                #expect(expected.contains("loss_configuration_error_tests_fn"))
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        #expect(throws: ConfigurationError.missingKey(type: "ClosureLoss", key: "name")) {
            _ = try ClosureLoss(configuration: [:])
        }
        #expect(throws: ConfigurationError.self) {
            _ = try Metrics.MeanMetricWrapper(configuration: ["name": "nowhere_registered"])
        }
        let metric = try? Metrics.MeanMetricWrapper(configuration: ["name": "m", "fn": "loss_configuration_error_tests_fn"])
        #expect(metric?.name == "m")
        let loss = try? ClosureLoss(configuration: ["name": "loss_configuration_error_tests_fn", "reduction": "sum"])
        #expect(loss?.name == "loss_configuration_error_tests_fn" && loss?.reduction == .sum)
    }
}
