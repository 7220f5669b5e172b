import Foundation
import Neural
import ReferenceWorkloads

/// The Data API's costs on Fashion-MNIST's 55,000 training images: iterating a batched pipeline
/// (plain, shuffled, prefetched) beside `fit`'s own batching, record files, CRC-32C, and one epoch of
/// `fit` on a dataset beside `fit` on tensors (``FitEpochBenchmark``'s model, one BLAS thread).
func runDataBenchmarks(train: ClassificationData, report: (String, Double, String) -> Void) throws {
    let labels = Tensor(shape: [train.count, 1], scalars: train.labels.map(Float.init))
    let x = train.features
    func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
    func median(_ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<3 { times.append(seconds(try ContinuousClock().measure(body))) }
        return times.sorted()[1]
    }

    let batches = Dataset.fromTensorSlices((x, labels)).batch(32)
    report("data_batch32_epoch", try median { try batches.forEach { _ in } }, "s")
    let shuffled = Dataset.fromTensorSlices((x, labels)).shuffle(bufferSize: train.count, seed: 1).batch(32)
    report("data_shuffle_full_batch32_epoch", try median { try shuffled.forEach { _ in } }, "s")
    report("data_shuffle_full_batch32_prefetch2_epoch", try median { try shuffled.prefetch(2).forEach { _ in } }, "s")
    // What fit(x, y) does for the same batches: a shuffled index order and a gather per batch.
    let data = try ModelData(inputs: [x], targets: [labels])
    report("data_modeldata_gather32_epoch", median {
        var order = Array(0..<data.count)
        var generator = SeededGenerator(seed: 1)
        generator.shuffle(&order)
        for start in stride(from: 0, to: data.count, by: 32) { _ = data.batch(order[start..<min(start + 32, data.count)]) }
    }, "s")

    // Records of 784 grey-level bytes, as a TFRecord file of raw images would hold them.
    let images = (0..<train.count).map { row in x.scalars[(row * 784)..<((row + 1) * 784)].map { UInt8($0 * 255) } }
    let megabytes = Double(train.count * (784 + 16)) / 1e6
    let path = NSTemporaryDirectory() + "/tuner-bench-\(getpid()).tfrecord"
    defer { unlink(path) }
    for compression in [RecordCompression.none, .gzip] {
        let suffix = compression == .gzip ? "_gzip" : ""
        let write = try median {
            let writer = try RecordWriter(path: path, compression: compression)
            for image in images { try writer.write(image) }
            try writer.close()
        }
        report("data_records_write\(suffix)", megabytes / write, "MB/s")
        let read = try median { try Dataset.records(paths: [path]).forEach { _ in } }
        report("data_records_read\(suffix)", megabytes / read, "MB/s")
    }
    let block = [UInt8](repeating: 0x5A, count: 1 << 24)
    report("data_crc32c", Double(block.count) / 1e9 / median { _ = CRC32C.checksum(block) }, "GB/s")

    BLAS.setThreadCount(1)
    for (name, useDataset) in [("data_fit_epoch_tensors_1thread", false), ("data_fit_epoch_dataset_1thread", true)] {
        GlobalRandom.seed(1)
        let model = Sequential([
            Input(shape: [784]),
            Dense(units: 300, activation: .relu),
            Dense(units: 100, activation: .relu),
            Dense(units: 10, activation: .softmax()),
        ])
        try model.compile(optimizer: try SGD(learningRate: 0.01), loss: Losses.SparseCategoricalCrossentropy(), metrics: ["accuracy"])
        let dataset = Dataset.fromTensorSlices((x, labels)).shuffle(bufferSize: train.count).batch(32).prefetch(2)
        let time = try median {
            if useDataset {
                _ = try model.fit(dataset, epochs: 1, verbosity: .silent)
            } else {
                _ = try model.fit(x, labels, batchSize: 32, epochs: 1, verbosity: .silent)
            }
        }
        report(name, time, "s")
    }
}
