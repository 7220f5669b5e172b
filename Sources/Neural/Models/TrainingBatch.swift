/// One batch as `trainStep` and `testStep` receive it (seed 001's `data`): inputs, targets and
/// optional per-sample weights. Models with one input and one output use `x` and `y`.
public struct TrainingBatch: Sendable {
    /// One tensor per model input, each `[batch, ...]`.
    public var inputs: [Tensor]
    /// One tensor per model output.
    public var targets: [Tensor]
    /// `[batch]` weights (sample weights times class weights), if any.
    public var sampleWeight: Tensor?

    /// Creates a batch.
    public init(inputs: [Tensor], targets: [Tensor], sampleWeight: Tensor? = nil) {
        self.inputs = inputs
        self.targets = targets
        self.sampleWeight = sampleWeight
    }

    /// The first (usually only) input.
    public var x: Tensor { inputs[0] }
    /// The first (usually only) target.
    public var y: Tensor { targets[0] }
}

/// Inputs, targets and weights for `fit` and `evaluate`, checked to have one row per sample.
public struct ModelData: Sendable {
    /// One tensor per input.
    public var inputs: [Tensor]
    /// One tensor per output (empty for `predict`).
    public var targets: [Tensor]
    /// `[count]` sample weights, if any.
    public var sampleWeight: Tensor?

    /// Pairs the tensors, checking they all have the same number of rows.
    /// - Throws: ``LayerError/invalidData(message:)`` naming the counts that disagree.
    public init(inputs: [Tensor], targets: [Tensor] = [], sampleWeight: Tensor? = nil) throws {
        guard let first = inputs.first, first.rank >= 1 else {
            throw LayerError.invalidData(message: "the model needs at least one input with a batch dimension")
        }
        let count = first.shape[0]
        for (index, tensor) in (inputs + targets).enumerated() where tensor.rank < 1 || tensor.shape[0] != count {
            let role = index < inputs.count ? "input \(index)" : "target \(index - inputs.count)"
            throw LayerError.invalidData(message: "\(role) has shape \(tensor.shape) but input 0 has \(count) samples")
        }
        if let sampleWeight, sampleWeight.scalarCount != count {
            throw LayerError.invalidData(message: "sample weights have \(sampleWeight.scalarCount) values for \(count) samples")
        }
        self.inputs = inputs
        self.targets = targets
        self.sampleWeight = sampleWeight
    }

    /// The number of samples.
    public var count: Int { inputs[0].shape[0] }

    /// The samples at `indices`, copied into one batch.
    public func batch(_ indices: ArraySlice<Int>) -> TrainingBatch {
        TrainingBatch(
            inputs: inputs.map { $0.gatheringRows(indices) },
            targets: targets.map { $0.gatheringRows(indices) },
            sampleWeight: sampleWeight.map { $0.reshaped(to: [-1]).gatheringRows(indices) })
    }

    /// How many of its samples `validationSplit` takes for validation (Keras's rule: the fraction of
    /// the samples, rounded down, from the end).
    ///
    /// - Throws: ``LayerError/invalidData(message:)`` when the split is outside [0, 1) or leaves no
    ///   validation or no training sample (every `val_*` metric would then be missing).
    public func validationCount(forSplit validationSplit: Float) throws(LayerError) -> Int {
        guard validationSplit >= 0 && validationSplit < 1 else {
            throw .invalidData(message: "validationSplit must be in [0, 1), got \(validationSplit)")
        }
        let validationCount = Int((Float(count) * validationSplit).rounded(.down))
        guard validationCount > 0 && validationCount < count else {
            throw .invalidData(
                message: "validationSplit \(validationSplit) of \(count) sample\(count == 1 ? "" : "s") leaves "
                    + (validationCount == 0 ? "no validation samples" : "no training samples")
                    + "; give more data, another split, or validation data")
        }
        return validationCount
    }

    /// The first `count - validationCount` samples and the last `validationCount` (Keras's
    /// `validation_split` takes the end of the data, before shuffling).
    public func split(validationCount: Int) -> (train: ModelData, validation: ModelData) {
        let trainIndices = ArraySlice(0..<(count - validationCount))
        let validationIndices = ArraySlice((count - validationCount)..<count)
        func take(_ indices: ArraySlice<Int>) -> ModelData {
            let batch = self.batch(indices)
            // Already checked: the pieces keep one row per sample.
            return (try? ModelData(inputs: batch.inputs, targets: batch.targets, sampleWeight: batch.sampleWeight)) ?? self
        }
        return (take(trainIndices), take(validationIndices))
    }
}

extension Tensor {
    /// The rows (first-axis slices) at `indices`, copied contiguously: the batching copy of `fit`.
    /// Not recorded. Traps on an index out of range.
    public func gatheringRows(_ indices: ArraySlice<Int>) -> Tensor {
        let rows = shape.first ?? 0
        let width = rows == 0 ? 0 : scalarCount / rows
        let values = withUnsafeBufferPointer { source in
            [Float](unsafeUninitializedCapacity: indices.count * width) { out, initialized in
                for (row, index) in indices.enumerated() {
                    guard index >= 0 && index < rows else {
                        trap(.invalidArgument(op: "gatheringRows", message: "row \(index) is outside 0..<\(rows)"))
                    }
                    if width > 0 {
                        (out.baseAddress! + row * width).update(from: source.baseAddress! + index * width, count: width)
                    }
                }
                initialized = indices.count * width
            }
        }
        return Tensor(shape: [indices.count] + shape.dropFirst(), scalars: values)
    }
}
