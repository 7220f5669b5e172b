import Testing
import Tuning

/// The book's model-building code (seed 002), written against our `HyperParameters`.
func defineBookSpace(_ hp: HyperParameters) throws -> (nHidden: Int, nNeurons: Int, learningRate: Double, optimizer: String) {
    let nHidden = try hp.int("n_hidden", min: 0, max: 8, default: 2)
    let nNeurons = try hp.int("n_neurons", min: 16, max: 256)
    let learningRate = try hp.float("learning_rate", min: 1e-4, max: 1e-2, sampling: .log)
    let optimizer = try hp.choice("optimizer", values: ["sgd", "adam"])
    return (nHidden, nNeurons, learningRate, optimizer)
}

@Suite struct HyperParametersTests {
    @Test func firstDefinitionRegistersAndReturnsDefaults() throws {
        let hp = HyperParameters()
        let result = try defineBookSpace(hp)
        #expect(result.nHidden == 2)
        #expect(result.nNeurons == 16)
        #expect(result.learningRate == 1e-4)
        #expect(result.optimizer == "sgd")
        #expect(hp.space.names == ["n_hidden", "n_neurons", "learning_rate", "optimizer"])
        #expect(hp.values == ["n_hidden": 2, "n_neurons": 16, "learning_rate": 1e-4, "optimizer": "sgd"])
    }

    @Test func laterCallsReturnTheTrialsValues() throws {
        let collector = HyperParameters()
        _ = try defineBookSpace(collector)
        let trial = try HyperParameters(
            space: collector.space,
            values: ["n_hidden": 5, "n_neurons": 70, "learning_rate": 0.00041268008323824807, "optimizer": "adam"])
        let result = try defineBookSpace(trial)
        #expect(result.nHidden == 5)
        #expect(result.nNeurons == 70)
        #expect(result.learningRate == 0.00041268008323824807)
        #expect(result.optimizer == "adam")
        // Calling again inside the same build returns the same value.
        #expect(try trial.int("n_hidden", min: 0, max: 8, default: 2) == 5)
        #expect(trial["optimizer"] == "adam")
    }

    @Test func missingTrialValuesFallBackToDefaults() throws {
        let collector = HyperParameters()
        _ = try defineBookSpace(collector)
        let trial = try HyperParameters(space: collector.space, values: ["optimizer": "adam"])
        #expect(try trial.int("n_hidden", min: 0, max: 8, default: 2) == 2)
        #expect(trial.values["n_neurons"] == 16)
    }

    @Test func typedChoices() throws {
        let hp = HyperParameters()
        let units: Int = try hp.choice("units", values: [32, 64, 128], default: 64)
        let rate: Double = try hp.choice("dropout", values: [0.0, 0.25, 0.5])
        let flag: Bool = try hp.choice("shuffle", values: [true, false])
        let name: String = try hp.choice("activation", values: ["relu", "tanh"])
        let raw: HyperParameterValue = try hp.choice("mixed_literal", values: [1, 2] as [HyperParameterValue])
        #expect(units == 64 && rate == 0.0 && flag == true && name == "relu" && raw == .int(1))
        guard case .choice(let domain) = hp.space["units"]?.kind else {
            Issue.record("units should be a choice")
            return
        }
        #expect(domain.ordered == true)
        guard case .choice(let names) = hp.space["activation"]?.kind else { return }
        #expect(names.ordered == false)
    }

    @Test func booleanAndFixed() throws {
        let hp = HyperParameters()
        #expect(try hp.boolean("normalize") == false)
        #expect(try hp.boolean("augment", default: true) == true)
        #expect(try hp.fixed("epochs", value: 10) == 10)
        #expect(try hp.fixed("loss", value: "sparse_categorical_crossentropy") == "sparse_categorical_crossentropy")
        #expect(hp.values["epochs"] == 10)
        let trial = try HyperParameters(space: hp.space, values: ["normalize": true])
        #expect(try trial.boolean("normalize") == true)
    }

    @Test func conditionalScopeRegistersInactiveParametersWithoutValues() throws {
        let hp = HyperParameters()
        let optimizer = try hp.choice("optimizer", values: ["sgd", "adam"])
        let beta = try hp.conditionalScope(parent: "optimizer", values: ["adam"]) {
            try hp.float("beta_1", min: 0.8, max: 0.999, sampling: .reverseLog, default: 0.9)
        }
        let momentum = try hp.conditionalScope(parent: "optimizer", values: ["sgd"]) {
            try hp.float("momentum", min: 0, max: 0.99, default: 0.9)
        }
        #expect(optimizer == "sgd")
        #expect(beta == 0.9)  // the default, returned although inactive
        #expect(momentum == 0.9)
        #expect(hp.space.names == ["optimizer", "beta_1", "momentum"])
        #expect(hp.values == ["optimizer": "sgd", "momentum": 0.9])
        #expect(hp.isActive("momentum"))
        #expect(!hp.isActive("beta_1"))
        #expect(!hp.isActive("never_defined"))
        #expect(hp.space["beta_1"]?.conditions == [Condition(parent: "optimizer", values: ["adam"])])

        let adamTrial = try HyperParameters(space: hp.space, values: ["optimizer": "adam", "beta_1": 0.95])
        #expect(adamTrial.isActive("beta_1"))
        #expect(!adamTrial.isActive("momentum"))
        #expect(adamTrial.values == ["optimizer": "adam", "beta_1": 0.95])
    }

    @Test func nestedScopesNeedEveryCondition() throws {
        let hp = HyperParameters()
        try hp.choice("model", values: ["mlp", "cnn"])
        try hp.conditionalScope(parent: "model", values: ["cnn"]) {
            try hp.boolean("pooling", default: true)
            try hp.conditionalScope(parent: "pooling", values: [true]) {
                try hp.choice("pool_size", values: [2, 3])
            }
        }
        let space = hp.space
        #expect(space["pool_size"]?.conditions.count == 2)
        let cnn = try HyperParameters(space: space, values: ["model": "cnn"])
        #expect(cnn.values == ["model": "cnn", "pooling": true, "pool_size": 2])
        let cnnWithoutPooling = try HyperParameters(space: space, values: ["model": "cnn", "pooling": false])
        #expect(cnnWithoutPooling.values == ["model": "cnn", "pooling": false])
        let mlp = try HyperParameters(space: space, values: ["model": "mlp"])
        #expect(mlp.values == ["model": "mlp"])
    }

    @Test func trialValuesAreValidated() throws {
        let hp = HyperParameters()
        _ = try defineBookSpace(hp)
        #expect(throws: HyperParameterError.unknownParameter(name: "n_layers")) {
            try HyperParameters(space: hp.space, values: ["n_layers": 3])
        }
        #expect(throws: HyperParameterError.self) {
            try HyperParameters(space: hp.space, values: ["n_hidden": 9])
        }
        #expect(throws: HyperParameterError.self) {
            try HyperParameters(space: hp.space, values: ["optimizer": "rmsprop"])
        }
        // An integer literal is accepted for a float parameter.
        let trial = try HyperParameters(space: hp.space, values: ["learning_rate": 0.001])
        #expect(trial.values["learning_rate"] == .float(0.001))
    }

    @Test func descriptionListsActiveValuesInOrder() throws {
        let hp = HyperParameters()
        _ = try defineBookSpace(hp)
        #expect(hp.description == "HyperParameters(n_hidden: 2, n_neurons: 16, learning_rate: 0.0001, optimizer: sgd)")
    }
}
