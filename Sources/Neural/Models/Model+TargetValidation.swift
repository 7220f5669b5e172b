/// What `fit` and `evaluate` check before the first step: that the targets fit the model's outputs
/// under the compiled losses and metrics. The loss kernels trap on shapes or labels that do not fit
/// (the core's policy for programmer errors), so data from a user or a file is checked here first and
/// refused with a ``TargetError`` that says what is wrong.
extension Model {
    /// Checks `targets` (one tensor per output, samples first) against the compiled losses and
    /// metrics, for outputs whose per-sample shapes are `outputShapes` (without the samples axis).
    /// Shapes are compared once; the labels of sparse categorical cross-entropy are read once (one
    /// pass, O(samples)). `dataName` (`the training data`) goes into the errors. Does nothing for a
    /// model without a compiled loss.
    ///
    /// - Throws: ``TargetError`` naming the loss or metric, the output and what does not fit;
    ///   ``LayerError/invalidData(message:)`` when the numbers of outputs, targets, losses or loss
    ///   weights disagree.
    public func validateTargets(_ targets: [Tensor], outputShapes: [[Int]], dataName: String? = nil) throws {
        guard isCompiled else { return }
        let outputs = outputShapes.count
        guard targets.count == outputs else {
            throw LayerError.invalidData(message: "model '\(name)' has \(outputs) output(s) but \(targets.count) target(s) were given")
        }
        guard compiledLosses.count == 1 || compiledLosses.count == outputs else {
            throw LayerError.invalidData(message: "model '\(name)' has \(outputs) output(s) but was compiled with \(compiledLosses.count) losses; give one loss, or one per output")
        }
        if let lossWeights, lossWeights.count != outputs {
            throw LayerError.invalidData(message: "model '\(name)' has \(outputs) output(s) but was compiled with \(lossWeights.count) loss weights; give one per output")
        }
        for (index, target) in targets.enumerated() {
            let loss = compiledLosses.count == 1 ? compiledLosses[0] : compiledLosses[index]
            let predictionShape = [target.shape.first ?? 0] + outputShapes[index]
            // A subclassed model may have more outputs than names (one loss shared by all of them).
            let names = outputNames
            let output = index < names.count ? names[index] : "output_\(index)"
            let place = outputs > 1 ? "\(output) of \(dataName ?? "the data")" : dataName
            do throws(TargetError) {
                try loss.validateTargets(target, predictionShape: predictionShape)
                if index < compiledMetrics.count {
                    for metric in compiledMetrics[index] { try metric.validateTargets(target, predictionShape: predictionShape) }
                }
            } catch {
                var located = error
                located.data = place
                throw located
            }
        }
    }

    /// The per-sample shapes of the model's outputs, from one forward pass without training (and
    /// unrecorded) on the first sample of `inputs`. The pass builds an unbuilt model, as its first
    /// step would, and the metrics are reset after it (a layer's `addMetric` must not count it), so
    /// call it only before a loop's first step.
    ///
    /// - Throws: ``LayerError`` when the inputs do not fit the model.
    func outputShapes(forSampleOf inputs: [Tensor]) throws -> [[Int]] {
        let sample = inputs.map { $0.rank >= 1 && $0.shape[0] > 1 ? $0.gatheringRows([0][...]) : $0 }
        let outputs = try withoutRecording { try callOutputs(sample, training: false) }
        resetMetrics()
        return outputs.map { Array($0.shape.dropFirst()) }
    }
}

/// Checks targets once per `fit` or `evaluate` call, remembering the output shapes after its first
/// forward pass so that the validation data and later batches need none.
final class TargetValidator {
    private unowned let model: Model
    private var outputShapes: [[Int]]?

    init(model: Model) { self.model = model }

    /// Checks all of `data` at once (labels read in one pass), naming it `dataName` in errors.
    /// Data without targets (a custom step's business) or samples is left alone.
    func validate(_ data: ModelData, dataName: String) throws {
        guard model.isCompiled, !data.targets.isEmpty, data.count > 0 else { return }
        try model.validateTargets(data.targets, outputShapes: try shapes(for: data.inputs), dataName: dataName)
    }

    /// Checks one batch of a dataset, named `dataName` in errors.
    func validate(_ batch: TrainingBatch, dataName: String) throws {
        guard model.isCompiled, !batch.targets.isEmpty, batch.inputs.first.map({ $0.rank >= 1 && $0.shape[0] > 0 }) == true else { return }
        try model.validateTargets(batch.targets, outputShapes: try shapes(for: batch.inputs), dataName: dataName)
    }

    private func shapes(for inputs: [Tensor]) throws -> [[Int]] {
        if let outputShapes { return outputShapes }
        let shapes = try model.outputShapes(forSampleOf: inputs)
        outputShapes = shapes
        return shapes
    }
}
