import Synchronization

/// The identity of a tensor value, as the gradient tape follows it through recorded operations.
public struct TensorID: Hashable, Sendable, CustomStringConvertible {
    @usableFromInline let raw: UInt64

    /// A process-wide unique identity.
    @inlinable
    static func next() -> TensorID {
        TensorID(raw: tensorIDCounter.wrappingAdd(1, ordering: .relaxed).oldValue)
    }

    @usableFromInline init(raw: UInt64) { self.raw = raw }

    /// `#` followed by the number.
    public var description: String { "#\(raw)" }
}

@usableFromInline
let tensorIDCounter = Atomic<UInt64>(1)
