import Neural
import Testing

/// `0, 1, 2, ...` in `shape`, like NumPy's `np.arange(n).reshape(shape)`.
private func arange(_ shape: [Int]) -> Tensor {
    let count = shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<count).map(Float.init))
}

@Suite struct ShapeTests {
    @Test func reshapeInfersOneDimension() {
        let a = arange([2, 3, 4])
        let b = a.reshaped(to: [4, -1])
        #expect(b.shape == [4, 6])
        #expect(b.scalars == a.scalars)
        #expect(a.reshaped(to: [-1]).shape == [24])
        #expect(a.reshaped(to: [2, -1, 3]).shape == [2, 4, 3])
        #expect(a.reshaped(to: [24, 1, 1]).shape == [24, 1, 1])
        #expect(a.flattened().shape == [24])
        #expect(Tensor(5).reshaped(to: [1, 1]).shape == [1, 1])
        #expect(Tensor(shape: [1, 1], scalars: [5]).reshaped(to: []).shape == [])
        // Empty tensors: -1 next to a known extent is inferred as NumPy does.
        #expect(Tensor(zeros: [0, 3]).reshaped(to: [-1, 3]).shape == [0, 3])
        #expect(Tensor(zeros: [0, 3]).reshaped(to: [3, 0, 5]).shape == [3, 0, 5])
    }

    @Test func reshapeErrorsNameBothShapes() throws {
        #expect(throws: TensorError.invalidArgument(
            op: "reshaped(to:)", message: "cannot reshape shape [3, 4] (12 elements) to [4, 4] (16 elements)")) {
            try Tensor.validatedReshape(of: [3, 4], to: [4, 4])
        }
        let twoUnknowns = #expect(throws: TensorError.self) { try Tensor.validatedReshape(of: [3, 4], to: [-1, -1]) }
        #expect(twoUnknowns?.description == "reshaped(to:): only one dimension may be -1, got [-1, -1] for shape [3, 4]")
        let indivisible = #expect(throws: TensorError.self) { try Tensor.validatedReshape(of: [3, 4], to: [5, -1]) }
        #expect(indivisible?.description == "reshaped(to:): cannot reshape shape [3, 4] (12 elements) to [5, -1]: the -1 cannot be inferred")
        #expect(throws: TensorError.self) { try Tensor.validatedReshape(of: [0, 4], to: [0, -1]) }
        #expect(throws: TensorError.self) { try Tensor.validatedReshape(of: [3, 4], to: [-2, -6]) }
        #expect(try Tensor.validatedReshape(of: [3, 4], to: [2, -1, 2]) == [2, 3, 2])
    }

    @Test func expandAndSqueeze() {
        let a = arange([2, 3])
        #expect(a.expandingShape(at: 0).shape == [1, 2, 3])
        #expect(a.expandingShape(at: 1).shape == [2, 1, 3])
        #expect(a.expandingShape(at: 2).shape == [2, 3, 1])
        #expect(a.expandingShape(at: -1).shape == [2, 3, 1])
        #expect(a.expandingShape(at: -3).shape == [1, 2, 3])
        #expect(Tensor(7).expandingShape(at: 0).shape == [1])
        let b = arange([1, 2, 1, 3, 1])
        #expect(b.squeezingShape().shape == [2, 3])
        #expect(b.squeezingShape(at: [0]).shape == [2, 1, 3, 1])
        #expect(b.squeezingShape(at: -1, 2).shape == [1, 2, 3])
        #expect(b.squeezingShape(at: []).shape == b.shape)
        #expect(b.squeezingShape().scalars == b.scalars)
        #expect(Tensor(shape: [1, 1], scalars: [4]).squeezingShape().shape == [])
    }

    @Test func squeezeErrors() {
        #expect(throws: TensorError.invalidArgument(
            op: "squeezingShape(at:)", message: "cannot squeeze axis 1 of shape [2, 3]: its size is not 1")) {
            try Tensor.validatedSqueeze(of: [2, 3], at: [1])
        }
        #expect(throws: TensorError.invalidAxis(op: "squeezingShape(at:)", axis: 2, rank: 2)) {
            try Tensor.validatedSqueeze(of: [1, 1], at: [2])
        }
        #expect(throws: TensorError.invalidArgument(op: "squeezingShape(at:)", message: "axis -2 is repeated in [0, -2]")) {
            try Tensor.validatedSqueeze(of: [1, 1], at: [0, -2])
        }
    }

    @Test func transposeMatchesNumPy() {
        let a = arange([2, 3, 4])
        expectClose(a.transposed(), [0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23],
                    shape: [4, 3, 2])
        expectClose(a.transposed(permutation: 1, 0, 2),
                    [0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7, 16, 17, 18, 19, 8, 9, 10, 11, 20, 21, 22, 23], shape: [3, 2, 4])
        expectClose(a.transposed(permutation: [0, 2, 1]),
                    [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11, 12, 16, 20, 13, 17, 21, 14, 18, 22, 15, 19, 23], shape: [2, 4, 3])
        let expected201: [Float] = [0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23]
        expectClose(a.transposed(permutation: [2, 0, 1]), expected201, shape: [4, 2, 3])
        expectClose(a.transposed(permutation: [-1, 0, 1]), expected201, shape: [4, 2, 3])
        expectClose(arange([2, 3]).transposed(), [0, 3, 1, 4, 2, 5], shape: [3, 2])
        #expect(a.transposed(permutation: [0, 1, 2]) == a)
        // Moving unit axes only reshapes.
        expectClose(arange([1, 3, 1]).transposed(), [0, 1, 2], shape: [1, 3, 1])
        expectClose(arange([3]).transposed(), [0, 1, 2], shape: [3])
        #expect(Tensor(2).transposed() == Tensor(2))
        #expect(Tensor(zeros: [0, 3]).transposed().shape == [3, 0])
    }

    /// Shapes that are not multiples of the copy tiles, against the definition element by element.
    @Test func largeTransposesCoverTileEdges() {
        for (rows, columns) in [(70, 45), (1, 100), (33, 32), (64, 64)] {
            let m = arange([rows, columns])
            let t = m.transposed()
            #expect(t.shape == [columns, rows])
            var mismatches = 0
            for i in 0..<rows { for j in 0..<columns where t.scalars[j * rows + i] != m.scalars[i * columns + j] { mismatches += 1 } }
            #expect(mismatches == 0, "\(rows)x\(columns)")
        }
        // A batch of matrix transposes (the last two axes swapped), and a strided inner axis.
        let batch = arange([3, 37, 41])
        let swapped = batch.transposed(permutation: [0, 2, 1])
        var mismatches = 0
        for b in 0..<3 { for i in 0..<37 { for j in 0..<41
            where swapped.scalars[(b * 41 + j) * 37 + i] != batch.scalars[(b * 37 + i) * 41 + j] { mismatches += 1 } } }
        #expect(mismatches == 0)
        let moved = arange([5, 6, 7]).transposed(permutation: [1, 2, 0])
        for i in 0..<5 { for j in 0..<6 { for k in 0..<7 {
            #expect(moved.scalars[(j * 7 + k) * 5 + i] == Float((i * 6 + j) * 7 + k))
        } } }
    }

    @Test func permutationErrors() throws {
        let op = "transposed(permutation:)"
        #expect(throws: TensorError.invalidArgument(op: op, message: "permutation [0, 0, 1] repeats axis 0")) {
            try Tensor.validatedPermutation([0, 0, 1], rank: 3)
        }
        #expect(throws: TensorError.invalidArgument(op: op, message: "permutation [1, -1] repeats axis -1")) {
            try Tensor.validatedPermutation([1, -1], rank: 2)
        }
        #expect(throws: TensorError.invalidAxis(op: op, axis: 3, rank: 2)) {
            try Tensor.validatedPermutation([0, 3], rank: 2)
        }
        let short = #expect(throws: TensorError.self) { try Tensor.validatedPermutation([0], rank: 2) }
        #expect(short?.description == "transposed(permutation:): permutation [0] has 1 axes but the tensor has rank 2")
        #expect(TensorError.invalidAxis(op: op, axis: 3, rank: 2).description
                == "transposed(permutation:): axis 3 is out of range for a tensor of rank 2 (valid: -2..<2)")
        #expect(try Tensor.validatedPermutation([-1, 0, -2], rank: 3) == [2, 0, 1])
    }

    @Test func reshapeNeverCopies() {
        let a = arange([64, 64])
        let b = a.reshaped(to: [-1]).expandingShape(at: 0).squeezingShape()
        let same = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in pa.baseAddress == pb.baseAddress } }
        #expect(same)
        #expect(a.id != b.id)
    }

    @Test func shapeGradients() {
        let x = randomTensor([2, 3, 4], seed: 21)
        checkGradients([x]) { $0[0].reshaped(to: [4, -1]) }
        checkGradients([x]) { $0[0].flattened() }
        checkGradients([x]) { $0[0].expandingShape(at: -2) }
        checkGradients([x.expandingShape(at: 1)]) { $0[0].squeezingShape(at: [1]) }
        checkGradients([x.expandingShape(at: 0)]) { $0[0].squeezingShape() }
        checkGradients([x]) { $0[0].transposed() }
        checkGradients([x]) { $0[0].transposed(permutation: [1, 2, 0]) }
        checkGradients([x]) { $0[0].transposed(permutation: [0, -1, 1]) }
        checkGradients([randomTensor([3, 5], seed: 22)]) { $0[0].transposed() }
    }

    @Test func shapeSecondOrderGradients() throws {
        try checkLinearOpSecondOrder(randomTensor([2, 3, 4], seed: 23)) { $0.transposed(permutation: [2, 0, 1]) }
        try checkLinearOpSecondOrder(randomTensor([2, 3, 4], seed: 24)) { $0.reshaped(to: [6, 4]).expandingShape(at: 1) }
    }
}
