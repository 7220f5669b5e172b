import Neural
import Testing

/// Keras 3's constraints against hand computation (NumPy in Double, rounded), in place and not.
@Suite struct ConstraintTests {
    /// Column norms 5 and √0.5; row norms √9.25 and √16.25.
    static let w = Tensor([[3, 0.5], [4, 0.5]])

    @Test func maxNormMatchesKeras() {
        // Axis 0 (Keras's default): the first column is scaled to norm 2, the second is below the cap.
        expectClose(MaxNorm()(Self.w), [1.2, 0.49999993, 1.6, 0.49999993], shape: [2, 2], tolerance: 1e-6)
        expectClose(MaxNorm(maxValue: 2, axis: 1)(Self.w), [1.9727878, 0.32879796, 1.9845557, 0.24806946], tolerance: 1e-6)
        expectClose(MaxNorm(maxValue: 2, axis: -1)(Self.w), [1.9727878, 0.32879796, 1.9845557, 0.24806946], tolerance: 1e-6)
        // A convolution kernel [kh, kw, in, out] with axes [0, 1, 2]: one norm per output filter.
        let kernel = Tensor(shape: [2, 2, 1, 2], scalars: (1...8).map(Float.init))
        expectClose(MaxNorm(maxValue: 3, axes: [0, 1, 2])(kernel), [
            0.32732683, 0.54772255, 0.98198050, 1.0954451, 1.6366342, 1.6431677, 2.2912878, 2.1908902,
        ], shape: [2, 2, 1, 2], tolerance: 1e-6)
    }

    @Test func unitNormAndMinMaxNormMatchKeras() {
        expectClose(UnitNorm()(Self.w), [0.6, 0.70710668, 0.8, 0.70710668], tolerance: 1e-6)
        // Norms 5 and 0.707 pulled halfway toward [1, 2]: to 3.5 and 0.854.
        expectClose(MinMaxNorm(minValue: 1, maxValue: 2, rate: 0.5)(Self.w), [2.1, 0.60355331, 2.8, 0.60355331], tolerance: 1e-6)
        // Rate 1 projects onto the interval.
        expectClose(MinMaxNorm(minValue: 1, maxValue: 2)(Self.w), [1.2, 0.70710678, 1.6, 0.70710678], tolerance: 1e-6)
    }

    @Test func nonNegZeroesNegatives() {
        let x = Tensor([[-1, 0, 2.5], [-0.5, 3, -7]])
        #expect(NonNeg()(x) == Tensor([[0, 0, 2.5], [0, 3, 0]]))
        #expect(NonNeg()(Tensor([Float.nan])).scalars[0].isNaN)
    }

    /// Every axis choice of a rank-3 tensor against the formula written with tensor ops.
    @Test func normConstraintsMatchTensorFormulaForEveryAxisSet() {
        let x = randomTensor([3, 4, 5], seed: 21, lower: -2, upper: 2)
        let axisSets: [[Int]] = [[0], [1], [2], [-1], [0, 1], [0, 2], [1, 2], [0, 1, 2], [2, 0]]
        for axes in axisSets {
            let norms = x.squared().sum(alongAxes: axes, keepDims: true).sqrt()
            let cap: Float = 1.5
            expectClose(MaxNorm(maxValue: cap, axes: axes)(x), (x * (norms.clipped(min: 0, max: cap) / (norms + 1e-7))).scalars,
                        shape: x.shape, tolerance: 1e-5)
            expectClose(UnitNorm(axes: axes)(x), (x / (norms + 1e-7)).scalars, tolerance: 1e-5)
            let desired = norms.clipped(min: 0.5, max: 2) * 0.3 + norms * 0.7
            expectClose(MinMaxNorm(minValue: 0.5, maxValue: 2, rate: 0.3, axes: axes)(x), (x * (desired / (norms + 1e-7))).scalars,
                        tolerance: 1e-5)
        }
        // A bias vector: axis 0 is its whole length.
        let bias = Tensor([3, 4])
        expectClose(MaxNorm(maxValue: 1)(bias), [0.6, 0.8], tolerance: 1e-6)
    }

    /// What an optimizer does after each update: the variable changes in place.
    @Test func applyToVariableConstrainsInPlace() {
        let constraints: [any Constraint] = [
            MaxNorm(), UnitNorm(axis: 1), MinMaxNorm(minValue: 1, maxValue: 2, rate: 0.5), NonNeg(),
            ClosureConstraint(name: "halve") { $0 * 0.5 },
        ]
        let start = Tensor([[3, -0.5], [4, 0.5]])
        for constraint in constraints {
            let variable = Variable(start)
            constraint.apply(to: variable)
            #expect(variable.value == constraint(start), "\(type(of: constraint))")
        }
        // A copy sharing storage with the variable is not changed.
        let variable = Variable(start)
        let before = variable.value
        NonNeg().apply(to: variable)
        #expect(before == start)
        #expect(variable.value == Tensor([[3, 0], [4, 0.5]]))
    }

    /// The seed's `my_positive_weights`: `tf.where(weights < 0., tf.zeros_like(weights), weights)`.
    @Test func closureConstraintLikeTheSeed() throws {
        let positive = ClosureConstraint.register(name: "my_positive_weights") { weights in
            Tensor.where(weights .< 0, Tensor(zerosLike: weights), weights)
        }
        let x = Tensor([[-1, 2], [3, -4]])
        #expect(positive(x) == NonNeg()(x))
        let loaded = try #require(try Constraints.deserialize(Constraints.serialize(positive)))
        #expect(loaded(x) == Tensor([[0, 2], [3, 0]]))
        let byName = try Constraints.named("my_positive_weights")
        #expect(byName(x) == Tensor([[0, 2], [3, 0]]))
    }

    @Test func badAxisTrapsNamingTheConstraint() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = MaxNorm(maxValue: 1, axis: 2)(Tensor([[1, 2], [3, 4]]))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("MaxNorm") && message.contains("axis 2"))
    }

    // MARK: - Names and configurations

    @Test func kerasNamesGiveDefaults() throws {
        #expect(try Constraints.named("max_norm") as? MaxNorm == MaxNorm(maxValue: 2, axis: 0))
        #expect(try Constraints.named("MaxNorm") as? MaxNorm == MaxNorm())
        #expect(try Constraints.named("non_neg") as? NonNeg == NonNeg())
        #expect(try Constraints.named("nonneg") as? NonNeg == NonNeg())
        #expect(try Constraints.named("unit_norm") as? UnitNorm == UnitNorm(axis: 0))
        #expect(try Constraints.named("min_max_norm") as? MinMaxNorm == MinMaxNorm(minValue: 0, maxValue: 1, rate: 1, axis: 0))
        #expect(try Constraints.deserialize(nil) == nil)
        do {
            _ = try Constraints.named("positive")
            Issue.record("an unknown name was accepted")
        } catch let error as ConfigurationError {
            guard case let .unknownType(kind, _, known) = error else { Issue.record("\(error)"); return }
            #expect(kind == "constraint" && known.contains("max_norm") && known.contains("non_neg"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func configurationsUseKerasKeys() throws {
        #expect(MaxNorm().configuration == ["max_value": 2.0, "axis": 0])
        #expect(MaxNorm(maxValue: 3, axes: [0, 1, 2]).configuration == ["max_value": 3.0, "axis": [0, 1, 2]])
        #expect(UnitNorm(axis: -1).configuration == ["axis": -1])
        #expect(MinMaxNorm().configuration == ["min_value": 0.0, "max_value": 1.0, "rate": 1.0, "axis": 0])
        #expect(NonNeg().configuration.isEmpty)
        let keras: JSONValue = ["module": "keras.constraints", "class_name": "MaxNorm", "config": ["max_value": 3, "axis": [0, 1, 2]]]
        #expect(try Constraints.deserialize(keras) as? MaxNorm == MaxNorm(maxValue: 3, axes: [0, 1, 2]))
    }

    @Test func invalidConfigurationsThrow() {
        #expect(throws: ConfigurationError.self) { _ = try MaxNorm(configuration: ["max_value": -1]) }
        #expect(throws: ConfigurationError.self) { _ = try MaxNorm(configuration: ["axis": "rows"]) }
        #expect(throws: ConfigurationError.self) { _ = try UnitNorm(configuration: ["axis": []]) }
        #expect(throws: ConfigurationError.self) { _ = try MinMaxNorm(configuration: ["min_value": 2, "max_value": 1]) }
        #expect(throws: ConfigurationError.self) { _ = try ClosureConstraint(configuration: ["name": "never_registered_constraint"]) }
    }

    @Test func everyTypeRoundTripsThroughObjectRegistry() throws {
        let samples: [any Constraint] = [
            MaxNorm(maxValue: 3, axes: [0, 1]), NonNeg(), UnitNorm(axis: 1), MinMaxNorm(minValue: 0.5, maxValue: 4, rate: 0.25, axis: -1),
            ClosureConstraint.register(name: "sample_clip_constraint") { $0.clipped(min: -1, max: 1) },
        ]
        #expect(Set(samples.map { type(of: $0).typeName }) == Set(Constraints.builtinTypes.map { $0.typeName }))
        let registry = ObjectRegistry()
        for type in Constraints.builtinTypes { registry.register(type) }
        let x = randomTensor([3, 4], seed: 4, lower: -3, upper: 3)
        for sample in samples {
            let typeName = type(of: sample).typeName
            let saved = try throughJSON(Constraints.serialize(sample))
            let loaded = try registry.make(typeName, configuration: saved.objectValue?["config"]?.objectValue ?? [:],
                                           as: (any Constraint).self, kind: "constraint")
            let viaHelper = try #require(try Constraints.deserialize(saved, registry: ObjectRegistry()))
            for constraint in [loaded, viaHelper] {
                #expect(type(of: constraint) == type(of: sample), "\(typeName)")
                #expect(constraint.configuration == sample.configuration, "\(typeName)")
                #expect(constraint(x) == sample(x), "\(typeName)")
            }
        }
    }
}
