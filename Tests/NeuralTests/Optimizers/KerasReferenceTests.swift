import Foundation
import Neural
import Testing

/// Every optimizer configuration against the trajectories Keras 3 produced
/// (Scripts/keras_optimizer_reference.py → KerasOptimizerReference.swift).
@Suite struct KerasReferenceTests {
    static let tolerance: Float = 1e-6

    @Test(arguments: KerasOptimizerReference.cases.map(\.name))
    func trajectoryMatchesKeras(_ name: String) throws {
        let reference = try #require(KerasOptimizerReference.cases.first { $0.name == name })
        let optimizer = try #require(try ReferenceOptimizers.make(name), "no Swift twin for the Keras case \(name)")
        let run = try runReference(optimizer, reference)
        #expect(maxRelativeError([run.learningRates], [reference.learningRates]) <= Self.tolerance,
                "learning rates \(run.learningRates) vs Keras \(reference.learningRates)")
        let matrixError = maxRelativeError(run.matrix, reference.matrix)
        let vectorError = maxRelativeError(run.vector, reference.vector)
        print("keras reference \(name): max relative error matrix \(matrixError), vector \(vectorError)")
        #expect(matrixError <= Self.tolerance, "matrix \(run.matrix) vs Keras \(reference.matrix)")
        #expect(vectorError <= Self.tolerance, "vector \(run.vector) vs Keras \(reference.vector)")
        #expect(optimizer.iterations == KerasOptimizerReference.steps)
    }

    @Test(arguments: KerasOptimizerReference.cases.map(\.name))
    func kerasConfigurationRebuildsTheSameOptimizer(_ name: String) throws {
        let reference = try #require(KerasOptimizerReference.cases.first { $0.name == name })
        let configuration = try JSONDecoder().decode(
            OptimizerConfiguration.self, from: Data(reference.kerasConfigJSON.utf8))
        let optimizer = try Optimizer.fromConfiguration(configuration)
        let twin = try #require(try ReferenceOptimizers.make(name))
        #expect(type(of: optimizer) == type(of: twin))
        let run = try runReference(optimizer, reference)
        #expect(maxRelativeError(run.matrix, reference.matrix) <= Self.tolerance)
        #expect(maxRelativeError(run.vector, reference.vector) <= Self.tolerance)
    }

    @Test(arguments: KerasOptimizerReference.schedules.map(\.name))
    func scheduleMatchesKeras(_ name: String) throws {
        let reference = try #require(KerasOptimizerReference.schedules.first { $0.name == name })
        let schedule = try #require(try ReferenceOptimizers.schedule(name), "no Swift twin for the Keras schedule \(name)")
        let values = KerasOptimizerReference.scheduleSteps.map { schedule($0) }
        // Relative to the schedule's peak where the value itself cancels to nearly 0 (1 + cos(~π)).
        let peak = reference.values.max() ?? 1
        for (index, (value, expected)) in zip(values, reference.values).enumerated() {
            let step = KerasOptimizerReference.scheduleSteps[index]
            let ok = abs(value - expected) <= Self.tolerance * Swift.max(abs(expected), peak * 1e-3)
            #expect(ok, "step \(step): \(value) vs Keras \(expected)")
        }
        let configuration = try JSONDecoder().decode(
            LearningRateScheduleConfiguration.self, from: Data(reference.kerasConfigJSON.utf8))
        let rebuilt = try makeLearningRateSchedule(from: configuration)
        #expect(KerasOptimizerReference.scheduleSteps.map { rebuilt($0) } == values)
        #expect(rebuilt.configuration == schedule.configuration)
    }

    @Test func referenceWasMadeByTheDocumentedVersions() {
        #expect(KerasOptimizerReference.tensorflowVersion == "2.21.0")
        #expect(KerasOptimizerReference.kerasVersion.hasPrefix("3."))
        #expect(KerasOptimizerReference.cases.count >= 25)
    }
}
