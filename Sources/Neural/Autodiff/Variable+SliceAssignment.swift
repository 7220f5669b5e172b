/// Writing into part of a variable: TensorFlow's `v[0, 1].assign(42)` and `v[:, 2].assign([0., 1.])`.
///
/// The indices are those of ``Tensor/subscript(_:)`` (integers, ranges with strides, `.all`,
/// `.ellipsis`, `.newAxis`, negative positions from the end). Like ``Variable/assignSub(_:)`` the write
/// is in place when the value's storage is not shared, gives the value a fresh ``TensorID`` and is
/// never recorded on a tape. Everything is checked before anything is written: a call that throws
/// leaves the variable as it was.
///
/// ```swift
/// let v = Variable(Tensor([[2, 4, 6], [8, 10, 12]]))
/// try v.assign(42, at: 0, 1)                    // v[0, 1].assign(42)        -> [[2, 42, 6], [8, 10, 12]]
/// try v.assign(Tensor([0, 1]), at: .all, 2)     // v[:, 2].assign([0., 1.])  -> [[2, 42, 0], [8, 10, 1]]
/// ```
extension Variable {
    /// Writes `newValue` into the elements `indices` select, as `v[indices].assign(newValue)` does in
    /// TensorFlow. `newValue` has the shape of the selection (`value[indices].shape`), or is a rank-0
    /// tensor written into every selected element (NumPy's `v[:, 2] = 0`).
    ///
    /// - Throws: ``TensorError/invalidArgument(op:message:)`` for an index out of range, a zero
    ///   stride, more than one ellipsis or more indices than axes;
    ///   ``TensorError/incompatibleShapes(op:lhs:rhs:)`` (the selection's shape, then `newValue`'s) when
    ///   `newValue` fits neither rule. The variable is unchanged when it throws.
    public func assign(_ newValue: Tensor, at indices: any TensorIndexConvertible...) throws(TensorError) {
        try assign(newValue, at: indices.map(\.tensorIndex))
    }

    /// Writes `newValue` into the elements `indices` select: the variadic `assign(_:at:)` for index lists
    /// built at run time (as ``Tensor/sliced(_:)`` is for the subscript).
    ///
    /// - Throws: as the variadic `assign(_:at:)`; the variable is unchanged when it throws.
    public func assign(_ newValue: Tensor, at indices: [TensorIndex]) throws(TensorError) {
        let op = "Variable.assign(_:at:)"
        let view = try Tensor.sliceView(of: storedValue.shape, indices: indices, op: op)
        let source: Tensor
        if newValue.shape == view.shape {
            source = newValue
        } else if newValue.rank == 0 {
            source = Tensor(repeating: newValue.scalar, shape: view.shape)
        } else {
            throw .incompatibleShapes(
                op: op + " (the value must have the shape of the selection \(indices), or be a scalar)",
                lhs: view.shape, rhs: newValue.shape)
        }
        source.withUnsafeBufferPointer { values in
            storedValue.withUnsafeMutableBufferPointer { target in
                guard let s = values.baseAddress, let t = target.baseAddress else { return }
                view.copyIn(from: s, to: t)
            }
        }
    }
}
