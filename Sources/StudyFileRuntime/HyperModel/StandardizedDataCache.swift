import Foundation
import Neural

/// The standardized training and validation data of a model study's `normalize` flag, made once per
/// process and shared by every trial whose flag is on.
///
/// Standardizing depends only on the data (a `Normalization` layer adapted on the training inputs), and
/// a search hands every trial the same data, so each trial making its own copy (as Keras Tuner's
/// hypermodel does) cost the adaptation and the 190 MB copy of Fashion-MNIST per trial, and two at
/// once with two trials running. A call with other data than the cached one replaces the entry.
final class StandardizedDataCache: @unchecked Sendable {
    /// The data the entry was made from, and what it became.
    private struct Entry {
        var training: ModelData
        var validation: ModelData?
        var standardizedTraining: ModelData
        var standardizedValidation: ModelData?
    }

    /// Guards `entry`; held while an entry is made, so two trials starting together make it once.
    private let lock = NSLock()
    private var entry: Entry?

    /// The standardized `training` and `validation`: the cached ones when both equal the data they
    /// were made from (element for element: a trial's data is normally the very same tensors),
    /// otherwise `standardize`'s, which replace the cached ones.
    ///
    /// - Throws: what `standardize` throws (nothing is cached then).
    func standardized(
        training: ModelData, validation: ModelData?,
        _ standardize: () throws -> (training: ModelData, validation: ModelData?)
    ) throws -> (training: ModelData, validation: ModelData?) {
        lock.lock()
        defer { lock.unlock() }
        if let entry, Self.same(entry.training, training), Self.same(entry.validation, validation) {
            return (entry.standardizedTraining, entry.standardizedValidation)
        }
        // The old entry goes first, so that it and the new one are never held at once.
        entry = nil
        let made = try standardize()
        entry = Entry(training: training, validation: validation,
                      standardizedTraining: made.training, standardizedValidation: made.validation)
        return made
    }

    private static func same(_ a: ModelData?, _ b: ModelData?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.inputs == b.inputs && a.targets == b.targets && a.sampleWeight == b.sampleWeight
    }
}
