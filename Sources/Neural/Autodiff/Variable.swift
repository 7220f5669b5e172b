/// A mutable tensor that lives across steps: a model's weights, an optimizer's slots.
///
/// Reading ``value`` while a ``GradientTape`` records watches a trainable variable automatically.
/// Updates (``assign(_:)``, ``assignAdd(_:)``, ``assignSub(_:scaledBy:)``, and the partial ones:
/// `assign(_:at:)`, ``scatterNDUpdate(indices:updates:)``, ``scatterUpdate(rows:updates:)``) are in place
/// when the value's storage is not shared, give the value a new identity, and are never recorded on a tape.
public final class Variable {
    /// Whether tapes watch this variable automatically and optimizers update it.
    public let trainable: Bool
    /// A name for summaries and saved weights.
    public var name: String
    @usableFromInline internal var storedValue: Tensor
    /// Applied by optimizers after each update (Keras's variable constraint), e.g. a max-norm.
    public var constraint: ((Tensor) -> Tensor)?

    /// Creates a variable holding `initialValue`.
    public init(_ initialValue: Tensor, trainable: Bool = true, name: String = "variable") {
        self.storedValue = initialValue.withFreshIdentity()
        self.trainable = trainable
        self.name = name
    }

    /// The current value; reading it inside a recording tape watches the variable.
    public var value: Tensor {
        if TapeContext.isRecording {
            for tape in TapeContext.current.tapes { tape.variableRead(self) }
        }
        return storedValue
    }

    /// The value's shape.
    public var shape: [Int] { storedValue.shape }

    /// Replaces the value. Traps if the shape changes (a programmer error, as in TensorFlow).
    public func assign(_ newValue: Tensor) {
        guard newValue.shape == storedValue.shape else {
            trap(.incompatibleShapes(op: "Variable.assign", lhs: storedValue.shape, rhs: newValue.shape))
        }
        storedValue = newValue.withFreshIdentity()
    }

    /// Adds `delta` in place.
    public func assignAdd(_ delta: Tensor) { assignAdd(delta, scaledBy: 1) }

    /// Subtracts `delta` in place.
    public func assignSub(_ delta: Tensor) { assignAdd(delta, scaledBy: -1) }

    /// Subtracts `scale * delta` in place: the plain gradient-descent step.
    public func assignSub(_ delta: Tensor, scaledBy scale: Float) { assignAdd(delta, scaledBy: -scale) }

    /// Adds `scale * delta` in place (one fused pass over the elements).
    public func assignAdd(_ delta: Tensor, scaledBy scale: Float) {
        guard delta.shape == storedValue.shape else {
            trap(.incompatibleShapes(op: "Variable.assignAdd", lhs: storedValue.shape, rhs: delta.shape))
        }
        delta.withUnsafeBufferPointer { source in
            storedValue.withUnsafeMutableBufferPointer { target in
                guard let s = source.baseAddress, let t = target.baseAddress else { return }
                for index in 0..<target.count { t[index] += scale * s[index] }
            }
        }
    }

    /// Runs `body` on the value's elements in place (copying first if shared); for optimizers.
    public func updateInPlace<R>(_ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try storedValue.withUnsafeMutableBufferPointer(body)
    }
}

extension Variable: CustomStringConvertible {
    /// The name and the value.
    public var description: String { "Variable(\(name)): \(storedValue)" }
}
