import Foundation
import Neural
import Testing
import TestSupport

/// Swift twins of seed 004's Data API examples (the course slides, after Géron's chapter 13): a
/// dataset from a tensor, chained transformations, shuffling, interleaving CSV files, map / unbatch /
/// filter, the CSV reader with `decode_csv` and `prefetch`, training on it (custom loop and `fit`),
/// and TFRecord files. docs/data-api.md shows the same code.
///
/// The California housing CSV files are stood in for by small files of the same form written here
/// (eight features and the median house value per line, a header line).
@Suite struct DataAPISeedTests {
    // MARK: - A dataset from a tensor

    @Test func fromTensorSlices() throws {
        let X = Tensor(rangeFrom: 0, to: 10)                    // X = tf.range(10)
        let dataset = Dataset.fromTensorSlices(X)
        var items: [Tensor] = []
        for item in dataset {
            items.append(item)                                   // Tensor(0.0), Tensor(1.0), ..., Tensor(9.0)
        }
        #expect(items.map(\.scalar) == (0..<10).map(Float.init))
        #expect(items.allSatisfy { $0.shape == [] })
    }

    // MARK: - Chaining transformations

    @Test func repeatAndBatch() throws {
        let dataset = Dataset.fromTensorSlices(Tensor(rangeFrom: 0, to: 10)).repeat(3).batch(7)
        let batches = try dataset.elements().map { $0.scalars.map { Int($0) } }
        #expect(batches == [
            [0, 1, 2, 3, 4, 5, 6],
            [7, 8, 9, 0, 1, 2, 3],
            [4, 5, 6, 7, 8, 9, 0],
            [1, 2, 3, 4, 5, 6, 7],
            [8, 9],
        ])
    }

    @Test func mapUnbatchFilter() throws {
        var dataset = Dataset.fromTensorSlices(Tensor(rangeFrom: 0, to: 10)).repeat(3).batch(7)
        dataset = dataset.map { $0 * 2 }            // [0, 2, ..., 12], [14, 16, 18, 0, 2, 4, 6], ...
        let items = dataset.unbatch()               // 0, 2, 4, ...
            .filter { $0.scalar < 10 }              // 0, 2, 4, 6, 8, 0, 2, 4, 6, 8, 0, 2, 4, 6, 8
        #expect(try items.elements().map { Int($0.scalar) } == [0, 2, 4, 6, 8, 0, 2, 4, 6, 8, 0, 2, 4, 6, 8])
    }

    // MARK: - Shuffling

    @Test func shuffleWithABuffer() throws {
        let dataset = Dataset.range(10).repeat(3)                // 0 to 9, three times
            .shuffle(bufferSize: 5, seed: 42)
            .batch(7)
        let batches = try dataset.elements().map { $0.scalars.map { Int($0) } }
        // Our generator is not TensorFlow's, so the order differs from the slide's; like it, each
        // value comes out at most four places early (the buffer holds five).
        #expect(batches == DataAPISeedTests.shuffledBatches)
        #expect(batches.flatMap { $0 }.sorted() == (0..<10).flatMap { [$0, $0, $0] })
    }

    static let shuffledBatches: [[Int]] = [[0, 1, 3, 4, 8, 7, 0], [9, 1, 2, 3, 6, 2, 6], [5, 7, 9, 0, 1, 3, 5], [5, 4, 4, 8, 7, 9, 2], [8, 6]]

    // MARK: - Interleaving lines from several files

    /// Writes `count` housing-like CSV files of `rows` lines each (a header, 8 features, the target).
    static func writeHousingFiles(in directory: TemporaryDirectory, count: Int, rows: Int) throws -> [String] {
        let (x, y) = SeedExampleData.housing(count: count * rows, seed: 21)
        let header = "MedInc,HouseAge,AveRooms,AveBedrms,Population,AveOccup,Latitude,Longitude,MedianHouseValue\n"
        return try (0..<count).map { file in
            var text = header
            for row in (file * rows)..<((file + 1) * rows) {
                let features = x.scalars[(row * 8)..<((row + 1) * 8)].map { "\($0)" }
                text += (features + ["\(y.scalars[row])"]).joined(separator: ",") + "\n"
            }
            let path = directory.file(String(format: "my_train_%02d.csv", file))
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    @Test func interleaveLinesOfFiles() throws {
        let directory = try TemporaryDirectory("seed-004")
        let trainFilepaths = try Self.writeHousingFiles(in: directory, count: 10, rows: 6)

        let filepathDataset = Dataset.listFiles(trainFilepaths, seed: 42)
        let nReaders = 5
        let dataset = filepathDataset.interleave(cycleLength: nReaders) { filepath in
            Dataset.textLines(path: filepath).skip(1)
        }
        let lines = try dataset.elements()
        #expect(lines.count == 60)
        // Five files are read in turn: the first five lines come from five different files.
        let firstLines = Set(lines.prefix(5))
        #expect(firstLines.count == 5)
        #expect(lines.allSatisfy { $0.split(separator: ",").count == 9 })
    }

    // MARK: - The CSV reader: decode_csv, shuffle, map, batch, prefetch

    /// The seed's `preprocess`: decode a line into 8 scaled features and the target.
    static func preprocess(_ line: String, mean: Tensor, std: Tensor) throws -> (Tensor, Tensor) {
        let nInputs = 8
        let defs: [Float?] = Array(repeating: 0, count: nInputs) + [nil]      // the target is required
        let fields = try decodeCSV(line, defaults: defs)
        let x = Tensor(Array(fields.prefix(nInputs)))
        let y = Tensor(Array(fields.suffix(1)))
        return ((x - mean) / std, y)
    }

    /// The seed's `csv_reader_dataset`.
    static func csvReaderDataset(
        _ filepaths: [String], mean: Tensor, std: Tensor, repeat repetitions: Int? = 1, nReaders: Int = 5,
        shuffleBufferSize: Int = 10_000, batchSize: Int = 32
    ) -> Dataset<(Tensor, Tensor)> {
        Dataset.listFiles(filepaths).repeat(repetitions)
            .interleave(cycleLength: nReaders) { filepath in Dataset.textLines(path: filepath).skip(1) }
            .shuffle(bufferSize: shuffleBufferSize)
            .map { line in try preprocess(line, mean: mean, std: std) }
            .batch(batchSize)
            .prefetch(1)
    }

    @Test func csvReaderDataset() throws {
        let directory = try TemporaryDirectory("seed-004")
        _ = try Self.writeHousingFiles(in: directory, count: 4, rows: 25)
        let (mean, std) = (Tensor(zeros: [8]), Tensor(ones: [8]))
        let trainSet = Self.csvReaderDataset([directory.file("my_train_*.csv")], mean: mean, std: std, batchSize: 3)
        let (xBatch, yBatch) = try #require(try trainSet.take(1).elements().first)
        #expect(xBatch.shape == [3, 8])
        #expect(yBatch.shape == [3, 1])
        let all = try trainSet.elements()
        #expect(all.reduce(0) { $0 + $1.0.shape[0] } == 100)
    }

    // MARK: - Training with the dataset

    @Test func customTrainingLoopOnTheDataset() throws {
        let directory = try TemporaryDirectory("seed-004")
        let trainFilepaths = try Self.writeHousingFiles(in: directory, count: 4, rows: 50)
        let (mean, std) = (Tensor(zeros: [8]), Tensor(ones: [8]))
        try GlobalRandom.withSeed(42) {
            let model = Sequential([Dense(units: 30, activation: .relu), Dense(units: 1)])
            let optimizer = try SGD(learningRate: 0.01)
            let lossFn = Losses.MeanSquaredError()
            let nEpochs = 5

            let trainSet = Self.csvReaderDataset(trainFilepaths, mean: mean, std: std, repeat: nEpochs)
            var losses: [Float] = []
            for (xBatch, yBatch) in trainSet {
                let tape = GradientTape()
                let loss = try tape.record {
                    let yPred = try model(xBatch, training: true)
                    let mainLoss = lossFn(yTrue: yBatch, yPred: yPred)
                    return model.losses.reduce(mainLoss) { $0 + $1.sum() }
                }
                let grads = try tape.gradient(of: loss, wrt: model.trainableWeights)
                try optimizer.apply(gradients: grads, to: model.trainableWeights)
                losses.append(loss.scalar)
            }
            #expect(losses.count == 32)                          // 5 × 200 lines in batches of 32
            #expect(losses.suffix(7).reduce(0, +) < losses.prefix(7).reduce(0, +))
        }
    }

    @Test func fitOnTheDataset() throws {
        let directory = try TemporaryDirectory("seed-004")
        let trainFilepaths = try Self.writeHousingFiles(in: directory, count: 4, rows: 50)
        let validDirectory = try TemporaryDirectory("seed-004-valid")
        let validFilepaths = try Self.writeHousingFiles(in: validDirectory, count: 1, rows: 40)
        let (mean, std) = (Tensor(zeros: [8]), Tensor(ones: [8]))
        try GlobalRandom.withSeed(42) {
            let trainSet = Self.csvReaderDataset(trainFilepaths, mean: mean, std: std, repeat: nil)
            let validSet = Self.csvReaderDataset(validFilepaths, mean: mean, std: std)
            let model = Sequential([Dense(units: 30, activation: .relu), Dense(units: 1)])
            try model.compile(optimizer: try SGD(learningRate: 0.01), loss: Losses.MeanSquaredError())
            let history = try model.fit(trainSet, epochs: 10, stepsPerEpoch: 200 / 32, validationData: validSet, verbosity: .silent)
            let losses = try #require(history.values["loss"])
            #expect(losses.count == 10 && losses[9] < losses[0])
            #expect(history.values["val_loss"]?.count == 10)
            let mse = try model.evaluate(validSet, verbosity: .silent)
            #expect(mse["loss"] != nil)
            let predictions = try model.predict(validSet)
            #expect(predictions.shape == [40, 1])
        }
    }

    // MARK: - TFRecord files

    @Test func tfrecordWriteAndRead() throws {
        let directory = try TemporaryDirectory("seed-004")
        let path = directory.file("my_data.tfrecord")

        let f = try RecordWriter(path: path)
        try f.write("This is the first record")
        try f.write("And this is the second record")
        try f.close()

        let filepaths = [path]
        let dataset = Dataset<[UInt8]>.records(paths: filepaths)
        var items: [String] = []
        try dataset.forEach { item in
            items.append(String(decoding: item, as: UTF8.self))
        }
        #expect(items == ["This is the first record", "And this is the second record"])
    }
}
