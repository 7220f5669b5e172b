import Testing
import Neural

/// ClosureInitializer, ClosureRegularizer and ClosureConstraint share their name-based saving: each
/// saves `{"name": name}`, loads from its own table, and reports an unregistered name as before.
@Suite struct NamedClosureTests {
    /// Checks the error for a name no function of `T`'s kind has.
    func expectUnknown<T: NamedClosure>(_ type: T.Type, kind: String) {
        do {
            _ = try T(configuration: ["name": "named_closure_tests_unregistered"])
            Issue.record("\(T.typeName) loaded an unregistered function")
        } catch let ConfigurationError.unknownType(errorKind, name, known) {
            #expect(errorKind == kind && name == "named_closure_tests_unregistered")
            #expect(known == known.sorted() && !known.contains(name))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(throws: ConfigurationError.missingKey(type: T.typeName, key: "name")) { _ = try T(configuration: [:]) }
    }

    @Test func unregisteredNamesThrowNamingTheKind() {
        expectUnknown(ClosureInitializer.self, kind: "initializer function")
        expectUnknown(ClosureRegularizer.self, kind: "regularizer function")
        expectUnknown(ClosureConstraint.self, kind: "constraint function")
    }

    @Test func registeredFunctionsRoundTripThroughTheirOwnTable() throws {
        let name = "named_closure_tests_double"
        let constraint = ClosureConstraint.register(name: name) { $0 * 2 }
        #expect(constraint.name == name && constraint.configuration == ["name": .string(name)])
        #expect(ClosureConstraint.functions.names.contains(name))
        let loaded = try ClosureConstraint(configuration: constraint.configuration)
        #expect(loaded(Tensor([1, -2])) == Tensor([2, -4]))
        #expect(try Constraints.named(name) is ClosureConstraint)
        // The same name is not a regularizer or an initializer: each kind has its own table.
        #expect(ClosureRegularizer.functions.function(named: name) == nil)
        #expect(ClosureInitializer.functions.function(named: name) == nil)
        #expect(throws: ConfigurationError.self) { _ = try Regularizers.named(name) }

        let regularizer = ClosureRegularizer.register(name: name) { $0.sum() * 2 }
        let foundRegularizer = try Regularizers.named(name)
        let penalty = foundRegularizer(Tensor([1, 2]))
        #expect(penalty == regularizer(Tensor([1, 2])) && penalty == Tensor(6))
        let loadedRegularizer = try ClosureRegularizer(configuration: ["name": .string(name)])
        #expect(loadedRegularizer(Tensor([1, 2])) == Tensor(6))

        ClosureInitializer.register(name: name) { shape, _ in Tensor(repeating: 2, shape: shape) }
        let initializer = try Initializers.named(name)
        let values = initializer(shape: [2])
        #expect(values == Tensor([2, 2]))
        ClosureConstraint.functions.unregister(name)
        #expect(throws: ConfigurationError.self) { _ = try Constraints.named(name) }
        #expect(ClosureRegularizer.functions.function(named: name) != nil)
    }
}
