/// Records operations so that gradients can be computed afterwards: TensorFlow's `GradientTape`.
///
/// Trainable ``Variable``s read while the tape records are watched automatically; other tensors are
/// followed only after ``watch(_:)-(Tensor)``. A non-persistent tape answers one ``gradient(of:wrt:outputGradient:)``
/// (or `jacobian`, `batchJacobian`) call and then refuses; a persistent one answers many. Tapes nest: an
/// outer tape records the gradient computation of an inner one, which gives second derivatives.
///
/// ```swift
/// let w1 = Variable(5.0), w2 = Variable(3.0)
/// let tape = GradientTape()
/// let z = tape.record { 3 * w1.value.squared() + 2 * w1.value * w2.value }
/// let grads = try tape.gradient(of: z, wrt: [w1, w2])   // [36, 10]
/// ```
public final class GradientTape {
    /// Whether ``gradient(of:wrt:outputGradient:)`` may be called more than once.
    public let persistent: Bool
    /// Whether trainable variables read while recording are watched without ``watch(_:)-(Variable)``.
    public let watchAccessedVariables: Bool

    @usableFromInline var tracked: Set<TensorID> = []
    @usableFromInline var records: [TapeRecord] = []
    @usableFromInline var isPaused = false
    private var watched: [ObjectIdentifier: Variable] = [:]
    private var watchOrder: [ObjectIdentifier] = []
    private var used = false

    /// Creates a tape. It records only inside ``record(_:)``.
    ///
    /// - Parameters:
    ///   - persistent: allow several `gradient` calls (memory is kept until the tape is released).
    ///   - watchAccessedVariables: watch trainable variables automatically when they are read.
    public init(persistent: Bool = false, watchAccessedVariables: Bool = true) {
        self.persistent = persistent
        self.watchAccessedVariables = watchAccessedVariables
    }

    /// Runs `body` with this tape recording (TensorFlow's `with tape:` block) and returns its result.
    /// May be entered several times; the records add up.
    public func record<R>(_ body: () throws -> R) rethrows -> R {
        let context = TapeContext.current
        context.tapes.append(self)
        defer {
            if let index = context.tapes.lastIndex(where: { $0 === self }) { context.tapes.remove(at: index) }
        }
        return try body()
    }

    /// Runs `body` without this tape recording (TensorFlow's `tape.stop_recording()`); other tapes go on.
    public func stopRecording<R>(_ body: () throws -> R) rethrows -> R {
        let wasPaused = isPaused
        isPaused = true
        defer { isPaused = wasPaused }
        return try body()
    }

    /// Follows `tensor` from now on, so that gradients with respect to it can be asked for.
    public func watch(_ tensor: Tensor) {
        tracked.insert(tensor.id)
    }

    /// Follows `variable`'s current value (needed for non-trainable variables, or with
    /// `watchAccessedVariables: false`).
    public func watch(_ variable: Variable) {
        tracked.insert(variable.storedValue.id)
        let key = ObjectIdentifier(variable)
        if watched.updateValue(variable, forKey: key) == nil { watchOrder.append(key) }
    }

    /// The variables this tape watches, in the order it first saw them (TensorFlow's `watched_variables()`).
    public var watchedVariables: [Variable] { watchOrder.compactMap { watched[$0] } }

    @inlinable
    func recordIfTracked(inputs: [Tensor], output: TensorID, backward: @escaping BackwardFunction) {
        guard inputs.contains(where: { tracked.contains($0.id) }) else { return }
        tracked.insert(output)
        records.append(TapeRecord(inputs: inputs.map(\.id), output: output, backward: backward))
    }

    func variableRead(_ variable: Variable) {
        guard watchAccessedVariables, variable.trainable, !isPaused else { return }
        watch(variable)
    }

    // MARK: - Gradients

    /// The gradients of `target` with respect to each source, `nil` for a source `target` does not
    /// depend on. `outputGradient` (default: ones) weights the target's elements, as in TensorFlow.
    ///
    /// - Throws: ``GradientTapeError/alreadyUsed`` on a second call to a non-persistent tape, and
    ///   ``GradientTapeError/outputGradientShape(target:given:)`` when `outputGradient` has the wrong shape.
    public func gradient(
        of target: Tensor, wrt sources: [Tensor], outputGradient: Tensor? = nil
    ) throws(GradientTapeError) -> [Tensor?] {
        try gradient(of: target, wrtIDs: sources.map(\.id), outputGradient: outputGradient)
    }

    /// The gradient of `target` with respect to one tensor; see ``gradient(of:wrt:outputGradient:)``.
    public func gradient(of target: Tensor, wrt source: Tensor) throws(GradientTapeError) -> Tensor? {
        try gradient(of: target, wrt: [source])[0]
    }

    /// The gradients of `target` with respect to variables' current values.
    public func gradient(
        of target: Tensor, wrt variables: [Variable], outputGradient: Tensor? = nil
    ) throws(GradientTapeError) -> [Tensor?] {
        try gradient(of: target, wrtIDs: variables.map(\.storedValue.id), outputGradient: outputGradient)
    }

    /// The gradient of `target` with respect to one variable.
    public func gradient(of target: Tensor, wrt variable: Variable) throws(GradientTapeError) -> Tensor? {
        try gradient(of: target, wrt: [variable])[0]
    }

    private func gradient(
        of target: Tensor, wrtIDs sources: [TensorID], outputGradient: Tensor?
    ) throws(GradientTapeError) -> [Tensor?] {
        try checkUsable()
        if let outputGradient, outputGradient.shape != target.shape {
            throw .outputGradientShape(target: target.shape, given: outputGradient.shape)
        }
        return try use {
            // This tape must not record its own backward pass; outer tapes do (second derivatives).
            stopRecording {
                backpropagate(target: target, plan: plan(sources: sources), outputGradient: outputGradient)
            }
        }
    }

    /// Throws when this tape is non-persistent and has been used; requests check it before their
    /// arguments, so that a used tape always answers ``GradientTapeError/alreadyUsed``.
    ///
    /// - Throws: ``GradientTapeError/alreadyUsed``.
    func checkUsable() throws(GradientTapeError) {
        if used && !persistent { throw .alreadyUsed }
    }

    /// Runs `body` as one use of the tape: refuses a second use of a non-persistent tape, and frees
    /// a non-persistent tape's records afterwards (TensorFlow's "one set of gradients (or jacobians)").
    ///
    /// - Throws: ``GradientTapeError/alreadyUsed`` on a second use of a non-persistent tape.
    func use<R>(_ body: () -> R) throws(GradientTapeError) -> R {
        try checkUsable()
        used = true
        defer {
            if !persistent {
                records = []
                tracked = []
            }
        }
        return body()
    }

    /// The records a backward pass towards `sources` goes through, found by one forward walk.
    struct BackwardPlan {
        /// The sources, in the order gradients are returned.
        let sources: [TensorID]
        /// The tensors that depend on a source this tape follows (the followed sources included).
        let dependsOnSource: Set<TensorID>
        /// Indices into `records` of the operations with an input in `dependsOnSource`, in order.
        let relevant: [Int]

        /// Whether `target` depends on a source, so that a backward pass can reach one.
        func reaches(_ target: TensorID) -> Bool { dependsOnSource.contains(target) }
    }

    /// Walks the records forward once to find which tensors depend on a source; only those records
    /// matter going back. A source this tape never followed (an unwatched constant or variable) gets
    /// no gradient. One plan serves several backward passes (Jacobians).
    func plan(sources: [TensorID]) -> BackwardPlan {
        var dependsOnSource = Set(sources.filter(tracked.contains))
        var relevant: [Int] = []
        for (index, record) in records.enumerated()
        where record.inputs.contains(where: dependsOnSource.contains) {
            dependsOnSource.insert(record.output)
            relevant.append(index)
        }
        return BackwardPlan(sources: sources, dependsOnSource: dependsOnSource, relevant: relevant)
    }

    /// One backward pass from `target` (weighted by `outputGradient`, ones by default) to the plan's
    /// sources; `nil` for a source the pass does not reach.
    func backpropagate(target: Tensor, plan: BackwardPlan, outputGradient: Tensor?) -> [Tensor?] {
        let sources = plan.sources
        let dependsOnSource = plan.dependsOnSource
        guard plan.reaches(target.id) else { return sources.map { _ in nil } }

        let sourceSet = Set(sources)
        let context = TapeContext.current
        let outerSources = context.backwardSources
        context.backwardSources = sourceSet
        defer { context.backwardSources = outerSources }
        var gradients: [TensorID: Tensor] = [target.id: outputGradient ?? Tensor(ones: target.shape)]
        for index in plan.relevant.reversed() {
            let record = records[index]
            // Free each intermediate gradient once used, unless someone asked for it.
            let upstream = sourceSet.contains(record.output)
                ? gradients[record.output] : gradients.removeValue(forKey: record.output)
            guard let upstream else { continue }
            var bits: UInt64 = 0
            for (position, input) in record.inputs.enumerated() where dependsOnSource.contains(input) {
                bits |= 1 << UInt64(position)
            }
            let inputGradients = record.backward(upstream, InputMask(bits: bits))
            for (position, input) in record.inputs.enumerated() where bits & (1 << UInt64(position)) != 0 {
                guard position < inputGradients.count, let gradient = inputGradients[position] else { continue }
                if let existing = gradients[input] {
                    gradients[input] = existing + gradient
                } else {
                    gradients[input] = gradient
                }
            }
        }
        return sources.map { gradients[$0] }
    }
}

/// Why a gradient tape refused a request.
public enum GradientTapeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A non-persistent tape was asked for gradients a second time.
    case alreadyUsed
    /// The output gradient's shape differs from the target's.
    case outputGradientShape(target: [Int], given: [Int])
    /// `batchJacobian(of:wrt:)` needs a target and a source of rank 1 or more whose first dimensions
    /// (the batch) agree.
    case batchShapes(target: [Int], source: [Int])

    /// What happened and what to do about it.
    public var description: String {
        switch self {
        case .alreadyUsed:
            return "GradientTape: a non-persistent tape can compute one set of gradients (or Jacobians) only; "
                + "create it with GradientTape(persistent: true) to call gradient(of:wrt:) or "
                + "jacobian(of:wrt:) several times"
        case let .outputGradientShape(target, given):
            return "GradientTape.gradient: outputGradient has shape \(given) but the target has shape \(target)"
        case let .batchShapes(target, source):
            return "GradientTape.batchJacobian: the target has shape \(target) and the source \(source); both need "
                + "a first (batch) dimension, of the same size"
        }
    }
}
