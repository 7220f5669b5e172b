import Neural
import Testing

/// `0, 1, 2, ...` in `shape`, like NumPy's `np.arange(n).reshape(shape)`.
private func arange(_ shape: [Int]) -> Tensor {
    let count = shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<count).map(Float.init))
}

/// Expected values below come from NumPy on `a = np.arange(24).reshape(2, 3, 4)`.
@Suite struct SlicingTests {
    let a = arange([2, 3, 4])

    @Test func seedSubscripts() {
        // t[:, 1:]
        expectClose(a[.all, 1...], [4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23], shape: [2, 2, 4])
        // t[..., 1, tf.newaxis]
        expectClose(a[.ellipsis, 1, .newAxis], [1, 5, 9, 13, 17, 21], shape: [2, 3, 1])
        let m = Tensor([[1, 2, 3], [4, 5, 6]])
        expectClose(m[.all, 1...], [2, 3, 5, 6], shape: [2, 2])
        expectClose(m[.ellipsis, 1, .newAxis], [2, 5], shape: [2, 1])
    }

    @Test func integersRemoveAxesAndCountFromTheEnd() {
        expectClose(a[-1], [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23], shape: [3, 4])
        expectClose(a[.ellipsis, -1], [3, 7, 11, 15, 19, 23], shape: [2, 3])
        let element = a[1, 2, 3]
        #expect(element.shape == [])
        #expect(element.scalar == 23)
        #expect(a[1, -1, -4].scalar == 20)
        expectClose(a[.index(0), .index(2)], [8, 9, 10, 11], shape: [4])
    }

    @Test func rangesAndStrides() {
        expectClose(a[.all, .range(0..., stride: 2), .range(1..., stride: 2)], [1, 3, 9, 11, 13, 15, 21, 23], shape: [2, 2, 2])
        expectClose(a[.all, (-2)..., ..<(-1)], [4, 5, 6, 8, 9, 10, 16, 17, 18, 20, 21, 22], shape: [2, 2, 3])
        expectClose(a[.all, .slice(lower: -2), .slice(upper: -1)], [4, 5, 6, 8, 9, 10, 16, 17, 18, 20, 21, 22], shape: [2, 2, 3])
        // Bounds past the end are clamped, as in Python.
        expectClose(a[0, .range(0..<10, stride: 3)], [0, 1, 2, 3], shape: [1, 4])
        expectClose(a[1..<5], Array(12...23).map(Float.init), shape: [1, 3, 4])
        expectClose(a[.ellipsis, .range(..<4, stride: 3)], [0, 3, 4, 7, 8, 11, 12, 15, 16, 19, 20, 23], shape: [2, 3, 2])
        let firstTwoRows: [Float] = [0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 16, 17, 18, 19]
        expectClose(a[.all, 0..<2], firstTwoRows, shape: [2, 2, 4])
        expectClose(a[.all, 0...1], firstTwoRows, shape: [2, 2, 4])
        expectClose(a[.all, ...1], firstTwoRows, shape: [2, 2, 4])
        expectClose(a[.all, ..<2], firstTwoRows, shape: [2, 2, 4])
        // An inclusive upper bound of -1 reaches the last element.
        #expect(a[.all, ...(-1)] == a)
        expectClose(a[.all, ...(-2), 0], [0, 4, 12, 16], shape: [2, 2])
        expectClose(a[1, .ellipsis, .range(-5..<(-1), stride: 2)], [12, 14, 16, 18, 20, 22], shape: [3, 2])
        expectClose(a[.all, .range(1...2, stride: 5)], [4, 5, 6, 7, 16, 17, 18, 19], shape: [2, 1, 4])
    }

    @Test func negativeStrides() {
        expectClose(a[.slice(stride: -1), .all, .slice(stride: -2)], [15, 13, 19, 17, 23, 21, 3, 1, 7, 5, 11, 9], shape: [2, 3, 2])
        expectClose(a[.all, .slice(lower: 2, upper: 0, stride: -1), -1], [11, 7, 23, 19], shape: [2, 2])
        expectClose(a[0, 0, .slice(lower: 10, upper: -10, stride: -3)], [3, 0], shape: [2])
        #expect(a[0, 0, .slice(lower: 0, upper: 3, stride: -1)].shape == [0])
    }

    @Test func ellipsisAndNewAxisCombinations() {
        expectClose(a[.newAxis, 1, .ellipsis, .newAxis], Array(12...23).map(Float.init), shape: [1, 3, 4, 1])
        expectClose(a[1, ..<2, .newAxis, 2...], [14, 15, 18, 19], shape: [2, 1, 2])
        #expect(a[.ellipsis] == a)
        #expect(a[.all, .all, .ellipsis] == a)
        #expect(a[.ellipsis, .all, .all, .all] == a)
        #expect(a[.newAxis].shape == [1, 2, 3, 4])
        #expect(a[.ellipsis, .newAxis].shape == [2, 3, 4, 1])
        #expect(a[.newAxis, .newAxis, 0, .ellipsis, 0, .newAxis].shape == [1, 1, 3, 1])
        expectClose(Tensor(5)[.newAxis], [5], shape: [1])
        #expect(Tensor(5)[.ellipsis] == Tensor(5))
        let indices: [TensorIndex] = [.all, 1, .newAxis]
        expectClose(a.sliced(indices), [4, 5, 6, 7, 16, 17, 18, 19], shape: [2, 1, 4])
        #expect(indices.map(\.description) == [":", "1", "newaxis"])
        #expect(TensorIndex.range(1..<7, stride: 2).description == "1:7:2")
    }

    @Test func emptySlices() {
        let empty = a[.all, 3...]
        #expect(empty.shape == [2, 0, 4])
        #expect(empty.scalars.isEmpty)
        #expect(a[.all, 2..<2, 1].shape == [2, 0])
        #expect(a[5...].shape == [0, 3, 4])
        #expect(Tensor(zeros: [0, 3])[.all, 1].shape == [0])
        checkGradients([randomTensor([2, 3], seed: 40)]) { $0[0][.all, 1..<1] + Tensor(zeros: [2, 0]) }
    }

    @Test func slicesAreCopiesNotViews() {
        var b = a[0]
        b.withUnsafeMutableBufferPointer { $0[0] = 100 }
        #expect(a.scalars[0] == 0)
    }

    @Test func slicingErrorsNameIndicesAndShape() {
        let op = "subscript"
        #expect(throws: TensorError.invalidArgument(
            op: op, message: "index 5 is out of range for axis 0 of size 2 (indices [5] on shape [2, 3])")) {
            try Tensor.validatedSlice(of: [2, 3], indices: [5])
        }
        #expect(throws: TensorError.invalidArgument(
            op: op, message: "index -4 is out of range for axis 1 of size 3 (indices [:, -4] on shape [2, 3])")) {
            try Tensor.validatedSlice(of: [2, 3], indices: [.all, -4])
        }
        #expect(throws: TensorError.invalidArgument(
            op: op, message: "at most one ellipsis is allowed (indices [..., 0, ...] on shape [2, 3])")) {
            try Tensor.validatedSlice(of: [2, 3], indices: [.ellipsis, 0, .ellipsis])
        }
        #expect(throws: TensorError.invalidArgument(
            op: op, message: "3 indices for a tensor of rank 2 (indices [0, newaxis, 1, :] on shape [2, 3])")) {
            try Tensor.validatedSlice(of: [2, 3], indices: [0, .newAxis, 1, .all])
        }
        #expect(throws: TensorError.invalidArgument(
            op: op, message: "a slice stride must not be zero (indices [::0] on shape [2, 3])")) {
            try Tensor.validatedSlice(of: [2, 3], indices: [.slice(stride: 0)])
        }
        #expect((try? Tensor.validatedSlice(of: [2, 3, 4], indices: [.ellipsis, 1, .newAxis])) == [2, 3, 1])
    }

    @Test func slicingGradients() {
        let x = randomTensor([2, 3, 4], seed: 31)
        checkGradients([x]) { $0[0][.all, 1...] }
        checkGradients([x]) { $0[0][.ellipsis, 1, .newAxis] }
        checkGradients([x]) { $0[0][-1, .range(0..., stride: 2), .slice(lower: 1, upper: -1)] }
        checkGradients([x]) { $0[0][.slice(stride: -1), .all, .slice(stride: -2)] }
        checkGradients([x]) { $0[0][1, 2, 3] }
        checkGradients([x]) { $0[0][.ellipsis] }
        // A slice used twice accumulates, and overlapping slices add up.
        checkGradients([x]) { $0[0][0, ..<2] * $0[0][1, 1...] + $0[0][0, 1...] }
    }

    @Test func slicingSecondOrderGradients() throws {
        try checkLinearOpSecondOrder(randomTensor([2, 3, 4], seed: 32)) { $0[.all, 1..., .range(0..., stride: 3)] }
        // Exact: f = sum(x[:, 1:]³), so the Hessian-vector product is 6·x·v on the slice, 0 elsewhere.
        let x = Variable(Tensor([[1, 2, 3], [4, 5, 6]]))
        let v = Tensor([[1, 1, 0.5], [2, 1, 1]])
        let outer = GradientTape()
        let gradientDotV: Tensor = try outer.record {
            let inner = GradientTape()
            let y = inner.record { () -> Tensor in
                let s = x.value[.all, 1...]
                return (s * s * s).sum()
            }
            return (try #require(try inner.gradient(of: y, wrt: x)) * v).sum()
        }
        let hv = try #require(try outer.gradient(of: gradientDotV, wrt: x))
        expectClose(hv, [0, 12, 9, 0, 30, 36], shape: [2, 3])
    }
}
