import Neural
import Testing

/// Swift twins of seed 000's (Géron ch. 12) tensor, variable and autodiff examples; the README shows
/// the same code.
@Suite struct Chapter12TensorSeedTests {
    let t = Tensor([[1, 2, 3], [4, 5, 6]])

    /// In [2]–[9]: shape, indexing, operators, `@`.
    @Test func tensorsAndOperations() {
        #expect(t.shape == [2, 3])
        expectClose(t[.all, 1...], [2, 3, 5, 6], shape: [2, 2])
        expectClose(t[.ellipsis, 1, .newAxis], [2, 5], shape: [2, 1])
        expectClose(t + 10, [11, 12, 13, 14, 15, 16], shape: [2, 3])
        expectClose(t.squared(), [1, 4, 9, 16, 25, 36], shape: [2, 3])
        expectClose(matmul(t, t.transposed()), [14, 32, 32, 77], shape: [2, 2])
    }

    /// In [19]–[20]: variables change in place with `assign`.
    @Test func variablesAssign() {
        let v = Variable(t)
        v.assign(2 * v.value)
        #expect(v.value.scalars == [2, 4, 6, 8, 10, 12])
        v.assignAdd(Tensor(ones: [2, 3]))
        #expect(v.value.scalars == [3, 5, 7, 9, 11, 13])
    }

    /// In [20]: a cell and a column assigned in place, then `scatter_nd_update`, each step with the
    /// value the seed prints; then `scatter_update`, which the seed names, on a row. (In [21],
    /// `v[1] = [7., 8., 9.]`, is a TypeError in TensorFlow; in Swift `Variable` has no subscript setter,
    /// so it does not compile.)
    @Test func variablesEditedInPlace() throws {
        let v = Variable(t)
        v.assign(2 * v.value)
        #expect(v.value == Tensor([[2, 4, 6], [8, 10, 12]]))
        try v.assign(42, at: 0, 1)
        #expect(v.value == Tensor([[2, 42, 6], [8, 10, 12]]))
        try v.assign(Tensor([0, 1]), at: .all, 2)
        #expect(v.value == Tensor([[2, 42, 0], [8, 10, 1]]))
        try v.scatterNDUpdate(indices: [[0, 0], [1, 2]], updates: Tensor([100, 200]))
        #expect(v.value == Tensor([[100, 42, 0], [8, 10, 200]]))
        try v.scatterUpdate(rows: [1], updates: Tensor([[7, 8, 9]]))
        #expect(v.value == Tensor([[100, 42, 0], [7, 8, 9]]))
    }

    /// The seed's Huber loss written with `Tensor.where`, as in its custom-loss section.
    @Test func huberWithWhere() {
        func huber(_ yTrue: Tensor, _ yPred: Tensor) -> Tensor {
            let error = yTrue - yPred
            let isSmallError = error.abs() .< 1
            let squaredLoss = error.squared() / 2
            let linearLoss = error.abs() - 0.5
            return Tensor.where(isSmallError, squaredLoss, linearLoss)
        }
        expectClose(huber(Tensor([0, 0, 0]), Tensor([0.5, -2, 3])), [0.125, 1.5, 2.5])
    }

    /// In [48]–[55]: the tape, its persistence, watching constants, stop_gradient.
    @Test func gradientTapeExamples() throws {
        func f(_ w1: Tensor, _ w2: Tensor) -> Tensor { 3 * w1.squared() + 2 * w1 * w2 }
        let w1 = Variable(5), w2 = Variable(3)

        let tape = GradientTape()
        let z = tape.record { f(w1.value, w2.value) }
        #expect(try tape.gradient(of: z, wrt: [w1, w2]).map { $0?.scalar } == [36, 10])
        #expect(throws: GradientTapeError.alreadyUsed) { try tape.gradient(of: z, wrt: w1) }

        let persistent = GradientTape(persistent: true)
        let z2 = persistent.record { f(w1.value, w2.value) }
        #expect(try persistent.gradient(of: z2, wrt: w1)?.scalar == 36)
        #expect(try persistent.gradient(of: z2, wrt: w2)?.scalar == 10)

        let c1: Tensor = 5, c2: Tensor = 3
        let unwatched = GradientTape()
        let z3 = unwatched.record { f(c1, c2) }
        #expect(try unwatched.gradient(of: z3, wrt: [c1, c2]).allSatisfy { $0 == nil })

        let stopped = GradientTape()
        let z4 = stopped.record { 3 * w1.value.squared() + (2 * w1.value * w2.value).stopGradient() }
        let gradients = try stopped.gradient(of: z4, wrt: [w1, w2])
        #expect(gradients[0]?.scalar == 30)
        #expect(gradients[1] == nil)
    }

    /// The paragraph after In [54]: the gradient of a vector of losses is the gradient of their sum;
    /// `jacobian` gives each loss's own gradients. Then the Hessians of the chapter's notebook
    /// ("Computing Gradients Using Autodiff"), `[[6, 2], [2, None]]`, with nested tapes.
    @Test func jacobianOfSeveralLossesAndHessians() throws {
        func f(_ w1: Tensor, _ w2: Tensor) -> Tensor { 3 * w1.squared() + 2 * w1 * w2 }
        let w1 = Variable(5), w2 = Variable(3)
        let tape = GradientTape(persistent: true)
        let losses = tape.record { Tensor(stacking: [f(w1.value, w2.value), w1.value * w2.value]) }
        #expect(try tape.gradient(of: losses, wrt: [w1, w2]) == [Tensor(39), Tensor(15)])
        #expect(try tape.jacobian(of: losses, wrt: [w1, w2]) == [Tensor([36, 3]), Tensor([10, 5])])

        let hessianTape = GradientTape(persistent: true)
        let jacobians = try hessianTape.record {
            let jacobianTape = GradientTape()
            let z = jacobianTape.record { f(w1.value, w2.value) }
            return try jacobianTape.gradient(of: z, wrt: [w1, w2])
        }
        #expect(jacobians == [Tensor(36), Tensor(10)])
        let hessians = try jacobians.compactMap { $0 }.map { try hessianTape.gradient(of: $0, wrt: [w1, w2]) }
        try #require(hessians.count == 2)
        #expect(hessians[0] == [Tensor(6), Tensor(2)])
        #expect(hessians[1] == [Tensor(2), nil])
    }

    /// In [57]–[58]: the stable softplus with its stable custom gradient is finite at 100.
    @Test func stableSoftplusWithCustomGradient() throws {
        func mySoftplus(_ z: Tensor) -> Tensor {
            Tensor.withCustomGradient(z) { z in
                let result = (1 + (-z.abs()).exp()).log() + maximum(0, z)
                return (result, { grads in grads * (1 - 1 / (1 + z.exp())) })
            }
        }
        let x = Variable(100)
        let tape = GradientTape()
        let z = tape.record { mySoftplus(x.value) }
        #expect(z.scalar == 100)
        #expect(try tape.gradient(of: z, wrt: x)?.scalar == 1)
    }
}
