/// Jacobians: the gradient of every element of a target, not of its sum (TensorFlow's
/// `tape.jacobian` and `tape.batch_jacobian`).
///
/// Each runs one backward pass per target element (per element of one batch row for
/// `batchJacobian`) over the records found by a single forward walk, and counts as one use of the
/// tape: a non-persistent tape answers one `gradient`, `jacobian` or `batchJacobian` call. The
/// result is assembled with recorded operations, so an outer tape can differentiate it again.
///
/// ```swift
/// let x = Tensor([1, 2, 3])
/// let tape = GradientTape()
/// let y = tape.record { tape.watch(x); return x.squared() }
/// try tape.jacobian(of: y, wrt: x)     // [[2, 0, 0], [0, 4, 0], [0, 0, 6]]
/// ```
extension GradientTape {
    /// The Jacobian of `target` with respect to each source: a tensor of shape
    /// `target.shape + source.shape` whose element `[i..., j...]` is ∂target[i...] / ∂source[j...];
    /// `nil` for a source `target` does not depend on (as ``gradient(of:wrt:outputGradient:)``).
    ///
    /// - Throws: ``GradientTapeError/alreadyUsed`` when a non-persistent tape has already answered.
    public func jacobian(of target: Tensor, wrt sources: [Tensor]) throws(GradientTapeError) -> [Tensor?] {
        try jacobian(of: target, wrtIDs: sources.map(\.id), shapes: sources.map(\.shape))
    }

    /// The Jacobian of `target` with respect to one tensor, of shape `target.shape + source.shape`;
    /// see the `jacobian(of:wrt:)` taking a list.
    ///
    /// - Throws: ``GradientTapeError/alreadyUsed`` when a non-persistent tape has already answered.
    public func jacobian(of target: Tensor, wrt source: Tensor) throws(GradientTapeError) -> Tensor? {
        try jacobian(of: target, wrt: [source])[0]
    }

    /// The Jacobians of `target` with respect to variables' current values, each of shape
    /// `target.shape + variable.shape`; `nil` for a variable `target` does not depend on.
    ///
    /// - Throws: ``GradientTapeError/alreadyUsed`` when a non-persistent tape has already answered.
    public func jacobian(of target: Tensor, wrt variables: [Variable]) throws(GradientTapeError) -> [Tensor?] {
        try jacobian(of: target, wrtIDs: variables.map(\.storedValue.id), shapes: variables.map(\.shape))
    }

    /// The Jacobian of `target` with respect to one variable, of shape `target.shape + variable.shape`.
    ///
    /// - Throws: ``GradientTapeError/alreadyUsed`` when a non-persistent tape has already answered.
    public func jacobian(of target: Tensor, wrt variable: Variable) throws(GradientTapeError) -> Tensor? {
        try jacobian(of: target, wrt: [variable])[0]
    }

    /// The per-example Jacobians of a batch (TensorFlow's `batch_jacobian`): for a target of shape
    /// `[batch] + yRest` and a source of shape `[batch] + xRest`, a tensor of shape
    /// `[batch] + yRest + xRest` whose element `[b, i..., j...]` is ∂target[b, i...] / ∂source[b, j...];
    /// `nil` when `target` does not depend on `source`. Like TensorFlow's, it assumes that row `b`
    /// of the target depends only on row `b` of the source (true of layers applied to a batch);
    /// otherwise each entry sums the derivatives over the batch.
    ///
    /// - Throws: ``GradientTapeError/alreadyUsed`` when a non-persistent tape has already answered,
    ///   ``GradientTapeError/batchShapes(target:source:)`` when either is rank 0 or their first
    ///   dimensions differ.
    public func batchJacobian(of target: Tensor, wrt source: Tensor) throws(GradientTapeError) -> Tensor? {
        try batchJacobian(of: target, wrtID: source.id, shape: source.shape)
    }

    /// The per-example Jacobians of a batch with respect to a variable's current value, whose first
    /// dimension is the batch; see the `batchJacobian(of:wrt:)` taking a tensor.
    ///
    /// - Throws: ``GradientTapeError/alreadyUsed`` when a non-persistent tape has already answered,
    ///   ``GradientTapeError/batchShapes(target:source:)`` when either is rank 0 or their first
    ///   dimensions differ.
    public func batchJacobian(of target: Tensor, wrt variable: Variable) throws(GradientTapeError) -> Tensor? {
        try batchJacobian(of: target, wrtID: variable.storedValue.id, shape: variable.shape)
    }

    private func jacobian(
        of target: Tensor, wrtIDs ids: [TensorID], shapes: [[Int]]
    ) throws(GradientTapeError) -> [Tensor?] {
        try use {
            // This tape must not record its own backward passes; outer tapes do.
            stopRecording {
                let plan = self.plan(sources: ids)
                guard plan.reaches(target.id) else { return ids.map { _ in nil } }
                let count = target.scalarCount
                guard count > 0 else { return shapes.map { Tensor(zeros: target.shape + $0) } }
                var rows: [[Tensor?]] = shapes.map { _ in [] }
                for index in rows.indices { rows[index].reserveCapacity(count) }
                var seed = Tensor(zeros: target.shape)
                for element in 0..<count {
                    seed.withUnsafeMutableBufferPointer { buffer in
                        if element > 0 { buffer[element - 1] = 0 }
                        buffer[element] = 1
                    }
                    let gradients = backpropagate(target: target, plan: plan, outputGradient: seed)
                    for (index, gradient) in gradients.enumerated() { rows[index].append(gradient) }
                }
                return zip(rows, shapes).map { sourceRows, shape in
                    GradientTape.assemble(sourceRows, rowShape: shape, alongAxis: 0, into: target.shape + shape)
                }
            }
        }
    }

    private func batchJacobian(
        of target: Tensor, wrtID id: TensorID, shape sourceShape: [Int]
    ) throws(GradientTapeError) -> Tensor? {
        try checkUsable()
        guard let batch = target.shape.first, let sourceBatch = sourceShape.first, batch == sourceBatch else {
            throw .batchShapes(target: target.shape, source: sourceShape)
        }
        return try use {
            stopRecording {
                let plan = self.plan(sources: [id])
                guard plan.reaches(target.id) else { return nil }
                let resultShape = target.shape + sourceShape.dropFirst()
                let perRow = target.shape.dropFirst().reduce(1, *)
                guard perRow > 0, batch > 0 else { return Tensor(zeros: resultShape) }
                var rows: [Tensor?] = []
                rows.reserveCapacity(perRow)
                var seed = Tensor(zeros: target.shape)
                for element in 0..<perRow {
                    // Ones at [b, element] for every b: each row's pass reaches only its own source row.
                    seed.withUnsafeMutableBufferPointer { buffer in
                        for row in 0..<batch {
                            if element > 0 { buffer[row * perRow + element - 1] = 0 }
                            buffer[row * perRow + element] = 1
                        }
                    }
                    rows.append(backpropagate(target: target, plan: plan, outputGradient: seed)[0])
                }
                return GradientTape.assemble(rows, rowShape: sourceShape, alongAxis: 1, into: resultShape)
            }
        }
    }

    /// Stacks one backward pass's gradients per row along `axis` and reshapes the stack to `shape`;
    /// a pass that reached nothing contributes zeros. `nil` when no pass reached the source.
    private static func assemble(
        _ rows: [Tensor?], rowShape: [Int], alongAxis axis: Int, into shape: [Int]
    ) -> Tensor? {
        guard rows.contains(where: { $0 != nil }) else { return nil }
        let filled = rows.map { $0 ?? Tensor(zeros: rowShape) }
        return Tensor(stacking: filled, alongAxis: axis).reshaped(to: shape)
    }
}
