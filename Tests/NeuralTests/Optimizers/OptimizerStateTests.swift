import Foundation
import Neural
import Testing

/// Saving and restoring optimizer state: a resumed run continues bit for bit.
@Suite struct OptimizerStateTests {
    static let totalSteps = 8

    /// Runs `steps` reference steps from `start` on the given variables.
    private func run(
        _ optimizer: Optimizer, _ matrix: Variable, _ vector: Variable, from start: Int, to end: Int,
        case reference: KerasOptimizerReference.Case
    ) throws {
        for step in start..<end { try referenceStep(optimizer, matrix, vector, step: step, case: reference) }
    }

    @Test(arguments: KerasOptimizerReference.cases.map(\.name), [0, 3])
    func saveLoadContinueIsBitIdentical(_ name: String, savedAfter: Int) throws {
        let reference = try #require(KerasOptimizerReference.cases.first { $0.name == name })

        // Uninterrupted.
        let straight = try #require(try ReferenceOptimizers.make(name))
        let (m1, v1) = referenceVariables()
        try run(straight, m1, v1, from: 0, to: Self.totalSteps, case: reference)

        // Interrupted: save configuration (through JSON) and state, rebuild everything, continue.
        let first = try #require(try ReferenceOptimizers.make(name))
        let (m2, v2) = referenceVariables()
        try run(first, m2, v2, from: 0, to: savedAfter, case: reference)
        let json = try JSONEncoder().encode(first.configuration)
        let state = first.stateTensors(for: [m2, v2])
        #expect(state.keys.sorted() == first.stateKeys(variableCount: 2))
        let savedMatrix = m2.value, savedVector = v2.value

        let resumed = try Optimizer.fromConfiguration(try JSONDecoder().decode(OptimizerConfiguration.self, from: json))
        let m3 = Variable(savedMatrix, name: "matrix"), v3 = Variable(savedVector, name: "vector")
        try resumed.loadState(state, for: [m3, v3])
        #expect(resumed.iterations == savedAfter)
        #expect(resumed.currentLearningRate == first.currentLearningRate)
        try run(resumed, m3, v3, from: savedAfter, to: Self.totalSteps, case: reference)

        #expect(m3.value.scalars == m1.value.scalars, "matrix differs after resuming")
        #expect(v3.value.scalars == v1.value.scalars, "vector differs after resuming")
        #expect(resumed.iterations == straight.iterations)
        let straightState = straight.stateTensors(for: [m1, v1])
        let resumedState = resumed.stateTensors(for: [m3, v3])
        #expect(straightState.keys.sorted() == resumedState.keys.sorted())
        for (key, tensor) in straightState { #expect(resumedState[key] == tensor, "state \(key) differs") }
    }

    @Test func stateKeysFollowKerasSlotNames() throws {
        let (matrix, vector) = referenceVariables()
        #expect(try Adam().stateKeys(variableCount: 2)
                == ["0/momentum", "0/velocity", "1/momentum", "1/velocity", "iterations", "learning_rate"])
        #expect(try Adam(amsgrad: true).stateKeys(variableCount: 1)
                == ["0/momentum", "0/velocity", "0/velocity_hat", "iterations", "learning_rate"])
        #expect(try SGD().stateKeys(variableCount: 2) == ["iterations", "learning_rate"])
        #expect(try SGD(momentum: 0.9).stateKeys(variableCount: 1) == ["0/momentum", "iterations", "learning_rate"])
        #expect(try Nadam().stateKeys(variableCount: 1)
                == ["0/momentum", "0/velocity", "iterations", "learning_rate", "u_product"])
        #expect(try RMSprop(momentum: 0.5, centered: true).stateKeys(variableCount: 1)
                == ["0/average_gradient", "0/momentum", "0/velocity", "iterations", "learning_rate"])
        let scheduled = try Adagrad(learningRate: .schedule(try CosineDecay(initialLearningRate: 0.1, decaySteps: 10)))
        #expect(scheduled.stateKeys(variableCount: 1) == ["0/accumulator", "iterations"])
        // Before any update, slots are reported at their initial values.
        let state = try Adagrad(initialAccumulatorValue: 0.25).stateTensors(for: [matrix, vector])
        #expect(state["0/accumulator"] == Tensor(repeating: 0.25, shape: [2, 3]))
        #expect(state["1/accumulator"] == Tensor(repeating: 0.25, shape: [3]))
        #expect(state["iterations"] == Tensor(0))
    }

    @Test func loadStateRejectsWrongKeysShapesAndValuesWithoutChangingAnything() throws {
        let (matrix, vector) = referenceVariables()
        let optimizer = try Adam(learningRate: 0.1)
        let (g1, g2) = referenceGradients(matrix, vector)
        try optimizer.apply(gradients: [g1, g2], to: [matrix, vector])
        let good = optimizer.stateTensors(for: [matrix, vector])
        let momentumBefore = try #require(optimizer.slot("momentum", for: matrix)).value

        func expectFailure(_ state: [String: Tensor], _ expected: OptimizerError, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(throws: expected, sourceLocation: sourceLocation) { try optimizer.loadState(state, for: [matrix, vector]) }
            #expect(optimizer.iterations == 1, sourceLocation: sourceLocation)
            #expect(optimizer.slot("momentum", for: matrix)?.value == momentumBefore, sourceLocation: sourceLocation)
        }

        var missing = good
        missing["1/velocity"] = nil
        expectFailure(missing, .missingState(optimizer: "adam", key: "1/velocity"))

        var extra = good
        extra["2/momentum"] = Tensor([1])
        extra["u_product"] = Tensor(1)
        expectFailure(extra, .unexpectedState(optimizer: "adam", keys: ["2/momentum", "u_product"]))

        var badShape = good
        badShape["0/velocity"] = Tensor(zeros: [3, 2])
        expectFailure(badShape, .stateShapeMismatch(optimizer: "adam", key: "0/velocity", expected: [2, 3], found: [3, 2]))

        var vectorIterations = good
        vectorIterations["iterations"] = Tensor([7])
        expectFailure(vectorIterations, .stateShapeMismatch(optimizer: "adam", key: "iterations", expected: [], found: [1]))

        var fractional = good
        fractional["iterations"] = Tensor(2.5)
        expectFailure(fractional, .invalidState(optimizer: "adam", key: "iterations", message: "is 2.5, not a count of steps"))

        var negativeRate = good
        negativeRate["learning_rate"] = Tensor(-0.5)
        expectFailure(negativeRate, .invalidState(optimizer: "adam", key: "learning_rate", message: "is -0.5, negative"))

        var nanRate = good
        nanRate["learning_rate"] = Tensor(Float.nan)
        expectFailure(nanRate, .invalidState(optimizer: "adam", key: "learning_rate", message: "is nan, not finite"))

        // Adam's state does not fit SGD with momentum, nor a scheduled Adam, nor fewer variables.
        let sgd = try SGD(momentum: 0.9)
        #expect(throws: OptimizerError.unexpectedState(optimizer: "sgd", keys: ["0/velocity", "1/velocity"])) {
            try sgd.loadState(good, for: [matrix, vector])
        }
        #expect(throws: OptimizerError.missingState(optimizer: "rmsprop", key: "0/velocity")) {
            try RMSprop().loadState(["iterations": Tensor(0), "learning_rate": Tensor(0.1)], for: [matrix])
        }
        let scheduled = try Adam(learningRate: .schedule(try ExponentialDecay(initialLearningRate: 0.1, decaySteps: 5, decayRate: 0.5)))
        #expect(throws: OptimizerError.unexpectedState(optimizer: "adam", keys: ["learning_rate"])) {
            try scheduled.loadState(good, for: [matrix, vector])
        }
        #expect(throws: OptimizerError.unexpectedState(optimizer: "adam", keys: ["1/momentum", "1/velocity"])) {
            try Adam().loadState(good, for: [matrix])
        }

        // The good state loads, and the messages say what to do.
        try optimizer.loadState(good, for: [matrix, vector])
        #expect(OptimizerError.missingState(optimizer: "adam", key: "0/m").description.contains("same class and configuration"))
    }

    @Test func savedStateIsASnapshot() throws {
        let (matrix, vector) = referenceVariables()
        let optimizer = try SGD(learningRate: 0.1, momentum: 0.9)
        let (g1, g2) = referenceGradients(matrix, vector)
        try optimizer.apply(gradients: [g1, g2], to: [matrix, vector])
        let state = optimizer.stateTensors(for: [matrix, vector])
        let saved = try #require(state["0/momentum"])
        let copy = saved.scalars
        try optimizer.apply(gradients: [g1, g2], to: [matrix, vector])
        #expect(saved.scalars == copy, "a later update changed an exported state tensor")
        #expect(optimizer.slot("momentum", for: matrix)?.value.scalars != copy)
    }

    @Test func learningRateLoweredByACallbackSurvivesTheRestart() throws {
        let optimizer = try SGD(learningRate: 0.1)
        try optimizer.setLearningRate(0.025)
        let (matrix, vector) = referenceVariables()
        let state = optimizer.stateTensors(for: [matrix, vector])
        #expect(state["learning_rate"] == Tensor(0.025))
        let fresh = try SGD(learningRate: 0.1)
        try fresh.loadState(state, for: [matrix, vector])
        #expect(fresh.currentLearningRate == 0.025)
    }
}
