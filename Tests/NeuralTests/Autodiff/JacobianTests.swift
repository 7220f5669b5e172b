import Neural
import Testing

/// `GradientTape.jacobian(of:wrt:)` and `batchJacobian(of:wrt:)`: hand-computed Jacobians, central
/// finite differences, second derivatives, and the tape's one-use rule.
@Suite struct JacobianTests {
    /// The Jacobian of `function` at `x` by central differences, in the layout `y.shape + x.shape`
    /// (row-major), each difference taken in Double.
    static func numericJacobian(_ x: Tensor, epsilon: Float = 1e-2, _ function: (Tensor) -> Tensor) -> [Float] {
        let outputCount = withoutRecording { function(x).scalarCount }
        var jacobian = [Float](repeating: 0, count: outputCount * x.scalarCount)
        for column in 0..<x.scalarCount {
            var plus = x.scalars, minus = x.scalars
            plus[column] += epsilon
            minus[column] -= epsilon
            let up = withoutRecording { function(Tensor(shape: x.shape, scalars: plus)) }.scalars
            let down = withoutRecording { function(Tensor(shape: x.shape, scalars: minus)) }.scalars
            for row in 0..<outputCount {
                jacobian[row * x.scalarCount + column] =
                    Float((Double(up[row]) - Double(down[row])) / (2 * Double(epsilon)))
            }
        }
        return jacobian
    }

    /// y = x² elementwise: the Jacobian is diagonal with 2x.
    @Test func elementwiseSquareIsDiagonal() throws {
        let x = Tensor([1, 2, 3])
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(x)
            return x.squared()
        }
        let jacobian = try #require(try tape.jacobian(of: y, wrt: x))
        #expect(jacobian.shape == [3, 3])
        #expect(jacobian.scalars == [2, 0, 0, 0, 4, 0, 0, 0, 6])
    }

    /// The shape is `y.shape + x.shape`; the values match central differences.
    @Test func matrixFunctionMatchesFiniteDifferences() throws {
        let b = randomTensor([2, 3], seed: 3)
        func f(_ x: Tensor) -> Tensor { matmul(x, b).tanh() * x.sum() }
        let x = randomTensor([2, 2], seed: 4)
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(x)
            return f(x)
        }
        let jacobian = try #require(try tape.jacobian(of: y, wrt: x))
        #expect(jacobian.shape == [2, 3, 2, 2])
        let numeric = Self.numericJacobian(x, f)
        for (index, (analytic, expected)) in zip(jacobian.scalars, numeric).enumerated() {
            #expect(abs(analytic - expected) <= 2e-2 * (1 + abs(expected)), "element \(index): \(analytic) vs \(expected)")
        }
    }

    /// A scalar target's Jacobian is its gradient; a target that is the source gives the identity.
    @Test func scalarTargetAndIdentity() throws {
        let x = Tensor([1, 2])
        let tape = GradientTape(persistent: true)
        let z = tape.record {
            tape.watch(x)
            return (3 * x * x).sum()
        }
        let jacobian = try #require(try tape.jacobian(of: z, wrt: x))
        #expect(jacobian.shape == [2])
        #expect(jacobian.scalars == [6, 12])
        let identity = try #require(try tape.jacobian(of: x, wrt: x))
        #expect(identity == Tensor([[1, 0], [0, 1]]))
    }

    /// A Dense layer without activation: ∂y[b, i] / ∂x[b', j] is kernel[j, i] when b = b', else 0;
    /// the batch Jacobian is the kernel transposed for every example.
    @Test func denseLayerJacobianIsTheKernelTransposed() throws {
        let layer = Dense(units: 2)
        let x = Tensor([[1, 2, 3], [-1, 0, 1], [0.5, 0.25, 2], [3, -2, 1]])
        _ = try layer(x)
        let kernel = try #require(layer.kernel)
        kernel.assign(Tensor([[1, 2], [3, 4], [5, 6]]))
        try #require(layer.bias).assign(Tensor([0.5, -0.5]))

        let tape = GradientTape(persistent: true)
        let y = try tape.record {
            tape.watch(x)
            return try layer(x)
        }
        let batch = try #require(try tape.batchJacobian(of: y, wrt: x))
        #expect(batch.shape == [4, 2, 3])
        #expect(batch.scalars == Array(repeating: [1, 3, 5, 2, 4, 6], count: 4).flatMap { $0 })

        let full = try #require(try tape.jacobian(of: y, wrt: x))
        #expect(full.shape == [4, 2, 4, 3])
        var expected = [Float](repeating: 0, count: 4 * 2 * 4 * 3)
        let kernelTransposed: [[Float]] = [[1, 3, 5], [2, 4, 6]]
        for b in 0..<4 {
            for i in 0..<2 {
                for j in 0..<3 { expected[((b * 2 + i) * 4 + b) * 3 + j] = kernelTransposed[i][j] }
            }
        }
        #expect(full.scalars == expected)

        // With respect to the kernel (a variable): ∂y[b, i] / ∂kernel[j, k] = x[b, j] when i = k.
        let byKernel = try #require(try tape.jacobian(of: y, wrt: kernel))
        #expect(byKernel.shape == [4, 2, 3, 2])
        let entry = byKernel.scalars
        #expect(entry[((2 * 2 + 1) * 3 + 2) * 2 + 1] == 2)    // ∂y[2, 1] / ∂kernel[2, 1] = x[2, 2]
        #expect(entry[((2 * 2 + 1) * 3 + 2) * 2 + 0] == 0)    // ∂y[2, 1] / ∂kernel[2, 0]
    }

    /// With a nonlinearity each example's Jacobian differs; checked against central differences.
    @Test func batchJacobianMatchesFiniteDifferencesPerExample() throws {
        let layer = Dense(units: 3, activation: .tanh)
        let x = randomTensor([2, 4], seed: 5)
        _ = try layer(x)
        let tape = GradientTape()
        let y = try tape.record {
            tape.watch(x)
            return try layer(x)
        }
        let batch = try #require(try tape.batchJacobian(of: y, wrt: x))
        #expect(batch.shape == [2, 3, 4])
        for example in 0..<2 {
            let row = x[example ..< example + 1]
            let numeric = Self.numericJacobian(row) { (try? layer($0)) ?? Tensor(zeros: [1, 3]) }
            let analytic = batch[example].scalars
            for (index, (a, n)) in zip(analytic, numeric).enumerated() {
                #expect(abs(a - n) <= 2e-2 * (1 + abs(n)), "example \(example) element \(index): \(a) vs \(n)")
            }
        }
    }

    /// batch_jacobian keeps the remaining axes of both: [batch, 2, 3] from [batch, 3] gives [batch, 2, 3, 3].
    @Test func batchJacobianKeepsTheRestOfBothShapes() throws {
        let x = Tensor([[1, 2, 3], [4, 5, 6]])
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(x)
            // y[b, 0, :] = x[b]², y[b, 1, :] = 2·x[b]
            return Tensor(stacking: [x.squared(), 2 * x], alongAxis: 1)
        }
        let batch = try #require(try tape.batchJacobian(of: y, wrt: x))
        #expect(batch.shape == [2, 2, 3, 3])
        #expect(batch.scalars == [
            2, 0, 0, 0, 4, 0, 0, 0, 6, 2, 0, 0, 0, 2, 0, 0, 0, 2,
            8, 0, 0, 0, 10, 0, 0, 0, 12, 2, 0, 0, 0, 2, 0, 0, 0, 2,
        ])
    }

    /// A source the target does not depend on gets nil, as with `gradient`; a target element that does
    /// not depend on a source that others depend on gets a row of zeros.
    @Test func unconnectedSourcesAndRows() throws {
        let a = Tensor([1, 2]), b = Tensor([3, 4]), c = Tensor(5)
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(a)
            tape.watch(b)
            tape.watch(c)
            return Tensor(concatenating: [a * b, Tensor([7])])
        }
        let jacobians = try tape.jacobian(of: y, wrt: [a, b, c])
        #expect(jacobians[0] == Tensor([[3, 0], [0, 4], [0, 0]]))
        #expect(jacobians[1] == Tensor([[1, 0], [0, 2], [0, 0]]))
        #expect(jacobians[2] == nil)

        let unwatched = Tensor([1, 2])
        let other = GradientTape()
        let z = other.record { unwatched.squared() }
        #expect(try other.jacobian(of: z, wrt: unwatched) == nil)
        #expect(throws: GradientTapeError.alreadyUsed) { try other.batchJacobian(of: z, wrt: unwatched) }
    }

    /// One use of a non-persistent tape, whatever the request; a persistent tape answers them all.
    @Test func tapeUseRules() throws {
        let w = Variable(Tensor([1, 2]))
        let tape = GradientTape()
        let y = tape.record { w.value.squared() }
        #expect(try tape.jacobian(of: y, wrt: w) == Tensor([[2, 0], [0, 4]]))
        #expect(throws: GradientTapeError.alreadyUsed) { try tape.jacobian(of: y, wrt: w) }
        #expect(throws: GradientTapeError.alreadyUsed) { try tape.gradient(of: y, wrt: w) }

        let afterGradient = GradientTape()
        let y2 = afterGradient.record { w.value.squared() }
        _ = try afterGradient.gradient(of: y2, wrt: w)
        #expect(throws: GradientTapeError.alreadyUsed) { try afterGradient.jacobian(of: y2, wrt: w) }
        // A used tape says so before it looks at the shapes.
        #expect(throws: GradientTapeError.alreadyUsed) { try afterGradient.batchJacobian(of: Tensor(1), wrt: w) }

        let persistent = GradientTape(persistent: true)
        let y3 = persistent.record { w.value.squared() }
        #expect(try persistent.jacobian(of: y3, wrt: w) == Tensor([[2, 0], [0, 4]]))
        #expect(try persistent.jacobian(of: y3, wrt: [w]).first == Tensor([[2, 0], [0, 4]]))
        #expect(try persistent.batchJacobian(of: y3, wrt: w) == Tensor([2, 4]))
        #expect(try persistent.gradient(of: y3, wrt: w) == Tensor([2, 4]))
    }

    /// batchJacobian needs a batch dimension on both sides, of the same size; a refused request
    /// does not use up the tape.
    @Test func batchJacobianShapeErrors() throws {
        let x = Tensor([[1, 2], [3, 4]])
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(x)
            return x.squared()
        }
        #expect(throws: GradientTapeError.batchShapes(target: [], source: [2, 2])) {
            try tape.batchJacobian(of: y.sum(), wrt: x)
        }
        #expect(throws: GradientTapeError.batchShapes(target: [3], source: [2, 2])) {
            try tape.batchJacobian(of: Tensor([1, 2, 3]), wrt: x)
        }
        #expect(throws: GradientTapeError.batchShapes(target: [2, 2], source: [])) {
            try tape.batchJacobian(of: y, wrt: Tensor(1))
        }
        #expect(GradientTapeError.batchShapes(target: [3], source: [2, 2]).description.contains("[3]"))
        #expect(try tape.batchJacobian(of: y, wrt: x) == Tensor([[[2, 0], [0, 4]], [[6, 0], [0, 8]]]))
    }

    /// The seed's f(w1, w2) = 3·w1² + 2·w1·w2 on w = [5, 3]: the Jacobian of the gradient, taken by an
    /// outer tape, is the Hessian [[6, 2], [2, 0]].
    @Test func hessianAsTheJacobianOfTheGradient() throws {
        let w = Variable(Tensor([5, 3]))
        let outer = GradientTape()
        let gradient = try outer.record {
            let inner = GradientTape()
            let z = inner.record { 3 * w.value[0].squared() + 2 * w.value[0] * w.value[1] }
            return try #require(try inner.gradient(of: z, wrt: w))
        }
        #expect(gradient == Tensor([36, 10]))
        #expect(try outer.jacobian(of: gradient, wrt: w) == Tensor([[6, 2], [2, 0]]))
    }

    /// The Jacobian is built from recorded operations: an outer tape differentiates it. For y = x³,
    /// J = diag(3x²) and d(sum J)/dx = 6x.
    @Test func outerTapeDifferentiatesAJacobian() throws {
        let x = Tensor([1, 2, 3])
        let outer = GradientTape()
        let total = try outer.record {
            outer.watch(x)
            let inner = GradientTape()
            let y = inner.record {
                inner.watch(x)
                return x * x * x
            }
            let jacobian = try #require(try inner.jacobian(of: y, wrt: x))
            #expect(jacobian.scalars == [3, 0, 0, 0, 12, 0, 0, 0, 27])
            return jacobian.sum()
        }
        #expect(try outer.gradient(of: total, wrt: x) == Tensor([6, 12, 18]))
    }

    /// A target without elements has an empty Jacobian of the right shape.
    @Test func emptyTarget() throws {
        let x = Tensor([1, 2])
        let tape = GradientTape()
        let y = tape.record {
            tape.watch(x)
            return x[0..<0]
        }
        let jacobian = try #require(try tape.jacobian(of: y, wrt: x))
        #expect(jacobian.shape == [0, 2])
    }
}
