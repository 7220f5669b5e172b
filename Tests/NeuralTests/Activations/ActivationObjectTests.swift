import Foundation
import Neural
import Testing

/// `Activation` values: the core ops they stand for, Keras names, fusion with Dense, saving.
@Suite struct ActivationObjectTests {
    /// Away from 0, where relu and its relatives have a kink.
    static let x = Tensor([[-2.3, -0.7, 0.35], [1.2, -0.15, 2.6]])

    /// Every case with non-default arguments where it has some.
    static let allBuiltins: [Activation] = [
        .linear, .relu, .relu6, .leakyRelu(alpha: 0.3), .elu(alpha: 0.5), .selu, .sigmoid, .tanh, .softmax(axis: 0),
        .logSoftmax(axis: 0), .softplus, .softsign, .gelu(approximate: true), .swish, .mish, .exponential,
    ]

    @Test func casesApplyTheCoreOps() {
        let x = Self.x
        #expect(Activation.linear(x) == x)
        #expect(Activation.identity(x) == x)
        #expect(Activation.relu(x) == x.relu())
        #expect(Activation.leakyRelu()(x) == x.leakyRelu(alpha: 0.2))
        #expect(Activation.leakyRelu(alpha: 0.3)(x) == x.leakyRelu(alpha: 0.3))
        #expect(Activation.elu()(x) == x.elu(alpha: 1))
        #expect(Activation.elu(alpha: 0.5)(x) == x.elu(alpha: 0.5))
        #expect(Activation.selu(x) == x.selu())
        #expect(Activation.sigmoid(x) == x.sigmoid())
        #expect(Activation.tanh(x) == x.tanh())
        #expect(Activation.softmax()(x) == x.softmax(alongAxis: -1))
        #expect(Activation.softmax(axis: 0)(x) == x.softmax(alongAxis: 0))
        #expect(Activation.logSoftmax()(x) == x.logSoftmax(alongAxis: -1))
        #expect(Activation.softplus(x) == x.softplus())
        #expect(Activation.softsign(x) == x.softsign())
        #expect(Activation.gelu()(x) == x.gelu(approximate: false))
        #expect(Activation.gelu(approximate: true)(x) == x.gelu(approximate: true))
        #expect(Activation.swish(x) == x.swish())
        #expect(Activation.exponential(x) == x.exp())
    }

    /// The compositions, against values computed in Double.
    @Test func relu6AndMishValues() {
        let x = Tensor([-1, 0.5, 3, 7.5])
        expectClose(Activation.relu6(x), [0, 0.5, 3, 6])
        let mish = x.scalars.map { v -> Float in
            let d = Double(v)
            return Float(d * Foundation.tanh(Foundation.log1p(Foundation.exp(d))))
        }
        expectClose(Activation.mish(x), mish)
    }

    @Test func gradientsFlowThroughEveryCase() {
        for activation in Self.allBuiltins {
            checkGradients([Self.x]) { activation($0[0]) }
        }
        checkGradients([Self.x]) { Activation.custom(name: "cube") { $0 * $0 * $0 }($0[0]) }
    }

    @Test func fusedFormsMatchTheUnfusedDense() {
        let x = randomTensor([4, 3], seed: 2), weight = randomTensor([3, 5], seed: 3), bias = randomTensor([5], seed: 4)
        let linear = Tensor.dense(x, weight: weight, bias: bias)
        for activation in [Activation.relu, .sigmoid, .tanh, .linear] {
            let fused = try! #require(activation.fusedForm)
            expectClose(Tensor.dense(x, weight: weight, bias: bias, activation: fused), activation(linear).scalars, tolerance: 1e-6)
        }
        #expect(Activation.relu.fusedForm == .relu)
        #expect(Activation.linear.fusedForm == .identity)
        #expect(Activation.sigmoid.fusedForm == .sigmoid)
        #expect(Activation.tanh.fusedForm == .tanh)
        for activation in Self.allBuiltins where ![.relu, .sigmoid, .tanh, .linear].contains(activation) {
            #expect(activation.fusedForm == nil, "\(activation)")
        }
    }

    // MARK: - Names

    @Test func kerasStringsGiveTheDefaults() throws {
        #expect(try Activation(named: "relu") == .relu)
        #expect(try Activation(named: "softmax") == .softmax(axis: -1))
        #expect(try Activation(named: "leaky_relu") == .leakyRelu(alpha: 0.2))
        #expect(try Activation(named: "elu") == .elu(alpha: 1))
        #expect(try Activation(named: "gelu") == .gelu(approximate: false))
        #expect(try Activation(named: "silu") == .swish)
        #expect(try Activation(named: "swish") == .swish)
        #expect(try Activation(named: "linear") == .linear)
        #expect(try Activation(named: nil) == .linear)
        for activation in Self.allBuiltins {
            #expect(try Activation(named: activation.name).name == activation.name)
        }
        #expect(Activation.relu != .sigmoid)
        #expect(Activation.leakyRelu(alpha: 0.3) != .leakyRelu())
        #expect(Activation.leakyRelu() != .elu(alpha: 0.2))
    }

    @Test func unknownNameThrowsListingTheKnownOnes() {
        do {
            _ = try Activation(named: "rellu")
            Issue.record("a misspelt name was accepted")
        } catch {
            guard case let .unknownType(kind, name, known) = error else { Issue.record("\(error)"); return }
            #expect(kind == "activation" && name == "rellu")
            #expect(known.contains("relu") && known.contains("softmax") && known.contains("leaky_relu"))
            #expect(error.description.contains("rellu"))
        }
    }

    // MARK: - Custom functions (the seed's my_softplus)

    @Test func customActivationLikeTheSeedsSoftplus() throws {
        let mySoftplus = Activation.register(name: "my_softplus") { z in (1 + z.exp()).log() }
        expectClose(mySoftplus(Self.x), Self.x.softplus().scalars, tolerance: 1e-6)
        #expect(mySoftplus.name == "my_softplus")
        #expect(mySoftplus.fusedForm == nil)
        #expect(mySoftplus.identifier == "my_softplus")
        let loaded = try Activation(identifier: throughJSON(mySoftplus.identifier))
        #expect(loaded == mySoftplus)
        expectClose(loaded(Self.x), Self.x.softplus().scalars, tolerance: 1e-6)
        #expect(Activation.knownNames.contains("my_softplus"))
        // Unregistered closures save by name but cannot be loaded.
        let unregistered = Activation.custom(name: "unregistered_activation") { $0 }
        #expect(unregistered.identifier == "unregistered_activation")
        #expect(throws: ConfigurationError.self) { _ = try Activation(identifier: unregistered.identifier) }
    }

    @Test func registeringABuiltinNameTraps() async {
        await #expect(processExitsWith: .failure) { _ = Activation.register(name: "relu") { $0 } }
    }

    // MARK: - Saving

    @Test func identifiersAreKerasStringsWhenArgumentsAreDefaults() {
        #expect(Activation.relu.identifier == "relu")
        #expect(Activation.softmax().identifier == "softmax")
        #expect(Activation.leakyRelu().identifier == "leaky_relu")
        #expect(Activation.leakyRelu(alpha: 0.3).identifier == ["name": "leaky_relu", "negative_slope": 0.3])
        #expect(Activation.elu(alpha: 0.5).identifier == ["name": "elu", "alpha": 0.5])
        #expect(Activation.softmax(axis: 1).identifier == ["name": "softmax", "axis": 1])
        #expect(Activation.gelu(approximate: true).identifier == ["name": "gelu", "approximate": true])
        #expect(Activation.leakyRelu(alpha: 0.3).description == "leaky_relu(negative_slope: 0.3)")
        #expect(Activation.relu.description == "relu")
    }

    @Test func everyCaseRoundTripsThroughJSONCodableAndObjectRegistry() throws {
        let registry = ObjectRegistry()
        registry.register(Activation.self)
        for activation in Self.allBuiltins + [.leakyRelu(), .softmax(), .gelu(), Activation.register(name: "sample_double") { $0 * 2 }] {
            #expect(try Activation(identifier: throughJSON(activation.identifier)) == activation, "\(activation)")
            let data = try JSONEncoder().encode([activation])
            #expect(try JSONDecoder().decode([Activation].self, from: data) == [activation], "\(activation)")
            let saved = try throughJSON(ObjectRegistry.serialize(activation))
            #expect(saved.objectValue?["class_name"] == "ActivationFunction")
            let made = try registry.make("ActivationFunction", configuration: saved.objectValue?["config"]?.objectValue ?? [:],
                                         as: Activation.self, kind: "activation")
            #expect(made == activation, "\(activation)")
            #expect(try Activation(identifier: saved) == activation, "\(activation)")
            #expect(made(Self.x) == activation(Self.x), "\(activation)")
        }
    }

    /// Keras 3's function form, Keras 2's `alpha` for leaky ReLU, `null` for linear.
    @Test func readsKerasForms() throws {
        #expect(try Activation(identifier: ["module": "keras.activations", "class_name": "function", "config": "relu",
                                            "registered_name": "relu"]) == .relu)
        #expect(try Activation(identifier: ["name": "leaky_relu", "alpha": 0.1]) == .leakyRelu(alpha: 0.1))
        #expect(try Activation(identifier: nil) == .linear)
        #expect(throws: ConfigurationError.self) { _ = try Activation(identifier: 3) }
        #expect(throws: ConfigurationError.self) { _ = try Activation(identifier: ["name": "softmax", "axis": "last"]) }
        #expect(throws: ConfigurationError.self) { _ = try Activation(identifier: ["class_name": "Dense", "config": [:]]) }
    }
}
