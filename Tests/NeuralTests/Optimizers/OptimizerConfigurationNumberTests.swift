import Foundation
import Neural
import Testing

/// Optimizer configurations hold `JSONValue`s with numbers as doubles, however they were given.
@Suite struct OptimizerConfigurationNumberTests {
    @Test func integersBecomeDoublesAtEveryDepth() {
        let configuration = OptimizerConfiguration(className: "SGD", config: [
            "momentum": .int(0),
            "learning_rate": .object(["class_name": .string("PiecewiseConstantDecay"),
                                      "config": .object(["boundaries": .array([.int(10)]), "values": .array([.int(1), .double(0.5)])])]),
            "nesterov": .bool(true),
        ])
        #expect(configuration.config["momentum"] == .double(0))
        #expect(configuration.config["nesterov"] == .bool(true))
        #expect(configuration.config["learning_rate"] == .object([
            "class_name": .string("PiecewiseConstantDecay"),
            "config": .object(["boundaries": .array([.double(10)]), "values": .array([.double(1), .double(0.5)])]),
        ]))
        let schedule = LearningRateScheduleConfiguration(className: "ExponentialDecay", config: ["decay_steps": .int(1000)])
        #expect(schedule.config["decay_steps"] == .double(1000))
    }

    @Test func integralHyperparametersRoundTripThroughJSON() throws {
        let schedule = try CosineDecay(initialLearningRate: 1, decaySteps: 1000, warmupTarget: 2, warmupSteps: 10)
        let optimizer = try SGD(learningRate: .schedule(schedule), momentum: 0, clipnorm: 1)
        let configuration = optimizer.configuration
        guard case let .object(fields)? = configuration.config["learning_rate"], case let .object(scheduleConfig)? = fields["config"] else {
            Issue.record("the schedule is not a nested object: \(String(describing: configuration.config["learning_rate"]))")
            return
        }
        #expect(scheduleConfig["decay_steps"] == .double(1000))
        #expect(configuration.config["clipnorm"] == .double(1))
        let data = try JSONEncoder().encode(configuration)
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json.contains("\"decay_steps\":1000"))
        let decoded = try JSONDecoder().decode(OptimizerConfiguration.self, from: data)
        #expect(decoded == configuration)
        let rebuilt = try Optimizer.fromConfiguration(decoded)
        #expect(rebuilt.configuration == configuration)
    }

    @Test func integersReadAsNumbers() throws {
        let optimizer = try Optimizer.fromConfiguration(OptimizerConfiguration(
            className: "SGD", config: ["learning_rate": .int(1), "momentum": .int(0), "loss_scale_factor": .int(1)]))
        #expect(optimizer.currentLearningRate == 1)
    }
}
