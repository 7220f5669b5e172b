import Foundation
import Neural
import Testing

/// A schedule defined outside the library, to check custom schedules round-trip.
private struct HalvingSchedule: LearningRateSchedule {
    let start: Float
    func learningRate(atStep step: Int) -> Float { start / Float(1 << Swift.min(step, 30)) }
    var configuration: LearningRateScheduleConfiguration {
        LearningRateScheduleConfiguration(className: "HalvingSchedule", config: ["start": .double(Double(start))])
    }
}

/// An optimizer defined outside the library: w = w - lr * sign(g), no slots.
private final class SignDescent: Optimizer {
    init(learningRate: LearningRate) throws { try super.init(name: "sign_descent", learningRate: learningRate) }
    override var className: String { "SignDescent" }
    override func update(_ variable: Variable, gradient g: UnsafeBufferPointer<Float>, slots: [Variable], step: OptimizerStep) {
        let lr = step.learningRate
        variable.updateInPlace { w in
            for i in 0..<w.count { w[i] -= g[i] > 0 ? lr : (g[i] < 0 ? -lr : 0) }
        }
    }
}

/// Configurations in Keras's format: round trips, defaults, and refusals.
@Suite struct OptimizerConfigurationTests {
    @Test(arguments: KerasOptimizerReference.cases.map(\.name))
    func configurationRoundTripsThroughJSON(_ name: String) throws {
        let optimizer = try #require(try ReferenceOptimizers.make(name))
        let configuration = optimizer.configuration
        let data = try JSONEncoder().encode(configuration)
        let decoded = try JSONDecoder().decode(OptimizerConfiguration.self, from: data)
        #expect(decoded == configuration)
        let rebuilt = try Optimizer.fromConfiguration(decoded)
        #expect(rebuilt.configuration == configuration)
        #expect(type(of: rebuilt) == type(of: optimizer))
    }

    @Test func configurationUsesKerasNamesAndFormat() throws {
        let optimizer = try Adam(learningRate: 0.01, beta1: 0.8, amsgrad: true, clipnorm: 1.5)
        let configuration = optimizer.configuration
        #expect(configuration.className == "Adam")
        #expect(configuration.config["learning_rate"] == .double(Double(Float(0.01))))
        #expect(configuration.config["beta_1"] == .double(0.8))
        #expect(configuration.config["beta_2"] == .double(0.999))
        #expect(configuration.config["epsilon"] == .double(1e-7))
        #expect(configuration.config["amsgrad"] == .bool(true))
        #expect(configuration.config["clipnorm"] == .double(1.5))
        #expect(configuration.config["clipvalue"] == .null)
        #expect(configuration.config["global_clipnorm"] == .null)
        #expect(configuration.config["weight_decay"] == .null)
        #expect(configuration.config["name"] == .string("adam"))
        #expect(configuration.config["use_ema"] == .bool(false))
        let json = try #require(String(data: try JSONEncoder().encode(configuration), encoding: .utf8))
        #expect(json.contains("\"class_name\":\"Adam\""))
        #expect(json.contains("\"config\":{"))

        let scheduled = try SGD(learningRate: .schedule(try PiecewiseConstantDecay(boundaries: [10], values: [0.1, 0.01])))
        #expect(scheduled.configuration.config["learning_rate"] == .object([
            "class_name": .string("PiecewiseConstantDecay"),
            "config": .object(["boundaries": .array([.double(10)]), "values": .array([.double(0.1), .double(0.01)]),
                               "name": .string("PiecewiseConstant")]),
            "module": .string("keras.optimizers.schedules"),
            "registered_name": .null,
        ]))
    }

    @Test func missingKeysTakeKerasDefaults() throws {
        func build(_ className: String) throws -> Optimizer {
            try Optimizer.fromConfiguration(OptimizerConfiguration(className: className, config: [:]))
        }
        let sgd = try #require(try build("SGD") as? SGD)
        #expect(sgd.currentLearningRate == 0.01 && sgd.momentum == 0 && !sgd.nesterov && sgd.name == "sgd")
        let adam = try #require(try build("Adam") as? Adam)
        #expect(adam.currentLearningRate == 0.001 && adam.beta1 == 0.9 && adam.beta2 == 0.999 && adam.epsilon == 1e-7)
        let adamW = try #require(try build("AdamW") as? AdamW)
        #expect(adamW.weightDecay == 0.004 && adamW.name == "adam_w")
        let nadam = try #require(try build("Nadam") as? Nadam)
        #expect(nadam.currentLearningRate == 0.001 && nadam.beta1 == 0.9)
        let rmsprop = try #require(try build("RMSprop") as? RMSprop)
        #expect(rmsprop.rho == 0.9 && rmsprop.momentum == 0 && !rmsprop.centered && rmsprop.epsilon == 1e-7)
        let adagrad = try #require(try build("Adagrad") as? Adagrad)
        #expect(adagrad.initialAccumulatorValue == 0.1 && adagrad.epsilon == 1e-7)
        #expect(adagrad.clipping == .none && adagrad.weightDecay == nil)
    }

    @Test func refusesUnknownClassesKeysTypesAndUnsupportedFeatures() throws {
        func build(_ className: String, _ config: Configuration) throws -> Optimizer {
            try Optimizer.fromConfiguration(OptimizerConfiguration(className: className, config: config))
        }
        #expect(throws: OptimizerError.unknownOptimizer(className: "Lion")) { try build("Lion", [:]) }
        #expect(throws: OptimizerError.invalidConfiguration(className: "Adam", key: "beta1", message: "unknown key (known keys are Keras's for Adam)")) {
            try build("Adam", ["beta1": .double(0.9)])
        }
        #expect(throws: OptimizerError.invalidConfiguration(className: "SGD", key: "momentum", message: "expected a number, got string(\"high\")")) {
            try build("SGD", ["momentum": .string("high")])
        }
        #expect(throws: OptimizerError.invalidConfiguration(className: "SGD", key: "use_ema", message: "use_ema (weight averaging) is not supported (got bool(true))")) {
            try build("SGD", ["use_ema": .bool(true)])
        }
        #expect(throws: OptimizerError.invalidConfiguration(className: "Adam", key: "gradient_accumulation_steps", message: "gradient_accumulation_steps is not supported (got double(4.0))")) {
            try build("Adam", ["gradient_accumulation_steps": .double(4)])
        }
        #expect(throws: OptimizerError.invalidConfiguration(className: "AdamW", key: "weight_decay", message: "must be a number, got null")) {
            try build("AdamW", ["weight_decay": .null])
        }
        #expect(throws: OptimizerError.unknownSchedule(className: "Wiggle")) {
            try build("SGD", ["learning_rate": .object(["class_name": .string("Wiggle"), "config": .object([:])])])
        }
        #expect(throws: OptimizerError.invalidConfiguration(className: "ExponentialDecay", key: "decay_steps", message: "is required")) {
            try build("SGD", ["learning_rate": .object(["class_name": .string("ExponentialDecay"),
                                                        "config": .object(["initial_learning_rate": .double(0.1)])])])
        }
        #expect(throws: OptimizerError.invalidConfiguration(className: "SGD", key: "learning_rate", message: "expected a number or a schedule, got bool(true)")) {
            try build("SGD", ["learning_rate": .bool(true)])
        }
        // Hyperparameter checks apply to configurations too.
        #expect(throws: OptimizerError.invalidHyperparameter(owner: "adam", name: "beta2", value: "1.0", requirement: "in [0, 1)")) {
            try build("Adam", ["beta_2": .double(1)])
        }
        #expect(throws: OptimizerError.conflictingClipping(clipnorm: 1, clipvalue: 2, globalClipnorm: nil)) {
            try build("SGD", ["clipnorm": .double(1), "clipvalue": .double(2)])
        }
    }

    @Test func customOptimizersAndSchedulesRoundTrip() throws {
        let optimizer = try SignDescent(learningRate: .schedule(HalvingSchedule(start: 0.5)))
        let configuration = optimizer.configuration
        #expect(configuration.className == "SignDescent")
        #expect(throws: OptimizerError.unknownOptimizer(className: "SignDescent")) {
            try Optimizer.fromConfiguration(configuration)
        }
        let halving: (LearningRateScheduleConfiguration) throws(OptimizerError) -> any LearningRateSchedule = { config throws(OptimizerError) in
            guard case let .double(start)? = config.config["start"] else {
                throw .invalidConfiguration(className: config.className, key: "start", message: "is required")
            }
            return HalvingSchedule(start: Float(start))
        }
        let rebuilt = try Optimizer.fromConfiguration(
            configuration,
            customOptimizers: ["SignDescent": { config throws(OptimizerError) in
                guard case let .object(fields)? = config.config["learning_rate"],
                      case let .object(scheduleConfig)? = fields["config"] else {
                    throw .invalidConfiguration(className: "SignDescent", key: "learning_rate", message: "is required")
                }
                let schedule = try halving(LearningRateScheduleConfiguration(className: "HalvingSchedule", config: scheduleConfig))
                do { return try SignDescent(learningRate: .schedule(schedule)) } catch {
                    throw .invalidConfiguration(className: "SignDescent", key: "", message: "\(error)")
                }
            }])
        #expect(rebuilt.configuration == configuration)

        // A built-in optimizer with a custom schedule.
        let sgd = try SGD(learningRate: .schedule(HalvingSchedule(start: 0.4)))
        let rebuiltSGD = try Optimizer.fromConfiguration(sgd.configuration, customSchedules: ["HalvingSchedule": halving])
        #expect(rebuiltSGD.configuration == sgd.configuration)

        let variable = Variable(Tensor([1, -1, 0.5]))
        for _ in 0..<3 { try rebuilt.apply(gradients: [Tensor([2, -3, 0])], to: [variable]) }
        // 0.5 + 0.25 + 0.125 = 0.875 moved against the gradient's sign; zero gradient stays.
        #expect(variable.value.scalars == [0.125, -0.125, 0.5])
    }

    @Test func constantLearningRateInConfigurationIsTheCurrentOne() throws {
        let optimizer = try RMSprop(learningRate: 0.01)
        try optimizer.setLearningRate(0.002)
        #expect(optimizer.configuration.config["learning_rate"] == .double(Double(Float(0.002))))
        #expect(try Optimizer.fromConfiguration(optimizer.configuration).currentLearningRate == 0.002)
    }
}
