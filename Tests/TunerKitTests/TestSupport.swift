import Foundation
import Neural
import StudyStore
import TestSupport
import TunerKit
import Tuning

/// Three Gaussian blobs in 4 dimensions: a problem a small MLP learns in a few epochs.
struct BlobData {
    let x: Tensor
    let y: Tensor
    let xValid: Tensor
    let yValid: Tensor

    init(samples: Int = 240, validation: Int = 90, seed: UInt64 = 7) {
        func make(_ count: Int) -> (Tensor, Tensor) {
            let noise = Tensor(randomNormal: [count, 4], standardDeviation: 0.9)
            var labels: [Float] = []
            var centers: [Float] = []
            for index in 0..<count {
                let label = index % 3
                labels.append(Float(label))
                centers.append(contentsOf: [[1.5, 0, -1, 0.5], [-1.5, 1, 0, -0.5], [0, -1.5, 1.5, 0]][label])
            }
            return (noise + Tensor(shape: [count, 4], scalars: centers), Tensor(shape: [count], scalars: labels))
        }
        (x, y, xValid, yValid) = GlobalRandom.withSeed(seed) {
            let train = make(samples)
            let valid = make(validation)
            return (train.0, train.1, valid.0, valid.1)
        }
    }
}

/// The book's `build_model(hp)` on a small scale: hidden layers, units, learning rate, optimizer.
@Sendable func buildBlobModel(_ hp: HyperParameters) throws -> Model {
    try buildBlobModel(hp, maxNeurons: 32)
}

/// `buildBlobModel` with another range for `n_neurons` (an incompatible search space).
func buildBlobModel(_ hp: HyperParameters, maxNeurons: Int) throws -> Model {
    let nHidden = try hp.int("n_hidden", min: 0, max: 3, default: 1)
    let nNeurons = try hp.int("n_neurons", min: 4, max: maxNeurons, default: 8)
    let learningRate = try hp.float("learning_rate", min: 1e-3, max: 1e-1, sampling: .log, default: 0.01)
    let optimizerName = try hp.choice("optimizer", values: ["sgd", "adam"], default: "adam")
    let model = Sequential()
    var width = 4
    for _ in 0..<nHidden {
        model.add(Dense(inputSize: width, outputSize: nNeurons, activation: .relu))
        width = nNeurons
    }
    model.add(Dense(inputSize: width, outputSize: 3, activation: .softmax()))
    let optimizer: Optimizer = optimizerName == "sgd" ? try SGD(learningRate: .constant(Float(learningRate))) : try Adam(learningRate: .constant(Float(learningRate)))
    try model.compile(optimizer: optimizer, loss: Losses.SparseCategoricalCrossentropy(), metrics: ["accuracy"])
    return model
}


/// Two `StudyRunner`s of `definition` in this process, one trial at a time each (so two workers): the
/// first starts the study on a thread, the second joins once the study exists. Returns whether the
/// second joined and the errors either threw.
func runTwoWorkers(_ definition: StudyDefinition, storage path: String, objective: @escaping TrialObjective) -> (joined: Bool, errors: [String]) {
    let errors = Locked<[String]>([])
    let finished = DispatchSemaphore(value: 0)
    Thread {
        do {
            try StudyRunner(definition: definition, storage: path, options: SearchOptions(parallelTrials: 1, verbosity: .silent))
                .optimize(objective)
        } catch { errors.withLock { $0.append("first: \(error)") } }
        finished.signal()
    }.start()
    var joined = false
    for _ in 0..<500 where !joined {
        if (try? openStudyStorage(path).study(named: definition.name)) != nil {
            do {
                try StudyRunner(definition: definition, storage: path, options: SearchOptions(parallelTrials: 1, verbosity: .silent))
                    .join(objective)
            } catch { errors.withLock { $0.append("second: \(error)") } }
            joined = true
        } else {
            usleep(10_000)
        }
    }
    finished.wait()
    return (joined, errors.withLock { $0 })
}
