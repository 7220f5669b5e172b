import Neural
import Testing

/// The seed's `MyL1Regularizer`: a regularizer type whose hyperparameter `factor` is saved.
struct MyL1Regularizer: Regularizer {
    static let typeName = "MyL1Regularizer"
    var factor: Float
    init(factor: Float) { self.factor = factor }
    init(configuration: Configuration) throws {
        factor = Float(try configuration.double("factor", in: Self.typeName))
    }
    var configuration: Configuration { ["factor": JSONValue(factor)] }
    /// `tf.reduce_sum(tf.abs(self.factor * weights))`.
    func callAsFunction(_ weights: Tensor) -> Tensor { (weights * factor).abs().sum() }
}

/// Keras 3's regularizers: values, gradients through the tape, names and saved configurations.
@Suite struct RegularizerTests {
    static let weights = Tensor([[1, -2], [3, -4]])
    /// Away from 0, where |x| has its kink.
    static let smooth = Tensor([[0.7, -1.3, 0.4], [-0.25, 2.1, -0.9]])

    @Test func valuesMatchKerasFormulas() {
        let w = Self.weights
        // Σ|w| = 10, Σw² = 30.
        #expect(L1()(w).shape == [])
        expectClose(L1()(w), [0.1])
        expectClose(L1(0.5)(w), [5])
        expectClose(L2()(w), [0.3])
        expectClose(L2(0.1)(w), [3])
        expectClose(L1L2(l1: 0.01, l2: 0.02)(w), [0.7])
        expectClose(L1L2(l1: 0.2)(w), [2])
        expectClose(L1L2(l2: 0.2)(w), [6])
        #expect(L1L2()(w).scalar == 0)
        expectClose(MyL1Regularizer(factor: 0.01)(w), [0.1])
    }

    @Test func gradientsMatchFiniteDifferences() {
        let x = Self.smooth
        checkGradients([x]) { L1(0.3)($0[0]) }
        checkGradients([x]) { L2(0.3)($0[0]) }
        checkGradients([x]) { L1L2(l1: 0.1, l2: 0.4)($0[0]) }
        checkGradients([x]) { MyL1Regularizer(factor: 0.05)($0[0]) }
        checkGradients([x]) { ClosureRegularizer(name: "sum_of_cubes") { ($0 * $0 * $0).sum() * 0.1 }($0[0]) }
    }

    /// The penalty's gradient with respect to a variable, as a training step sees it.
    @Test func gradientsThroughTheTapeAreExact() throws {
        let w = Variable(Self.smooth)
        let tape = GradientTape(persistent: true)
        let (l1, l2) = tape.record { (L1(0.5)(w.value), L2(0.25)(w.value)) }
        let l1Gradient = try #require(try tape.gradient(of: l1, wrt: w))
        let l2Gradient = try #require(try tape.gradient(of: l2, wrt: w))
        #expect(l1Gradient.scalars == Self.smooth.scalars.map { $0 > 0 ? 0.5 : -0.5 })
        expectClose(l2Gradient, Self.smooth.scalars.map { 0.5 * $0 })
    }

    /// The seed's `my_l1_regularizer` as a closure, saved by name.
    @Test func closureRegularizerLikeTheSeed() throws {
        let myL1 = ClosureRegularizer.register(name: "my_l1_regularizer") { weights in (weights * 0.01).abs().sum() }
        expectClose(myL1(Self.weights), [0.1])
        let loaded = try #require(try Regularizers.deserialize(Regularizers.serialize(myL1)))
        expectClose(loaded(Self.weights), [0.1])
        let byName = try Regularizers.named("my_l1_regularizer")
        expectClose(byName(Self.weights), [0.1])
        #expect(throws: ConfigurationError.self) { _ = try ClosureRegularizer(configuration: ["name": "unregistered_regularizer"]) }
    }

    @Test func closureReturningNonScalarTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = ClosureRegularizer(name: "not_a_scalar") { $0.abs() }(Tensor([1, 2]))
        }
    }

    @Test func negativeFactorTraps() async {
        await #expect(processExitsWith: .failure) { _ = L2(-0.1) }
    }

    // MARK: - Names and configurations

    @Test func kerasNamesGiveDefaults() throws {
        #expect(try Regularizers.named("l1") as? L1 == L1(0.01))
        #expect(try Regularizers.named("L1") as? L1 == L1(0.01))
        #expect(try Regularizers.named("l2") as? L2 == L2(0.01))
        #expect(try Regularizers.named("l1_l2") as? L1L2 == L1L2(l1: 0, l2: 0))
        #expect(try Regularizers.named("L1L2") as? L1L2 == L1L2())
        #expect(try Regularizers.deserialize(nil) == nil)
        #expect(Regularizers.serialize(nil) == nil)
        do {
            _ = try Regularizers.named("l3")
            Issue.record("an unknown name was accepted")
        } catch let error as ConfigurationError {
            guard case let .unknownType(kind, name, known) = error else { Issue.record("\(error)"); return }
            #expect(kind == "regularizer" && name == "l3")
            #expect(known.contains("l1") && known.contains("l2") && known.contains("l1_l2"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func configurationsUseKerasKeys() throws {
        #expect(L1(0.02).configuration == ["l1": 0.02])
        #expect(L2().configuration == ["l2": 0.01])
        #expect(L1L2(l1: 0.1, l2: 0.2).configuration == ["l1": 0.1, "l2": 0.2])
        let keras: JSONValue = ["module": "keras.regularizers", "class_name": "L2", "config": ["l2": 0.001], "registered_name": nil]
        #expect(try Regularizers.deserialize(keras) as? L2 == L2(0.001))
        #expect(throws: ConfigurationError.self) { try L1(configuration: ["l1": -0.5]) }
        #expect(throws: ConfigurationError.self) { try L1L2(configuration: ["l2": "a lot"]) }
    }

    @Test func everyTypeRoundTripsThroughObjectRegistry() throws {
        let samples: [any Regularizer] = [
            L1(0.03), L2(0.004), L1L2(l1: 0.001, l2: 0.002),
            ClosureRegularizer.register(name: "sample_sum_regularizer") { $0.sum() },
        ]
        #expect(Set(samples.map { type(of: $0).typeName }) == Set(Regularizers.builtinTypes.map { $0.typeName }))
        let registry = ObjectRegistry()
        for type in Regularizers.builtinTypes { registry.register(type) }
        registry.register(MyL1Regularizer.self)
        for sample in samples + [MyL1Regularizer(factor: 0.07)] {
            let typeName = type(of: sample).typeName
            let saved = try throughJSON(Regularizers.serialize(sample))
            let loaded = try registry.make(typeName, configuration: saved.objectValue?["config"]?.objectValue ?? [:],
                                           as: (any Regularizer).self, kind: "regularizer")
            let viaHelper = try #require(try Regularizers.deserialize(saved, registry: registry))
            for regularizer in [loaded, viaHelper] {
                #expect(type(of: regularizer) == type(of: sample), "\(typeName)")
                #expect(regularizer.configuration == sample.configuration, "\(typeName)")
                #expect(regularizer(Self.smooth) == sample(Self.smooth), "\(typeName)")
            }
        }
        // The seed's custom class keeps its factor through a save.
        let saved = try throughJSON(Regularizers.serialize(MyL1Regularizer(factor: 0.07)))
        #expect(saved == ["class_name": "MyL1Regularizer", "config": ["factor": 0.07]])
        // Without registration it is unknown, as in Keras without custom_objects.
        #expect(throws: ConfigurationError.self) { try Regularizers.deserialize(saved, registry: ObjectRegistry()) }
    }
}
