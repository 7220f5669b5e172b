import Foundation
import Neural
import Testing

/// Mean, standard deviation, minimum and maximum of a tensor's elements, in Double.
private func statistics(_ t: Tensor) -> (mean: Double, std: Double, min: Float, max: Float) {
    let values = t.scalars.map(Double.init)
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    return (mean, variance.squareRoot(), t.scalars.min() ?? 0, t.scalars.max() ?? 0)
}

/// Keras 3's initializers: fans, distributions, seeds, exact constants.
@Suite struct InitializerTests {
    // MARK: - Fans (Keras's compute_fans)

    @Test func fansOfVectorsMatricesAndConvolutionKernels() {
        #expect(VarianceScaling.fans(for: []) == (1, 1))
        #expect(VarianceScaling.fans(for: [7]) == (7, 7))
        #expect(VarianceScaling.fans(for: [784, 300]) == (784, 300))
        // [kh, kw, in, out]: the receptive field 3·3 multiplies both.
        #expect(VarianceScaling.fans(for: [3, 3, 16, 32]) == (144, 288))
        // 1-D and 3-D convolution kernels.
        #expect(VarianceScaling.fans(for: [5, 8, 4]) == (40, 20))
        #expect(VarianceScaling.fans(for: [2, 3, 4, 5, 6]) == (120, 144))
    }

    @Test func varianceFollowsModeAndKerasFloorOfOne() {
        #expect(VarianceScaling(scale: 2, mode: .fanIn).variance(for: [100, 50]) == 0.02)
        #expect(VarianceScaling(scale: 2, mode: .fanOut).variance(for: [100, 50]) == 0.04)
        #expect(VarianceScaling(scale: 3, mode: .fanAverage).variance(for: [100, 50]) == 0.04)
        #expect(VarianceScaling(scale: 1, mode: .fanAverage).variance(for: [3, 3, 16, 32]) == 1.0 / 216)
        // max(1, n): an empty dimension does not divide by zero.
        #expect(VarianceScaling(scale: 1.5).variance(for: [0, 4]) == 1.5)
        #expect(VarianceScaling.truncationCorrection == 0.87962566103423978)
    }

    // MARK: - Distributions

    /// Uniform variants: inside [-limit, limit), reaching near both ends, standard deviation limit/√3.
    @Test func uniformVariantsHaveKerasLimits() {
        let cases: [(any Initializer, [Int], Double)] = [
            (GlorotUniform(), [300, 500], (6.0 / 800).squareRoot()),
            (HeUniform(), [3, 3, 16, 64], (6.0 / 144).squareRoot()),
            (LecunUniform(), [400, 300], (3.0 / 400).squareRoot()),
            (VarianceScaling(scale: 2, mode: .fanOut, distribution: .uniform), [200, 800], (6.0 / 800).squareRoot()),
        ]
        for (index, (initializer, shape, limit)) in cases.enumerated() {
            var generator = SeededGenerator(seed: UInt64(index + 1))
            let values = initializer(shape: shape, generator: &generator)
            #expect(values.shape == shape)
            let s = statistics(values)
            #expect(Double(s.min) >= -limit && Double(s.max) < limit, "\(type(of: initializer)): outside ±\(limit)")
            #expect(Double(s.max) > 0.99 * limit && Double(s.min) < -0.99 * limit, "\(type(of: initializer)): range not used")
            #expect(abs(s.mean) < 0.01 * limit, "\(type(of: initializer)): mean \(s.mean)")
            #expect(abs(s.std / (limit / 3.0.squareRoot()) - 1) < 0.01, "\(type(of: initializer)): std \(s.std)")
        }
    }

    /// Truncated normal variants: standard deviation √(scale/n) after truncation (Keras divides by
    /// 0.8796...), nothing beyond two pre-truncation standard deviations.
    @Test func truncatedNormalVariantsHaveKerasStandardDeviation() {
        let cases: [(any Initializer, [Int], Double)] = [
            (GlorotNormal(), [400, 600], (2.0 / 1000).squareRoot()),
            (HeNormal(), [3, 3, 32, 64], (2.0 / 288).squareRoot()),
            (LecunNormal(), [500, 300], (1.0 / 500).squareRoot()),
            (VarianceScaling(), [250, 1000], (1.0 / 250).squareRoot()),
            (VarianceScaling(scale: 0.5, mode: .fanAverage, distribution: .truncatedNormal), [300, 700], (0.5 / 500).squareRoot()),
        ]
        for (index, (initializer, shape, deviation)) in cases.enumerated() {
            var generator = SeededGenerator(seed: UInt64(index + 10))
            let s = statistics(initializer(shape: shape, generator: &generator))
            let bound = 2 * deviation / VarianceScaling.truncationCorrection
            #expect(abs(s.mean) < 0.01 * deviation, "\(type(of: initializer)): mean \(s.mean)")
            #expect(abs(s.std / deviation - 1) < 0.015, "\(type(of: initializer)): std \(s.std) vs \(deviation)")
            #expect(Double(Swift.max(-s.min, s.max)) <= bound * 1.000001, "\(type(of: initializer)): beyond truncation")
            #expect(Double(s.max) > 0.95 * bound, "\(type(of: initializer)): truncation bound never approached")
        }
    }

    @Test func untruncatedNormalAndRandomInitializers() {
        var generator = SeededGenerator(seed: 3)
        let plain = statistics(VarianceScaling(scale: 2, mode: .fanIn, distribution: .untruncatedNormal)(shape: [200, 1000], generator: &generator))
        #expect(abs(plain.std / 0.1 - 1) < 0.01)
        // Beyond two standard deviations there are about 4.6 % of the samples, not none.
        #expect(plain.max > 0.3)

        let normal = statistics(RandomNormal(mean: 1, standardDeviation: 0.5)(shape: [100_000], generator: &generator))
        #expect(abs(normal.mean - 1) < 0.01 && abs(normal.std - 0.5) < 0.01)
        let defaults = statistics(RandomNormal()(shape: [100_000], generator: &generator))
        #expect(abs(defaults.std - 0.05) < 0.001)

        let uniform = statistics(RandomUniform(minimum: -1, maximum: 3)(shape: [100_000], generator: &generator))
        #expect(uniform.min >= -1 && uniform.max < 3 && abs(uniform.mean - 1) < 0.02)
        let uniformDefaults = statistics(RandomUniform()(shape: [100_000], generator: &generator))
        #expect(uniformDefaults.min >= -0.05 && uniformDefaults.max < 0.05 && uniformDefaults.max > 0.049)

        let truncated = statistics(TruncatedNormal(mean: 0.5, standardDeviation: 0.1)(shape: [100_000], generator: &generator))
        #expect(truncated.min >= 0.3 && truncated.max <= 0.7)
        #expect(abs(truncated.std - 0.1 * VarianceScaling.truncationCorrection) < 0.002)
    }

    // MARK: - Seeds

    @Test func sameSeedSameNumbers() {
        var a = SeededGenerator(seed: 99), b = SeededGenerator(seed: 99)
        let first = GlorotUniform()(shape: [20, 30], generator: &a)
        #expect(first == GlorotUniform()(shape: [20, 30], generator: &b))
        // The generator moves on: the next draw differs.
        #expect(first != GlorotUniform()(shape: [20, 30], generator: &a))

        // A seeded initializer returns the same values at every call and leaves the caller's generator
        // alone (Keras with an integer seed).
        var c = SeededGenerator(seed: 1), untouched = SeededGenerator(seed: 1)
        let seeded = HeNormal(seed: 42)
        let x = seeded(shape: [8, 8], generator: &c)
        #expect(x == seeded(shape: [8, 8], generator: &c))
        #expect(x == seeded(shape: [8, 8]))
        #expect(c.next() == untouched.next())
        #expect(x != HeNormal(seed: 43)(shape: [8, 8]))
        for initializer in [RandomNormal(seed: 5), RandomUniform(seed: 5), TruncatedNormal(seed: 5), GlorotNormal(seed: 5),
                            LecunUniform(seed: 5), VarianceScaling(seed: 5), OrthogonalInitializer(seed: 5)] as [any Initializer] {
            #expect(initializer(shape: [6, 4]) == initializer(shape: [6, 4]), "\(type(of: initializer))")
        }
    }

    /// The shape-only form draws from a generator split off the current stream, so seeding it
    /// reproduces the values (on this test's own stream: other tests draw concurrently).
    @Test func globalFormIsReproducibleAfterSeeding() {
        GlobalRandom.withSeed(1) {
            GlobalRandom.seed(2024)
            let first = GlorotUniform()(shape: [10, 10])
            GlobalRandom.seed(2024)
            let second = GlorotUniform()(shape: [10, 10])
            var global = SeededGenerator(seed: 2024)
            var expectedGenerator = SeededGenerator(seed: global.next())
            #expect(first == second)
            #expect(first == GlorotUniform()(shape: [10, 10], generator: &expectedGenerator))
        }
    }

    // MARK: - Constants, orthogonal, identity

    @Test func constantInitializersAreExact() {
        var generator = SeededGenerator(seed: 0)
        #expect(Zeros()(shape: [2, 3], generator: &generator) == Tensor(zeros: [2, 3]))
        #expect(Ones()(shape: [4], generator: &generator) == Tensor([1, 1, 1, 1]))
        #expect(Constant(0.25)(shape: [2, 2], generator: &generator) == Tensor([[0.25, 0.25], [0.25, 0.25]]))
        #expect(Constant()(shape: [3], generator: &generator).scalars == [0, 0, 0])
        #expect(Zeros()(shape: []).shape == [])
        #expect(IdentityInitializer()(shape: [2, 3], generator: &generator) == Tensor([[1, 0, 0], [0, 1, 0]]))
        #expect(IdentityInitializer(gain: 3)(shape: [3, 2], generator: &generator) == Tensor([[3, 0], [0, 3], [0, 0]]))
        // The generator was never used.
        var fresh = SeededGenerator(seed: 0)
        #expect(generator.next() == fresh.next())
    }

    @Test func orthogonalGivesOrthonormalRowsOrColumns() {
        var generator = SeededGenerator(seed: 11)
        // Tall: orthonormal columns, QᵀQ = I.
        let tall = OrthogonalInitializer()(shape: [50, 20], generator: &generator)
        expectClose(matmul(tall, tall, transposeA: true), Tensor(eye: 20).scalars, tolerance: 1e-5)
        // Wide: orthonormal rows, QQᵀ = I.
        let wide = OrthogonalInitializer(gain: 2)(shape: [10, 30], generator: &generator)
        expectClose(matmul(wide, wide, transposeB: true), (Tensor(eye: 10) * 4).scalars, tolerance: 1e-5)
        // A convolution kernel flattens to [kh·kw·in, out].
        let kernel = OrthogonalInitializer()(shape: [3, 3, 4, 8], generator: &generator)
        #expect(kernel.shape == [3, 3, 4, 8])
        let flat = kernel.reshaped(to: [36, 8])
        expectClose(matmul(flat, flat, transposeA: true), Tensor(eye: 8).scalars, tolerance: 1e-5)
        // Square: both.
        let square = OrthogonalInitializer()(shape: [16, 16], generator: &generator)
        expectClose(matmul(square, square, transposeB: true), Tensor(eye: 16).scalars, tolerance: 1e-5)
    }

    @Test func orthogonalOfAVectorTrapsNamingTheInitializer() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = OrthogonalInitializer()(shape: [5])
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("OrthogonalInitializer"))
        #expect(message.contains("rank 2"))
    }

    // MARK: - Custom functions (the seed's my_glorot_initializer)

    @Test func closureInitializerLikeTheSeedsGlorot() throws {
        let myGlorot = ClosureInitializer.register(name: "my_glorot_initializer") { shape, generator in
            let deviation = (2 / Float(shape[0] + shape[1])).squareRoot()
            return Tensor(randomNormal: shape, standardDeviation: deviation, generator: &generator)
        }
        var generator = SeededGenerator(seed: 5)
        let s = statistics(myGlorot(shape: [300, 500], generator: &generator))
        #expect(abs(s.std / 0.05 - 1) < 0.01)

        // Saved as its name, found again by name.
        #expect(myGlorot.configuration == ["name": "my_glorot_initializer"])
        let loaded = try Initializers.deserialize(Initializers.serialize(myGlorot))
        var a = SeededGenerator(seed: 8), b = SeededGenerator(seed: 8)
        #expect(loaded(shape: [4, 6], generator: &a) == myGlorot(shape: [4, 6], generator: &b))
        #expect(try Initializers.named("my_glorot_initializer") is ClosureInitializer)
        #expect(Initializers.knownNames.contains("my_glorot_initializer"))
    }

    @Test func unregisteredClosureFailsToLoadListingRegisteredNames() {
        ClosureInitializer.register(name: "init_known_to_the_registry") { shape, _ in Tensor(zeros: shape) }
        let unsaved = ClosureInitializer(name: "never_registered_initializer") { shape, _ in Tensor(ones: shape) }
        do {
            _ = try ClosureInitializer(configuration: unsaved.configuration)
            Issue.record("an unregistered function loaded")
        } catch let error as ConfigurationError {
            guard case let .unknownType(kind, name, known) = error else { Issue.record("\(error)"); return }
            #expect(kind == "initializer function" && name == "never_registered_initializer")
            #expect(known.contains("init_known_to_the_registry"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: ConfigurationError.missingKey(type: "ClosureInitializer", key: "name")) {
            try ClosureInitializer(configuration: [:])
        }
    }

    @Test func closureReturningAnotherShapeTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = ClosureInitializer(name: "bad_shape") { _, _ in Tensor(zeros: [2]) }(shape: [3])
        }
    }
}
