@testable import Neural
import Testing

/// The one internal function that puts the built-in initializers, regularizers, constraints and
/// `Activation` into a registry.
@Suite struct BuiltinRegistrationTests {
    @Test func registersEveryBuiltinUnderItsTypeName() throws {
        let registry = ObjectRegistry()
        registerBuiltinInitializersRegularizersConstraints(in: registry)
        let names = Initializers.builtinTypes.map { $0.typeName } + Regularizers.builtinTypes.map { $0.typeName }
            + Constraints.builtinTypes.map { $0.typeName } + [Activation.typeName]
        #expect(names.count == 26)
        for name in names { #expect(registry.contains(name), "\(name)") }
        // Keras's lower-case aliases stay out of the shared namespace.
        #expect(!registry.contains("glorot_uniform") && !registry.contains("Identity") && !registry.contains("Activation"))

        let initializer = try registry.make("GlorotUniform", configuration: ["seed": 3], as: (any Initializer).self, kind: "initializer")
        #expect(initializer(shape: [2, 2]) == GlorotUniform(seed: 3)(shape: [2, 2]))
        let regularizer = try registry.make("L2", configuration: ["l2": 0.5], as: (any Regularizer).self, kind: "regularizer")
        #expect(regularizer(Tensor([2])).scalar == 2)
        let constraint = try registry.make("NonNeg", configuration: [:], as: (any Constraint).self, kind: "constraint")
        #expect(constraint(Tensor([-1, 1])) == Tensor([0, 1]))
        let activation = try registry.make("ActivationFunction", configuration: ["name": "elu", "alpha": 2], as: Activation.self, kind: "activation")
        #expect(activation == .elu(alpha: 2))
    }
}
