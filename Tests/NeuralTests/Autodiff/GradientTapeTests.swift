import Neural
import Testing

/// Seed 000, "Computación de gradientes usando Autodiff", and TensorFlow's GradientTape semantics.
@Suite struct GradientTapeTests {
    /// f(w1, w2) = 3·w1² + 2·w1·w2 at (5, 3) has gradient (36, 10).
    @Test func seedFunctionGradient() throws {
        let w1 = Variable(5), w2 = Variable(3)
        let tape = GradientTape()
        let z = tape.record { 3 * w1.value * w1.value + 2 * w1.value * w2.value }
        let gradients = try tape.gradient(of: z, wrt: [w1, w2])
        #expect(gradients[0]?.scalar == 36)
        #expect(gradients[1]?.scalar == 10)
    }

    /// A non-persistent tape refuses a second call with a message that says what to do.
    @Test func nonPersistentTapeRefusesSecondCall() throws {
        let w1 = Variable(5), w2 = Variable(3)
        let tape = GradientTape()
        let z = tape.record { 3 * w1.value * w1.value + 2 * w1.value * w2.value }
        _ = try tape.gradient(of: z, wrt: w1)
        #expect(throws: GradientTapeError.alreadyUsed) { try tape.gradient(of: z, wrt: w2) }
        #expect(GradientTapeError.alreadyUsed.description.contains("persistent: true"))
    }

    @Test func persistentTapeAnswersManyCalls() throws {
        let w1 = Variable(5), w2 = Variable(3)
        let tape = GradientTape(persistent: true)
        let z = tape.record { 3 * w1.value * w1.value + 2 * w1.value * w2.value }
        #expect(try tape.gradient(of: z, wrt: w1)?.scalar == 36)
        #expect(try tape.gradient(of: z, wrt: w2)?.scalar == 10)
    }

    /// Constants are followed only when watched.
    @Test func constantsNeedWatch() throws {
        let c1 = Tensor(5), c2 = Tensor(3)
        let unwatched = GradientTape()
        let z1 = unwatched.record { 3 * c1 * c1 + 2 * c1 * c2 }
        #expect(try unwatched.gradient(of: z1, wrt: [c1, c2]).allSatisfy { $0 == nil })

        let watched = GradientTape()
        let z2 = watched.record {
            watched.watch(c1)
            watched.watch(c2)
            return 3 * c1 * c1 + 2 * c1 * c2
        }
        let gradients = try watched.gradient(of: z2, wrt: [c1, c2])
        #expect(gradients.map { $0?.scalar } == [36, 10])
    }

    /// With stop_gradient on the second term the gradient is (30, nil).
    @Test func stopGradientCutsTheSecondTerm() throws {
        let w1 = Variable(5), w2 = Variable(3)
        let tape = GradientTape()
        let z = tape.record { 3 * w1.value * w1.value + (2 * w1.value * w2.value).stopGradient() }
        let gradients = try tape.gradient(of: z, wrt: [w1, w2])
        #expect(gradients[0]?.scalar == 30)
        #expect(gradients[1] == nil)
    }

    @Test func sourceNotOnThePathGivesNil() throws {
        let w1 = Variable(2), unused = Variable(7)
        let tape = GradientTape()
        let z = tape.record { w1.value * w1.value }
        let gradients = try tape.gradient(of: z, wrt: [w1, unused])
        #expect(gradients[0]?.scalar == 4)
        #expect(gradients[1] == nil)
    }

    @Test func nonTrainableVariablesAreNotWatched() throws {
        let frozen = Variable(Tensor(2), trainable: false)
        let tape = GradientTape()
        let z = tape.record { frozen.value * frozen.value }
        #expect(try tape.gradient(of: z, wrt: frozen) == nil)
        #expect(tape.watchedVariables.isEmpty)
    }

    @Test func watchAccessedVariablesFalseWatchesOnlyWhatIsAsked() throws {
        let a = Variable(2), b = Variable(3)
        let tape = GradientTape(watchAccessedVariables: false)
        let z = tape.record {
            tape.watch(b)
            return a.value * b.value
        }
        let gradients = try tape.gradient(of: z, wrt: [a, b])
        #expect(gradients[0] == nil)
        #expect(gradients[1]?.scalar == 2)
        #expect(tape.watchedVariables.map(\.name) == [b.name])
    }

    @Test func stopRecordingPausesOneTape() throws {
        let x = Variable(3)
        let tape = GradientTape()
        let z = tape.record {
            let paused = tape.stopRecording { x.value * x.value }
            return paused + x.value
        }
        #expect(try tape.gradient(of: z, wrt: x)?.scalar == 1)
    }

    @Test func outputGradientWeightsTheTarget() throws {
        let x = Variable(Tensor([1, 2, 3]))
        let tape = GradientTape()
        let y = tape.record { x.value * x.value }
        let gradient = try tape.gradient(of: y, wrt: [x], outputGradient: Tensor([1, 0, 2]))[0]
        #expect(gradient?.scalars == [2, 0, 12])
        #expect(throws: GradientTapeError.outputGradientShape(target: [3], given: [2])) {
            let again = GradientTape()
            let y2 = again.record { x.value * x.value }
            _ = try again.gradient(of: y2, wrt: [x], outputGradient: Tensor([1, 2]))
        }
    }

    /// A tensor used twice accumulates both contributions.
    @Test func gradientsAccumulateOverUses() throws {
        let x = Variable(Tensor([1, 2]))
        let tape = GradientTape()
        let y = tape.record { (x.value * x.value + x.value).sum() }
        #expect(try tape.gradient(of: y, wrt: x)?.scalars == [3, 5])
    }

    /// Nested tapes give second derivatives: d²(x³)/dx² = 6x.
    @Test func nestedTapesGiveSecondDerivatives() throws {
        let x = Variable(Tensor(2))
        let outer = GradientTape()
        let firstDerivative: Tensor? = try outer.record {
            let inner = GradientTape()
            let y = inner.record { x.value * x.value * x.value }
            return try inner.gradient(of: y, wrt: x)
        }
        #expect(firstDerivative?.scalar == 12)
        let second = try outer.gradient(of: try #require(firstDerivative), wrt: x)
        #expect(second?.scalar == 12)
    }

    /// A Hessian-vector product of f(x) = sum(x_i² · x_j) style function, against the exact Hessian.
    @Test func hessianVectorProduct() throws {
        // f(x) = x0² x1 + x1³ ; H = [[2 x1, 2 x0], [2 x0, 6 x1]]
        let x = Variable(Tensor([1.5, -2]))
        let v = Tensor([0.5, 1])
        let outer = GradientTape()
        let gradientDotV: Tensor = try outer.record {
            let inner = GradientTape()
            let f = inner.record {
                let x0 = x.value * Tensor([1, 0]), x1 = x.value * Tensor([0, 1])
                return (x0 * x0 * x1.sum() + x1 * x1 * x1).sum()
            }
            let g = try #require(try inner.gradient(of: f, wrt: x))
            return (g * v).sum()
        }
        let hv = try #require(try outer.gradient(of: gradientDotV, wrt: x))
        let (x0, x1): (Float, Float) = (1.5, -2)
        expectClose(hv, [2 * x1 * 0.5 + 2 * x0 * 1, 2 * x0 * 0.5 + 6 * x1 * 1], tolerance: 1e-5)
    }

    @Test func customGradientIsUsed() throws {
        let x = Variable(Tensor([1, 2]))
        let tape = GradientTape()
        let y = tape.record {
            Tensor.withCustomGradient(x.value) { z in (z * z, { upstream in upstream * 100 }) }
        }
        #expect(try tape.gradient(of: y, wrt: x)?.scalars == [100, 100])
    }

    @Test func tapesAreThreadLocal() async throws {
        let x = Variable(3)
        let tape = GradientTape()
        let y: Tensor = tape.record { x.value * 2 }
        // Work on another thread while this tape records sees no tape.
        let recordedElsewhere = await Task.detached { Tensor.isRecording }.value
        #expect(recordedElsewhere == false)
        #expect(try tape.gradient(of: y, wrt: x)?.scalar == 2)
    }
}
