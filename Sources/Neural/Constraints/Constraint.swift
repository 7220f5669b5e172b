/// A projection applied to a weight after each optimizer update: Keras's `keras.constraints.Constraint`.
///
/// Constraints run once per weight per step, outside any tape, so the built-ins are single kernels
/// over the buffer (norm constraints make one pass for the norms and one to scale), and
/// ``apply(to:)`` updates a ``Variable`` in place without allocating. Built-ins follow Keras 3
/// (defaults, the `1e-7` epsilon, configuration keys); custom types register with ``ObjectRegistry``,
/// custom functions with ``ClosureConstraint``.
public protocol Constraint: ConfigurationRepresentable, Sendable {
    /// The constrained weights, same shape as `weights`. Built-ins are not recorded on a tape
    /// (a constraint is a projection after the update, not part of the loss).
    func callAsFunction(_ weights: Tensor) -> Tensor

    /// Replaces the variable's value by the constrained value; what an optimizer calls after updating
    /// it. The default assigns `self(variable.value)`; built-ins work in place.
    func apply(to variable: Variable)
}

extension Constraint {
    /// Assigns `self(variable.value)` to the variable, outside any tape. Traps if the constraint
    /// changes the shape.
    public func apply(to variable: Variable) {
        withoutRecording { variable.assign(self(variable.value)) }
    }
}

/// A constraint that is one in-place kernel over the elements, given the tensor's shape.
internal protocol InPlaceConstraint: Constraint {
    /// Writes the constrained `input` into `output` (which may be the same memory).
    func constrain(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, shape: [Int])
}

extension InPlaceConstraint {
    /// The constrained weights, computed in one kernel call; not recorded.
    public func callAsFunction(_ weights: Tensor) -> Tensor {
        weights.withUnsafeBufferPointer { input in
            Tensor.make(shape: weights.shape, count: input.count) { output in
                guard let i = input.baseAddress, let o = output.baseAddress else { return }
                constrain(i, into: o, shape: weights.shape)
            }
        }
    }

    /// Constrains the variable's elements in place (copying first only if its storage is shared).
    public func apply(to variable: Variable) {
        let shape = variable.shape
        variable.updateInPlace { buffer in
            guard let base = buffer.baseAddress else { return }
            constrain(UnsafePointer(base), into: base, shape: shape)
        }
    }
}

/// How a tensor splits into the slices whose ℓ2 norms the norm constraints use: the elements that
/// share every index outside `axes` form one slice. Walks the buffer row by row (a row is the last
/// dimension), so both common cases, a Dense kernel `[in, out]` with axis 0 (one norm per column)
/// and with axis 1 (one per row), are tight inner loops.
internal struct NormSlices {
    /// Elements per row (the last dimension).
    let rowLength: Int
    /// Rows in the buffer.
    let rowCount: Int
    /// How many slices (norms) there are.
    let sliceCount: Int
    /// For each leading dimension, the step in slice index per step in that dimension (0 if reduced).
    private let leadingSteps: [Int]
    private let leadingShape: [Int]
    /// The step in slice index per element along the last dimension: 0 when it is reduced, else 1.
    let innerStep: Int

    /// Traps (naming `op`) on a rank-0 shape or an axis out of range.
    init(shape: [Int], axes: [Int], op: String) {
        guard !shape.isEmpty else { trap(.invalidArgument(op: op, message: "cannot take norms along axes \(axes) of a scalar")) }
        let rank = shape.count
        var reduced = [Bool](repeating: false, count: rank)
        for axis in axes { reduced[Tensor.axisOrTrap(axis, rank: rank, op: op)] = true }
        var steps = [Int](repeating: 0, count: rank)
        var step = 1
        for d in stride(from: rank - 1, through: 0, by: -1) where !reduced[d] {
            steps[d] = step
            step *= shape[d]
        }
        sliceCount = step
        rowLength = shape[rank - 1]
        rowCount = rowLength == 0 ? 0 : shape.reduce(1, *) / rowLength
        innerStep = steps[rank - 1]
        leadingSteps = Array(steps.dropLast())
        leadingShape = Array(shape.dropLast())
    }

    /// Calls `body(rowOffset, sliceBase)` for each row: the row's first element and the slice index of
    /// that element (element `k` of the row belongs to slice `sliceBase + k * innerStep`).
    @inline(__always)
    func forEachRow(_ body: (_ rowOffset: Int, _ sliceBase: Int) -> Void) {
        var index = [Int](repeating: 0, count: leadingShape.count)
        var base = 0
        for row in 0..<rowCount {
            body(row * rowLength, base)
            var d = leadingShape.count - 1
            while d >= 0 {
                index[d] += 1
                base += leadingSteps[d]
                if index[d] < leadingShape[d] { break }
                base -= leadingSteps[d] * index[d]
                index[d] = 0
                d -= 1
            }
        }
    }

    /// Scales every element of `input` by `factor(norm of its slice)` into `output`: one pass for the
    /// sums of squares, one to scale.
    @inline(__always)
    func scale(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, factor: (Float) -> Float) {
        var scales = [Float](repeating: 0, count: sliceCount)
        scales.withUnsafeMutableBufferPointer { s in
            guard let s = s.baseAddress else { return }
            let length = rowLength, step = innerStep
            forEachRow { offset, base in
                if step == 0 {
                    var total: Float = 0
                    for k in 0..<length { let v = input[offset + k]; total += v * v }
                    s[base] += total
                } else {
                    for k in 0..<length { let v = input[offset + k]; s[base + k] += v * v }
                }
            }
            for j in 0..<sliceCount { s[j] = factor(s[j].squareRoot()) }
            forEachRow { offset, base in
                if step == 0 {
                    let f = s[base]
                    for k in 0..<length { output[offset + k] = input[offset + k] * f }
                } else {
                    for k in 0..<length { output[offset + k] = input[offset + k] * s[base + k] }
                }
            }
        }
    }
}

/// Keras's `backend.epsilon()`, which the norm constraints add to the norm before dividing.
internal let constraintEpsilon: Float = 1e-7
