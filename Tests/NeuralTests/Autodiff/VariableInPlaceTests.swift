import Neural
import Testing

/// Editing part of a variable in place: `assign(_:at:)` (TensorFlow's `v[...].assign`),
/// `scatterNDUpdate(indices:updates:)` and `scatterUpdate(rows:updates:)`: values, fresh identities,
/// nothing on the tape, and typed errors that leave the variable unchanged.
@Suite struct VariableInPlaceTests {
    /// `[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]`.
    static func counting() -> Variable {
        Variable(Tensor(shape: [3, 4], scalars: (0..<12).map(Float.init)))
    }

    /// Runs `body`, expects it to throw a `TensorError`, and that the variable kept its value and identity.
    static func expectRejected(
        _ v: Variable, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
    ) -> TensorError? {
        let before = v.value
        let error = #expect(throws: TensorError.self, sourceLocation: sourceLocation) { try body() }
        #expect(v.value.scalars == before.scalars, "unchanged values", sourceLocation: sourceLocation)
        #expect(v.value.id == before.id, "unchanged identity", sourceLocation: sourceLocation)
        return error
    }

    // MARK: - assign(_:at:)

    @Test func assignWithStridesNegativeIndicesEllipsisAndNewAxis() throws {
        let v = Self.counting()
        try v.assign(Tensor([-1, -2]), at: -1, .range(0..<4, stride: 2))
        #expect(v.value.scalars == [0, 1, 2, 3, 4, 5, 6, 7, -1, 9, -2, 11])
        try v.assign(Tensor([[7], [8], [9]]), at: .ellipsis, 1, .newAxis)
        #expect(v.value.scalars == [0, 7, 2, 3, 4, 8, 6, 7, -1, 9, -2, 11])
        try v.assign(Tensor([1, 2, 3, 4]), at: 0, .slice(stride: -1))
        #expect(v.value.scalars == [4, 3, 2, 1, 4, 8, 6, 7, -1, 9, -2, 11])
        try v.assign(Tensor([[5, 6], [7, 8]]), at: 1..., 2...)
        #expect(v.value.scalars == [4, 3, 2, 1, 4, 8, 5, 6, -1, 9, 7, 8])
        #expect(v.shape == [3, 4])
    }

    @Test func scalarFillsTheSelection() throws {
        let v = Self.counting()
        try v.assign(0, at: 1...)
        #expect(v.value.scalars == [0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0])
        try v.assign(-5, at: .all, 3)
        #expect(v.value.scalars == [0, 1, 2, -5, 0, 0, 0, -5, 0, 0, 0, -5])
    }

    @Test func indexListBuiltAtRunTime() throws {
        let v = Self.counting()
        let indices: [TensorIndex] = [.all, 2]
        try v.assign(Tensor([20, 60, 100]), at: indices)
        #expect(v.value.scalars == [0, 1, 20, 3, 4, 5, 60, 7, 8, 9, 100, 11])
        let scalar = Variable(Tensor(3))
        try scalar.assign(9, at: [])
        #expect(scalar.value.scalars == [9])
    }

    /// An empty selection writes nothing.
    @Test func emptySelection() throws {
        let v = Self.counting()
        try v.assign(Tensor(shape: [0, 4], scalars: []), at: 2..<2)
        #expect(v.value.scalars == (0..<12).map(Float.init))
    }

    @Test func assignRejectsBadIndicesAndShapes() {
        let v = Self.counting()
        let outOfRange = Self.expectRejected(v) { try v.assign(1, at: 3, 0) }
        guard case let .invalidArgument(op, message)? = outOfRange else {
            Issue.record("expected invalidArgument, got \(String(describing: outOfRange))")
            return
        }
        #expect(op == "Variable.assign(_:at:)")
        #expect(message.contains("index 3 is out of range for axis 0 of size 3"))

        let negative = Self.expectRejected(v) { try v.assign(1, at: 0, -5) }
        guard case .invalidArgument? = negative else {
            Issue.record("expected invalidArgument, got \(String(describing: negative))")
            return
        }
        let zeroStride = Self.expectRejected(v) { try v.assign(1, at: .slice(stride: 0)) }
        guard case .invalidArgument? = zeroStride else {
            Issue.record("expected invalidArgument, got \(String(describing: zeroStride))")
            return
        }
        let tooMany = Self.expectRejected(v) { try v.assign(1, at: 0, 0, 0) }
        guard case .invalidArgument? = tooMany else {
            Issue.record("expected invalidArgument, got \(String(describing: tooMany))")
            return
        }

        let wrongShape = Self.expectRejected(v) { try v.assign(Tensor([1, 2]), at: .all, 2) }
        guard case let .incompatibleShapes(_, lhs, rhs)? = wrongShape else {
            Issue.record("expected incompatibleShapes, got \(String(describing: wrongShape))")
            return
        }
        #expect(lhs == [3])
        #expect(rhs == [2])
        // TensorFlow does not broadcast a row into a slice either; only a rank-0 value fills.
        let row = Self.expectRejected(v) { try v.assign(Tensor([1, 2, 3, 4]), at: 0...1, .all) }
        guard case let .incompatibleShapes(_, rowLhs, rowRhs)? = row else {
            Issue.record("expected incompatibleShapes, got \(String(describing: row))")
            return
        }
        #expect(rowLhs == [2, 4])
        #expect(rowRhs == [4])
        let oneElement = Self.expectRejected(v) { try v.assign(Tensor([7]), at: .all, 1) }
        guard case .incompatibleShapes? = oneElement else {
            Issue.record("expected incompatibleShapes, got \(String(describing: oneElement))")
            return
        }
    }

    // MARK: - scatterNDUpdate(indices:updates:)

    @Test func scatterNDUpdateElementsAndSlices() throws {
        let v = Variable(Tensor([[1, 2, 3], [4, 5, 6]]))
        try v.scatterNDUpdate(indices: [[1]], updates: Tensor([[7, 8, 9]]))
        #expect(v.value.scalars == [1, 2, 3, 7, 8, 9])
        try v.scatterNDUpdate(indices: [[1, 0], [0, 2]], updates: Tensor([-1, -2]))
        #expect(v.value.scalars == [1, 2, -2, -1, 8, 9])
        // Depth 0 names the whole variable.
        try v.scatterNDUpdate(indices: [[]], updates: Tensor(shape: [1, 2, 3], scalars: [6, 5, 4, 3, 2, 1]))
        #expect(v.value.scalars == [6, 5, 4, 3, 2, 1])

        let cube = Variable(Tensor(zeros: [2, 2, 2]))
        try cube.scatterNDUpdate(indices: [[0, 1], [1, 0]], updates: Tensor([[1, 2], [3, 4]]))
        #expect(cube.value.scalars == [0, 0, 1, 2, 3, 4, 0, 0])
    }

    @Test func scatterNDUpdateWithNoIndices() throws {
        let v = Variable(Tensor([1, 2, 3]))
        try v.scatterNDUpdate(indices: [], updates: Tensor([Float]()))
        #expect(v.value.scalars == [1, 2, 3])
        let error = Self.expectRejected(v) { try v.scatterNDUpdate(indices: [], updates: Tensor([1])) }
        guard case .invalidArgument? = error else {
            Issue.record("expected invalidArgument, got \(String(describing: error))")
            return
        }
    }

    @Test func scatterNDUpdateRejectsBadIndicesAndShapes() {
        let v = Variable(Tensor([[1, 2, 3], [4, 5, 6]]))
        let cases: [(indices: [[Int]], updates: Tensor, expected: String)] = [
            ([[0, 3]], Tensor([1]), "indices[0] = [0, 3] does not index into shape [2, 3]"),
            ([[0, 0], [-1, 0]], Tensor([1, 2]), "indices[1] = [-1, 0] does not index into shape [2, 3]"),
            ([[0, 0], [1]], Tensor([1, 2]), "indices[1] = [1] has 1 coordinates but indices[0] has 2"),
            ([[0, 0, 0]], Tensor([1]), "has 3 coordinates for a variable of shape [2, 3]"),
            ([[1, 2], [0, 0], [1, 2]], Tensor([1, 2, 3]), "indices[2] = [1, 2] repeats indices[0] = [1, 2]"),
            ([[1], [1]], Tensor([[1, 2, 3], [4, 5, 6]]), "indices[1] = [1] repeats indices[0] = [1]"),
        ]
        for (indices, updates, expected) in cases {
            let error = Self.expectRejected(v) { try v.scatterNDUpdate(indices: indices, updates: updates) }
            guard case let .invalidArgument(op, message)? = error else {
                Issue.record("\(indices): expected invalidArgument, got \(String(describing: error))")
                continue
            }
            #expect(op == "Variable.scatterNDUpdate(indices:updates:)")
            #expect(message.contains(expected), "\(message)")
        }

        let wrongShape = Self.expectRejected(v) {
            try v.scatterNDUpdate(indices: [[0, 0], [1, 2]], updates: Tensor([100, 200, 300]))
        }
        guard case let .incompatibleShapes(_, lhs, rhs)? = wrongShape else {
            Issue.record("expected incompatibleShapes, got \(String(describing: wrongShape))")
            return
        }
        #expect(lhs == [2])
        #expect(rhs == [3])
        let wrongSlice = Self.expectRejected(v) {
            try v.scatterNDUpdate(indices: [[0]], updates: Tensor([1, 2, 3]))
        }
        guard case let .incompatibleShapes(_, sliceLhs, sliceRhs)? = wrongSlice else {
            Issue.record("expected incompatibleShapes, got \(String(describing: wrongSlice))")
            return
        }
        #expect(sliceLhs == [1, 3])
        #expect(sliceRhs == [3])
    }

    // MARK: - scatterUpdate(rows:updates:)

    @Test func scatterUpdateReplacesRows() throws {
        let v = Variable(Tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]))
        try v.scatterUpdate(rows: [2, 0], updates: Tensor([[0, 0, 0], [1, 1, 1]]))
        #expect(v.value.scalars == [1, 1, 1, 4, 5, 6, 0, 0, 0])
        let vector = Variable(Tensor([1, 2, 3, 4]))
        try vector.scatterUpdate(rows: [3, 1], updates: Tensor([40, 20]))
        #expect(vector.value.scalars == [1, 20, 3, 40])
        try vector.scatterUpdate(rows: [], updates: Tensor([Float]()))
        #expect(vector.value.scalars == [1, 20, 3, 40])
    }

    @Test func scatterUpdateRejectsBadRowsAndShapes() {
        let scalar = Variable(Tensor(5))
        let rankZero = Self.expectRejected(scalar) { try scalar.scatterUpdate(rows: [0], updates: Tensor([1])) }
        guard case let .invalidArgument(_, rankMessage)? = rankZero else {
            Issue.record("expected invalidArgument, got \(String(describing: rankZero))")
            return
        }
        #expect(rankMessage.contains("rank-0"))

        let v = Variable(Tensor([[1, 2, 3], [4, 5, 6]]))
        let cases: [(rows: [Int], expected: String)] = [
            ([2], "rows[0] = 2 is not in 0..<2"),
            ([0, -1], "rows[1] = -1 is not in 0..<2"),
            ([1, 1], "rows[1] = 1 repeats rows[0] = 1"),
        ]
        for (rows, expected) in cases {
            let updates = Tensor(zeros: [rows.count, 3])
            let error = Self.expectRejected(v) { try v.scatterUpdate(rows: rows, updates: updates) }
            guard case let .invalidArgument(op, message)? = error else {
                Issue.record("\(rows): expected invalidArgument, got \(String(describing: error))")
                continue
            }
            #expect(op == "Variable.scatterUpdate(rows:updates:)")
            #expect(message.contains(expected), "\(message)")
        }
        let wrongShape = Self.expectRejected(v) { try v.scatterUpdate(rows: [1], updates: Tensor([[1, 2]])) }
        guard case let .incompatibleShapes(_, lhs, rhs)? = wrongShape else {
            Issue.record("expected incompatibleShapes, got \(String(describing: wrongShape))")
            return
        }
        #expect(lhs == [1, 3])
        #expect(rhs == [1, 2])
    }

    // MARK: - Identity, sharing and the tape

    /// Each edit gives the value a new identity; a copy taken before keeps its elements (copy-on-write).
    @Test func editsGiveFreshIdentitiesAndLeaveCopiesAlone() throws {
        let v = Self.counting()
        let original = v.value
        try v.assign(100, at: 0, 0)
        let afterAssign = v.value
        #expect(afterAssign.id != original.id)
        #expect(original.scalars == (0..<12).map(Float.init))
        try v.scatterNDUpdate(indices: [[1, 1]], updates: Tensor([200]))
        let afterScatterND = v.value
        #expect(afterScatterND.id != afterAssign.id)
        #expect(afterAssign.scalars[5] == 5)
        try v.scatterUpdate(rows: [2], updates: Tensor([[0, 0, 0, 0]]))
        #expect(v.value.id != afterScatterND.id)
        #expect(afterScatterND.scalars[8...] == [8, 9, 10, 11])
        #expect(v.value.scalars == [100, 1, 2, 3, 4, 200, 6, 7, 0, 0, 0, 0])
    }

    /// An edit inside `record { }` is not an operation of the tape: the value read after it does not
    /// depend on the value read before it, and the gradient with respect to the variable is that of
    /// the new value only.
    @Test func editsAreNotRecorded() throws {
        let v = Variable(Tensor([1, 2, 3]))
        let tape = GradientTape(persistent: true)
        let (before, after, loss): (Tensor, Tensor, Tensor) = try tape.record {
            let before = v.value
            try v.assign(10, at: 1)
            try v.scatterNDUpdate(indices: [[2]], updates: Tensor([20]))
            try v.scatterUpdate(rows: [0], updates: Tensor([5]))
            let after = v.value
            return (before, after, (after * after).sum())
        }
        #expect(before.scalars == [1, 2, 3])
        #expect(after.scalars == [5, 10, 20])
        #expect(try tape.gradient(of: loss, wrt: before) == nil)
        let gradient = try #require(try tape.gradient(of: loss, wrt: v))
        #expect(gradient.scalars == [10, 20, 40])
    }
}
