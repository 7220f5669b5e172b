import Neural
import Testing

/// Swift twins of seed 000's (Géron ch. 12) "Tipos y conversiones" (In [10], [15]–[18]) and "Otras
/// estructuras de datos": dtypes and tf.cast, sparse, ragged and string tensors, sets, tensor arrays and
/// queues. docs/keras-api.md shows the same code beside the Python. Where the seed names a structure but
/// shows no values, the values are those of the chapter's notebook ("Other data structures").
@Suite struct Chapter12DataStructuresSeedTests {
    /// In [10]: `tf.constant(42)` is an int32 scalar.
    @Test func integerConstantIsInt32() {
        let t = TypedTensor<Int32>(42)
        #expect(t.shape == [])
        #expect(t.dtype == .int32)
        #expect(t.scalar == 42)
        #expect(t.description == "TypedTensor(shape=(), dtype=int32, numpy=42)")
    }

    /// In [15]–[18]: float32 + int32 and float32 + float64 are rejected (here they do not compile, so
    /// the test can only show the explicit way); tf.cast converts: 2.0 + cast(40.0 as float64) = 42.0.
    @Test func castBeforeMixingTypes() {
        let t2 = TypedTensor<Double>(40)
        #expect(t2.dtype == .float64)
        let sum = Tensor(2.0) + Tensor(casting: t2)
        #expect(sum.shape == [])
        #expect(sum.scalar == 42)
        // tf.cast(tf.constant(40), tf.float32) + 2.0
        #expect((Tensor(casting: TypedTensor<Int32>(40)) + 2).scalar == 42)
        // The same sum without leaving float64.
        #expect((TypedTensor<Double>(2) + t2).scalar == 42)
        #expect(t2.cast(to: Float.self) == TypedTensor<Float>(40))
    }

    /// tf.cast's rules between the other dtypes: truncation toward zero, wrapping, nonzero is true.
    @Test func castRules() throws {
        #expect(Tensor([1.9, -1.9, 0.5]).cast(to: Int32.self).scalars == [1, -1, 0])
        #expect(TypedTensor<Int64>([Int64(Int32.max) + 1]).cast(to: Int32.self).scalars == [Int32.min])
        #expect(TypedTensor<Int32>([0, 3, -1]).cast(to: Bool.self).scalars == [false, true, true])
        #expect(TypedTensor<Bool>([true, false]).cast(to: Double.self).scalars == [1, 0])
        #expect(TypedTensor<Double>([0.1]).cast(to: Float.self).scalars == [Float(0.1)])
        // No trap where TensorFlow's result is undefined: NaN is 0, out of range saturates.
        #expect(TypedTensor<Double>([.nan, 1e30, -1e30]).cast(to: Int32.self).scalars == [0, Int32.max, Int32.min])
        // Back to the float32 core and out again, the values unchanged.
        let m = try TypedTensor<Int64>([[1, 2, 3], [4, 5, 6]])
        #expect(Tensor(casting: m) == Tensor([[1, 2, 3], [4, 5, 6]]))
        #expect(Tensor(casting: m).cast(to: Int64.self) == m)
    }

    /// Elementwise arithmetic on equal types, with broadcasting; integers wrap as TensorFlow's do.
    @Test func integerArithmetic() throws {
        let a = try TypedTensor<Int32>([[1, 2, 3], [4, 5, 6]])
        #expect((a + 10).scalars == [11, 12, 13, 14, 15, 16])
        #expect((a * a).scalars == [1, 4, 9, 16, 25, 36])
        #expect((a - TypedTensor([1, 1, 1])).rows == [[0, 1, 2], [3, 4, 5]])
        #expect(a.sum() == 21)
        #expect((TypedTensor<Int32>(Int32.max) + 1).scalar == Int32.min)
        #expect(throws: TensorError.self) { try TypedTensor<Int32>(validatingShape: [2, 2], scalars: [1, 2, 3]) }
        #expect(throws: TensorError.self) { try TypedTensor<Int32>([[1, 2], [3]]) }
    }

    /// tf.SparseTensor and tf.sparse.to_dense (notebook values), `s * 42`, and sparse_dense_matmul.
    @Test func sparseTensors() throws {
        let s = try SparseTensor(indices: [[0, 1], [1, 0], [2, 3]], values: [Float(1), 2, 3], denseShape: [3, 4])
        #expect(try s.toDense(defaultValue: 0).rows == [[0, 1, 0, 0], [2, 0, 0, 0], [0, 0, 0, 3]])
        #expect((s * 42).values == [42, 84, 126])
        let s4 = Tensor([[10, 20], [30, 40], [50, 60], [70, 80]])
        #expect(try s.matmul(s4) == Tensor([[30, 40], [20, 40], [210, 240]]))
        #expect(Tensor(s.toDense(defaultValue: 0)) == Tensor([[0, 1, 0, 0], [2, 0, 0, 0], [0, 0, 0, 3]]))
        // Bad indices throw, naming the index.
        let error = #expect(throws: TensorError.self) {
            try SparseTensor(indices: [[0, 1], [3, 0]], values: [Float(1), 2], denseShape: [3, 4])
        }
        #expect(error?.description.contains("index 1, [3, 0], is outside dense shape [3, 4]") == true)
        #expect(throws: TensorError.self) { try SparseTensor(indices: [[0, 1], [0, 1]], values: [Float(1), 2], denseShape: [3, 4]) }
    }

    /// String tensors hold UTF-8 bytes: "café" is b"caf\xc3\xa9", and as Unicode code points [99, 97, 102, 233].
    @Test func stringTensors() {
        let t = TypedTensor(strings: ["café"])
        #expect(t.dtype == .string)
        #expect(t.shape == [1])
        #expect(t.scalars == [[0x63, 0x61, 0x66, 0xC3, 0xA9]])
        #expect(t.unicodeDecoded().rows == [[99, 97, 102, 233]])
        #expect(t.lengths().scalars == [5])
        #expect(t.lengths(unit: .utf8Character).scalars == [4])
        // The notebook's four words, decoded and encoded back.
        let p = TypedTensor(strings: ["Café", "Coffee", "caffè", "咖啡"])
        let r = p.unicodeDecoded()
        #expect(r.rows == [[67, 97, 102, 233], [67, 111, 102, 102, 101, 101], [99, 97, 102, 102, 232], [21654, 21857]])
        #expect(r.unicodeEncoded() == p)
    }

    /// tf.RaggedTensor: indexing, slicing, concatenation on both axes, to_tensor (notebook values).
    @Test func raggedTensors() throws {
        let r = TypedTensor(strings: ["Café", "Coffee", "caffè", "咖啡"]).unicodeDecoded()
        #expect(r[1] == [67, 111, 102, 102, 101, 101])
        #expect(r[rows: 1..<3].rows == [[67, 111, 102, 102, 101, 101], [99, 97, 102, 102, 232]])
        let r2 = RaggedTensor<Int32>([[65, 66], [], [67]])
        #expect(r.appendingRows(of: r2).rowLengths == [4, 6, 5, 2, 2, 0, 1])
        let r3 = RaggedTensor<Int32>([[68, 69, 70], [71], [], [72, 73]])
        #expect(try r.appendingColumns(of: r3).rows
            == [[67, 97, 102, 233, 68, 69, 70], [67, 111, 102, 102, 101, 101, 71], [99, 97, 102, 102, 232], [21654, 21857, 72, 73]])
        #expect(try r2.toDense(defaultValue: 0).rows == [[65, 66], [0, 0], [67, 0]])
        #expect(r2.toSparse().toDense(defaultValue: -1) == r2.toDense(defaultValue: -1))
        #expect(throws: TensorError.self) { try r.appendingColumns(of: r2) }
        #expect(throws: TensorError.self) { try RaggedTensor<Int32>(values: [1, 2], rowSplits: [0, 3]) }
    }

    /// Sets: `[[1, 2], [3, 4]]` holds {1, 2} and {3, 4}; tf.sets.union / difference / intersection (notebook values).
    @Test func sets() throws {
        let sets = try TypedTensor<Int32>([[1, 2], [3, 4]])
        #expect(try TensorSets.size(sets).scalars == [2, 2])
        let a = try TypedTensor<Int32>([[1, 5, 9], [10, 0, 0]])
        let b = try TypedTensor<Int32>([[5, 6, 9, 11], [13, 0, 0, 0]])
        #expect(try TensorSets.union(a, b).toDense(defaultValue: 0).rows == [[1, 5, 6, 9, 11], [0, 10, 13, 0, 0]])
        #expect(try TensorSets.union(a, b).toDense(defaultValue: -1).rows == [[1, 5, 6, 9, 11], [0, 10, 13, -1, -1]])
        #expect(try TensorSets.difference(a, b).toDense(defaultValue: 0).rows == [[1], [10]])
        #expect(try TensorSets.intersection(a, b).toDense(defaultValue: 0).rows == [[5, 9], [0, 0]])
        // Plain Swift sets do the same for one row.
        #expect(Set<Int32>([1, 5, 9]).subtracting([5, 6, 9, 11]) == [1])
        #expect(throws: TensorError.self) { try TensorSets.union(a, TypedTensor<Int32>([1, 2])) }
    }

    /// tf.TensorArray: an array of tensors of one shape, stacked at the end.
    @Test func tensorArrays() {
        var array = [Tensor]()
        for step in 0..<3 { array.append(Tensor([Float(step), Float(step * step)])) }
        #expect(Tensor(stacking: array) == Tensor([[0, 0], [1, 1], [2, 4]]))
    }

    /// tf.queue.FIFOQueue between steps that run apart: an AsyncStream hands tensors over in order.
    @Test func fifoQueue() async {
        let (queue, continuation) = AsyncStream.makeStream(of: Tensor.self)
        let producer = Task {
            for value in [Float(1), 2, 3] { continuation.yield(Tensor([value, value])) }
            continuation.finish()
        }
        var received = [[Float]]()
        for await tensor in queue { received.append(tensor.scalars) }
        await producer.value
        #expect(received == [[1, 1], [2, 2], [3, 3]])
    }

    /// In [63]–[68]: `tf.function(cube)` has no twin: the Swift function is compiled already
    /// (docs/keras-api.md, "`tf.function` and graphs"); it gives the chapter's values, 8.0 as float32 and
    /// 8 as int32 (a generic function, specialized per dtype), and differentiates on the tape.
    @Test func functionsNeedNoTracing() throws {
        #expect(cube(Tensor(2)).scalar == 8)
        let integer = cube(TypedTensor<Int32>(2))
        #expect(integer.dtype == .int32 && integer.scalar == 8 && integer.shape == [])
        #expect(cube(Tensor([1, 2, 3])).scalars == [1, 8, 27])
        let x = Variable(Tensor(2))
        let tape = GradientTape()
        let y = tape.record { cube(x.value) }
        #expect(try tape.gradient(of: y, wrt: x)?.scalar == 12)
    }
}

/// The chapter's `cube`, In [63]: on the float32 core, and generic over `TypedTensor`'s element types.
private func cube(_ x: Tensor) -> Tensor { x * x * x }
private func cube<S: ArithmeticScalar>(_ x: TypedTensor<S>) -> TypedTensor<S> { x * x * x }
