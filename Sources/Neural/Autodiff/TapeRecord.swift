/// Which inputs of a recorded operation need a gradient; a backward function may skip the others
/// (the first layer's input gradient, for example, is never needed).
public struct InputMask: Sendable {
    @usableFromInline var bits: UInt64

    @inlinable init(bits: UInt64) { self.bits = bits }

    /// A mask with every input needed; for calling backward functions directly.
    public static let all = InputMask(bits: .max)

    /// Whether input `index` needs a gradient.
    @inlinable public subscript(index: Int) -> Bool { bits & (1 << UInt64(index)) != 0 }
}

/// Maps the gradient of an operation's output to the gradients of its inputs (nil where not needed).
///
/// Backward functions are written with ordinary tensor operations, so that an outer tape records them
/// and second derivatives work (nested tapes).
public typealias BackwardFunction = (_ upstream: Tensor, _ needed: InputMask) -> [Tensor?]

/// One operation as a tape saw it: the identities in and out, and how to go back.
@usableFromInline
struct TapeRecord {
    @usableFromInline let inputs: [TensorID]
    @usableFromInline let output: TensorID
    @usableFromInline let backward: BackwardFunction

    @inlinable
    init(inputs: [TensorID], output: TensorID, backward: @escaping BackwardFunction) {
        self.inputs = inputs
        self.output = output
        self.backward = backward
    }
}

extension Tensor {
    /// Records that `self` was computed from `inputs` on every active tape that follows one of them.
    ///
    /// Op implementations call this only when ``TapeContext/isRecording`` is true, so no closure is
    /// built on the fast path:
    /// ```swift
    /// var result = kernel(a, b)
    /// if TapeContext.isRecording { result.record(inputs: [a, b]) { upstream, needed in ... } }
    /// ```
    @inlinable
    public func record(inputs: [Tensor], backward: @escaping BackwardFunction) {
        let context = TapeContext.current
        guard context.pauseDepth == 0 else { return }
        for tape in context.tapes where !tape.isPaused {
            tape.recordIfTracked(inputs: inputs, output: id, backward: backward)
        }
    }

    /// Whether any tape on this thread is recording; ops check it before building a backward closure.
    @inlinable public static var isRecording: Bool { TapeContext.isRecording }
}
