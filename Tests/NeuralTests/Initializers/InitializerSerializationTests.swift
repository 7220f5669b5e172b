import Foundation
import Neural
import Testing

/// A value through JSON and back, as a saved model file does it.
func throughJSON(_ value: JSONValue) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
}

/// Keras names, configurations and ObjectRegistry round trips for every initializer.
@Suite struct InitializerSerializationTests {
    /// One instance of every built-in with non-default arguments.
    static let samples: [any Initializer] = [
        GlorotUniform(seed: 1), GlorotNormal(), HeUniform(seed: 3), HeNormal(), LecunUniform(), LecunNormal(seed: 6),
        VarianceScaling(scale: 0.5, mode: .fanAverage, distribution: .untruncatedNormal, seed: 7),
        Zeros(), Ones(), Constant(0.3), RandomNormal(mean: 0.1, standardDeviation: 0.2, seed: 9),
        RandomUniform(minimum: -0.3, maximum: 0.7), TruncatedNormal(mean: -1, standardDeviation: 0.01, seed: UInt64.max),
        OrthogonalInitializer(gain: 1.5, seed: 12), IdentityInitializer(gain: 0.5),
        ClosureInitializer.register(name: "sample_fill_seven") { shape, _ in Tensor(repeating: 7, shape: shape) },
    ]

    @Test func everyBuiltinRoundTripsThroughObjectRegistry() throws {
        let registry = ObjectRegistry()
        for type in Initializers.builtinTypes { registry.register(type) }
        #expect(Set(Self.samples.map { type(of: $0).typeName }) == Set(Initializers.builtinTypes.map { $0.typeName }),
                "every built-in has a sample")
        for sample in Self.samples {
            let typeName = type(of: sample).typeName
            let saved = try throughJSON(Initializers.serialize(sample))
            #expect(saved.objectValue?["class_name"] == .string(typeName))
            let fromRegistry = try registry.make(typeName, configuration: saved.objectValue?["config"]?.objectValue ?? [:],
                                                 as: (any Initializer).self, kind: "initializer")
            let fromHelper = try Initializers.deserialize(saved, registry: ObjectRegistry())
            for loaded in [fromRegistry, fromHelper] {
                #expect(type(of: loaded) == type(of: sample))
                #expect(loaded.configuration == sample.configuration, "\(typeName)")
                var a = SeededGenerator(seed: 4), b = SeededGenerator(seed: 4)
                #expect(loaded(shape: [5, 5], generator: &a) == sample(shape: [5, 5], generator: &b), "\(typeName)")
            }
        }
    }

    @Test func configurationsUseKerasKeys() {
        #expect(GlorotUniform().configuration == ["seed": nil])
        #expect(HeNormal(seed: 42).configuration == ["seed": 42])
        #expect(VarianceScaling().configuration == ["scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal", "seed": nil])
        #expect(RandomNormal().configuration == ["mean": 0.0, "stddev": 0.05, "seed": nil])
        #expect(RandomUniform().configuration == ["minval": -0.05, "maxval": 0.05, "seed": nil])
        #expect(Constant(0.1).configuration == ["value": 0.1])
        #expect(OrthogonalInitializer().configuration == ["gain": 1.0, "seed": nil])
        #expect(Zeros().configuration.isEmpty)
    }

    @Test func kerasNamesGiveDefaults() throws {
        #expect(try Initializers.named("glorot_uniform") as? GlorotUniform == GlorotUniform())
        #expect(try Initializers.named("GlorotUniform") as? GlorotUniform == GlorotUniform())
        #expect(try Initializers.named("glorot_normal") as? GlorotNormal == GlorotNormal())
        #expect(try Initializers.named("he_normal") as? HeNormal == HeNormal())
        #expect(try Initializers.named("he_uniform") as? HeUniform == HeUniform())
        #expect(try Initializers.named("lecun_normal") as? LecunNormal == LecunNormal())
        #expect(try Initializers.named("lecun_uniform") as? LecunUniform == LecunUniform())
        #expect(try Initializers.named("zeros") as? Zeros == Zeros())
        #expect(try Initializers.named("zero") as? Zeros == Zeros())
        #expect(try Initializers.named("ones") as? Ones == Ones())
        #expect(try Initializers.named("constant") as? Constant == Constant(0))
        #expect(try Initializers.named("random_normal") as? RandomNormal == RandomNormal())
        #expect(try Initializers.named("normal") as? RandomNormal == RandomNormal())
        #expect(try Initializers.named("random_uniform") as? RandomUniform == RandomUniform())
        #expect(try Initializers.named("uniform") as? RandomUniform == RandomUniform())
        #expect(try Initializers.named("truncated_normal") as? TruncatedNormal == TruncatedNormal())
        #expect(try Initializers.named("variance_scaling") as? VarianceScaling == VarianceScaling())
        #expect(try Initializers.named("orthogonal") as? OrthogonalInitializer == OrthogonalInitializer())
        #expect(try Initializers.named("identity") as? IdentityInitializer == IdentityInitializer())
        // The Glorot presets are VarianceScaling underneath, with Keras's arguments.
        #expect(GlorotUniform().varianceScaling == VarianceScaling(scale: 1, mode: .fanAverage, distribution: .uniform))
        #expect(HeNormal().varianceScaling == VarianceScaling(scale: 2, mode: .fanIn, distribution: .truncatedNormal))
        #expect(LecunUniform().varianceScaling == VarianceScaling(scale: 1, mode: .fanIn, distribution: .uniform))
    }

    @Test func unknownNameListsTheKnownOnes() {
        do {
            _ = try Initializers.named("glorot_uniformm")
            Issue.record("a misspelt name was accepted")
        } catch let error as ConfigurationError {
            guard case let .unknownType(kind, name, known) = error else { Issue.record("\(error)"); return }
            #expect(kind == "initializer" && name == "glorot_uniformm")
            #expect(known.contains("glorot_uniform") && known.contains("he_normal") && known.contains("zeros"))
            #expect(error.description.contains("glorot_uniformm") && error.description.contains("lecun_normal"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: ConfigurationError.self) { try Initializers.deserialize(["class_name": "NoSuchInitializer"]) }
        #expect(throws: ConfigurationError.self) { try Initializers.deserialize(42) }
    }

    /// What Keras itself writes: the `module`/`registered_name` keys are ignored, `"normal"` is read as
    /// truncated normal, missing keys take defaults, and a custom type is found in the registry.
    @Test func readsKerasStyleConfigurations() throws {
        let keras: JSONValue = [
            "module": "keras.initializers", "class_name": "VarianceScaling", "registered_name": nil,
            "config": ["scale": 2.0, "mode": "fan_out", "distribution": "normal", "seed": nil],
        ]
        let scaling = try Initializers.deserialize(keras) as? VarianceScaling
        #expect(scaling == VarianceScaling(scale: 2, mode: .fanOut))
        let orthogonal = try Initializers.deserialize(["class_name": "Orthogonal", "config": ["gain": 2]]) as? OrthogonalInitializer
        #expect(orthogonal == OrthogonalInitializer(gain: 2))
        let he = try Initializers.deserialize("he_uniform") as? HeUniform
        #expect(he == HeUniform())
        let uniform = try Initializers.deserialize(["class_name": "RandomUniform"]) as? RandomUniform
        #expect(uniform == RandomUniform())
    }

    @Test func invalidConfigurationsThrowNamingTheKey() {
        let expected = ConfigurationError.invalidValue(
            type: "VarianceScaling", key: "mode", expected: "one of fan_in, fan_out, fan_avg", found: "fan_sideways")
        #expect(throws: expected) { try VarianceScaling(configuration: ["mode": "fan_sideways"]) }
        #expect(throws: ConfigurationError.self) { try VarianceScaling(configuration: ["scale": -1.0]) }
        #expect(throws: ConfigurationError.self) { try VarianceScaling(configuration: ["distribution": "cauchy"]) }
        #expect(throws: ConfigurationError.self) { try RandomUniform(configuration: ["minval": 1.0, "maxval": 0.0]) }
        #expect(throws: ConfigurationError.self) { try RandomNormal(configuration: ["stddev": -0.1]) }
        #expect(throws: ConfigurationError.self) { try GlorotUniform(configuration: ["seed": "abc"]) }
        #expect(throws: ConfigurationError.self) { try Constant(configuration: ["value": "one"]) }
    }

    @Test func customTypesLoadThroughTheRegistry() throws {
        let registry = ObjectRegistry()
        registry.register(ScaledOnes.self)
        let custom = try Initializers.deserialize(Initializers.serialize(ScaledOnes(factor: 3)), registry: registry)
        #expect(custom(shape: [2]) == Tensor([3, 3]))
        let byName = try Initializers.named("ScaledOnes", registry: registry)
        #expect(byName(shape: [1]) == Tensor([1]))
        #expect(throws: ConfigurationError.self) { try Initializers.named("ScaledOnes", registry: ObjectRegistry()) }
    }

    /// Seeds survive the trip even above `Int.max` (saved as the bit pattern).
    @Test func largeSeedsRoundTrip() throws {
        let initializer = GlorotUniform(seed: UInt64.max - 5)
        let loaded = try GlorotUniform(configuration: #require(throughJSON(.object(initializer.configuration)).objectValue))
        #expect(loaded.seed == UInt64.max - 5)
    }
}

/// A custom initializer type with a saved hyperparameter, as a user would write one.
struct ScaledOnes: Initializer {
    static let typeName = "ScaledOnes"
    var factor: Float
    init(factor: Float) { self.factor = factor }
    init(configuration: Configuration) throws {
        factor = try configuration.float("factor", in: Self.typeName, default: 1)
    }
    var configuration: Configuration { ["factor": JSONValue(factor)] }
    func callAsFunction(shape: [Int], generator: inout SeededGenerator) -> Tensor {
        Tensor(repeating: factor, shape: shape)
    }
}
