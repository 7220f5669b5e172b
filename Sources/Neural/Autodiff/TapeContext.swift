#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The tapes recording on the current thread, innermost last.
///
/// Tapes are per thread, as in TensorFlow: two trials training on two threads never see each other's
/// operations. Ops ask `TapeContext.isRecording` first, so code running without a tape pays one
/// thread-local read per op and builds no backward closures.
@usableFromInline
final class TapeContext {
    @usableFromInline var tapes: [GradientTape] = []
    /// Nonzero while `withoutRecording` (all tapes paused on this thread) is running.
    @usableFromInline var pauseDepth = 0
    /// The sources of the backward pass running on this thread (empty outside one): a backward
    /// function may hand on a gradient that is only right for its input's producer (see
    /// ``ReLUMaskLink``) only when nobody asked for that input's own gradient.
    var backwardSources: Set<TensorID> = []
    /// The output of the latest op recorded on this thread with ReLU fused, and its link to a max
    /// pooling that reads it (``ReLUMaskLink``). One slot: the pooling comes right after its
    /// convolution, and ids are never reused, so a stale entry never matches.
    var latestReLUOutput: (id: TensorID, link: ReLUMaskLink)?

    /// The current thread's context, created on first use and released when the thread ends.
    @usableFromInline
    static var current: TapeContext {
        if let pointer = pthread_getspecific(tapeContextKey) {
            return Unmanaged<TapeContext>.fromOpaque(pointer).takeUnretainedValue()
        }
        let context = TapeContext()
        pthread_setspecific(tapeContextKey, Unmanaged.passRetained(context).toOpaque())
        return context
    }

    /// True when at least one tape on this thread would record an operation.
    @inlinable
    static var isRecording: Bool {
        guard let pointer = pthread_getspecific(tapeContextKey) else { return false }
        let context = Unmanaged<TapeContext>.fromOpaque(pointer).takeUnretainedValue()
        return context.pauseDepth == 0 && !context.tapes.isEmpty
    }
}

@usableFromInline
let tapeContextKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { pointer in
        guard let pointer else { return }
        Unmanaged<TapeContext>.fromOpaque(pointer).release()
    }
    guard status == 0 else { fatalError("pthread_key_create failed with status \(status)") }
    return key
}()

/// Runs `body` with every tape on this thread paused: nothing it computes is recorded.
///
/// The Swift form of TensorFlow's `tape.stop_recording()` for all tapes at once; see also
/// ``GradientTape/stopRecording(_:)`` for one tape and ``Tensor/stopGradient()``.
public func withoutRecording<R>(_ body: () throws -> R) rethrows -> R {
    let context = TapeContext.current
    context.pauseDepth += 1
    defer { context.pauseDepth -= 1 }
    return try body()
}
