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

    /// Housing-like rows as the files hold them: 8 features on California housing's scales (the
    /// columns' means and spreads differ, so standardizing them changes every value) and the target.
    static func housingTable(rowCount: Int, seed: UInt64) -> (features: [[Float]], targets: [Float]) {
        let offsets: [Float] = [3.9, 28.6, 5.4, 1.1, 1425, 3.1, 35.6, -119.6]
        let scales: [Float] = [1.9, 12.6, 2.5, 0.5, 1132, 10.4, 2.1, 2.0]
        let (x, y) = SeedExampleData.housing(count: rowCount, seed: seed)
        let values = x.scalars
        var features: [[Float]] = []
        for row in 0..<rowCount {
            var line: [Float] = []
            for column in 0..<8 {
                let value: Float = values[row * 8 + column]
                line.append(offsets[column] + scales[column] * value)
            }
            features.append(line)
        }
        return (features, y.scalars)
    }

    /// Writes `count` housing-like CSV files of `rows` lines each (a header, 8 features, the target):
    /// the rows of `table` from `firstRow` on (by default all of `housingTable(rowCount: count * rows,
    /// seed: 21)`), file after file.
    static func writeHousingFiles(
        in directory: TemporaryDirectory, count: Int, rows: Int,
        table: (features: [[Float]], targets: [Float])? = nil, firstRow: Int = 0
    ) throws -> [String] {
        let table = table ?? housingTable(rowCount: count * rows, seed: 21)
        let header = "MedInc,HouseAge,AveRooms,AveBedrms,Population,AveOccup,Latitude,Longitude,MedianHouseValue\n"
        return try (0..<count).map { file in
            var text = header
            for row in (firstRow + file * rows)..<(firstRow + (file + 1) * rows) {
                text += (table.features[row] + [table.targets[row]]).map { "\($0)" }.joined(separator: ",") + "\n"
            }
            let path = directory.file(String(format: "my_train_%02d.csv", file))
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    /// The seed's `X_mean` and `X_std` (Scikit-Learn's `StandardScaler`: the population standard
    /// deviation), computed here by hand in Double.
    static func meanAndStandardDeviation(of features: [[Float]]) -> (mean: [Float], std: [Float]) {
        let count = Double(features.count)
        let means = (0..<8).map { column in features.reduce(0.0) { $0 + Double($1[column]) } / count }
        let deviations = (0..<8).map { column in
            (features.reduce(0.0) { $0 + (Double($1[column]) - means[column]) * (Double($1[column]) - means[column]) } / count).squareRoot()
        }
        return (means.map(Float.init), deviations.map(Float.init))
    }

    /// Interleaving with a cycle of five and blocks of one line (the order `DatasetInterleaveTests`
    /// checks against TensorFlow's): files of equal length are read five at a time, one line from each
    /// in turn; when they end, the next five take their places.
    @Test func interleaveLinesOfFiles() throws {
        let directory = try TemporaryDirectory("seed-004")
        let trainFilepaths = try Self.writeHousingFiles(in: directory, count: 10, rows: 6)

        let filepathDataset = Dataset.listFiles(trainFilepaths, seed: 42)
        let nReaders = 5
        let dataset = filepathDataset.interleave(cycleLength: nReaders) { filepath in
            Dataset.textLines(path: filepath).skip(1)
        }
        let lines = try dataset.elements()

        // `list_files` shuffled the paths; seeded, a new dataset's first pass has the same order (later
        // passes reshuffle, as TensorFlow's do), so a second one shows the order the interleave read.
        let fileOrder = try Dataset.listFiles(trainFilepaths, seed: 42).elements()
        #expect(fileOrder != trainFilepaths.sorted() && fileOrder.sorted() == trainFilepaths.sorted())
        let linesOfFile = try Dictionary(uniqueKeysWithValues: trainFilepaths.map { path in
            (path, try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map(String.init))
        })
        var expected: [String] = []
        for group in stride(from: 0, to: fileOrder.count, by: nReaders) {
            let readers = fileOrder[group..<min(group + nReaders, fileOrder.count)]
            for line in 0..<6 {
                for path in readers { expected.append(linesOfFile[path]?[line] ?? "missing") }
            }
        }
        #expect(lines == expected)
        #expect(lines.count == 60 && lines.allSatisfy { $0.split(separator: ",").count == 9 })
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
        let table = Self.housingTable(rowCount: 100, seed: 21)
        let scaler = Self.meanAndStandardDeviation(of: table.features)
        let (mean, std) = (Tensor(scaler.mean), Tensor(scaler.std))
        let trainSet = Self.csvReaderDataset([directory.file("my_train_*.csv")], mean: mean, std: std, batchSize: 3)
        let (batches, secondPass) = try GlobalRandom.withSeed(7) { (try trainSet.elements(), try trainSet.elements()) }
        #expect(batches.map(\.0.shape) == Array(repeating: [3, 8], count: 33) + [[1, 8]])
        #expect(batches.map(\.1.shape) == Array(repeating: [3, 1], count: 33) + [[1, 1]])

        // Each line comes out once, its features standardized: (x - mean) / std, by hand here.
        let rowOfTarget = Dictionary(table.targets.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(rowOfTarget.count == 100)  // the targets tell the rows apart
        let rows = batches.flatMap { batch -> [(features: ArraySlice<Float>, target: Float)] in
            let (features, targets) = (batch.0.scalars, batch.1.scalars)
            return targets.indices.map { (features[($0 * 8)..<($0 * 8 + 8)], targets[$0]) }
        }
        let rowNumbers = rows.compactMap { rowOfTarget[$0.target] }
        #expect(rowNumbers.sorted() == Array(0..<100))
        var largestError: Float = 0
        for ((scaled, _), row) in zip(rows, rowNumbers) {
            for (column, value) in scaled.enumerated() {
                let byHand = (table.features[row][column] - scaler.mean[column]) / scaler.std[column]
                largestError = max(largestError, Swift.abs(value - byHand))
            }
        }
        #expect(largestError < 1e-4)
        // Standardized over the whole file set: each column has mean 0 and standard deviation 1.
        let scaledColumns = (0..<8).map { column in rows.map { Double($0.features[$0.features.startIndex + column]) } }
        for values in scaledColumns {
            let columnMean = values.reduce(0, +) / 100
            let columnDeviation = (values.map { ($0 - columnMean) * ($0 - columnMean) }.reduce(0, +) / 100).squareRoot()
            #expect(Swift.abs(columnMean) < 1e-4 && Swift.abs(columnDeviation - 1) < 1e-4)
        }

        // Shuffled: without the shuffle, the interleave of the four files (all read at once) would give
        // line i / 4 of a file at position i; the buffer of 10,000 lines mixes all 100.
        let inFileOrder = rowNumbers.enumerated().filter { position, row in row % 25 == position / 4 }.count
        #expect(inFileOrder < 20, "\(inFileOrder) of 100 lines at their unshuffled place")
        // ...and each pass reshuffles (TensorFlow's `reshuffle_each_iteration`).
        let secondOrder = secondPass.flatMap(\.1.scalars)
        #expect(secondOrder != rows.map(\.target) && secondOrder.sorted() == table.targets.sorted())
    }

    // MARK: - Training with the dataset

    @Test func customTrainingLoopOnTheDataset() throws {
        let directory = try TemporaryDirectory("seed-004")
        let trainFilepaths = try Self.writeHousingFiles(in: directory, count: 4, rows: 50)
        let scaler = Self.meanAndStandardDeviation(of: Self.housingTable(rowCount: 200, seed: 21).features)
        let (mean, std) = (Tensor(scaler.mean), Tensor(scaler.std))
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
        // 240 rows of one table: the first 200 in four training files, the last 40 in a validation file.
        let table = Self.housingTable(rowCount: 240, seed: 21)
        let directory = try TemporaryDirectory("seed-004")
        let trainFilepaths = try Self.writeHousingFiles(in: directory, count: 4, rows: 50, table: table)
        let validDirectory = try TemporaryDirectory("seed-004-valid")
        let validFilepaths = try Self.writeHousingFiles(in: validDirectory, count: 1, rows: 40, table: table, firstRow: 200)
        // The seed scales every set with the training set's statistics.
        let scaler = Self.meanAndStandardDeviation(of: Array(table.features[..<200]))
        let (mean, std) = (Tensor(scaler.mean), Tensor(scaler.std))
        let validRows = table.features[200...].flatMap { row in (0..<8).map { (row[$0] - scaler.mean[$0]) / scaler.std[$0] } }
        let xValid = Tensor(shape: [40, 8], scalars: validRows)
        let yValid = Tensor(shape: [40, 1], scalars: Array(table.targets[200...]))
        try GlobalRandom.withSeed(42) {
            let trainSet = Self.csvReaderDataset(trainFilepaths, mean: mean, std: std, repeat: nil)
            let validSet = Self.csvReaderDataset(validFilepaths, mean: mean, std: std)
            let model = Sequential([Dense(units: 30, activation: .relu), Dense(units: 1)])
            try model.compile(optimizer: try SGD(learningRate: 0.01), loss: Losses.MeanSquaredError())
            let history = try model.fit(trainSet, epochs: 10, stepsPerEpoch: 200 / 32, validationData: validSet, verbosity: .silent)
            let losses = try #require(history.values["loss"])
            #expect(losses.count == 10 && losses[9] < losses[0])
            #expect(history.values["val_loss"]?.count == 10)

            // The trained model on the validation rows, scaled by hand: the evaluated loss is their
            // mean squared error, and it beats predicting the mean target (the targets' variance).
            let byHand = try model(xValid)
            let mseByHand = (byHand - yValid).squared().mean().scalar
            let mse = try #require(try model.evaluate(validSet, verbosity: .silent)["loss"])
            #expect(Swift.abs(mse - mseByHand) <= 1e-4 * mseByHand)
            let targetVariance = (yValid - yValid.mean()).squared().mean().scalar
            #expect(mse < 0.5 * targetVariance, "MSE \(mse), target variance \(targetVariance)")
            #expect(Swift.abs(try #require(history.values["val_loss"]?.last) - mse) <= 1e-4 * mse)

            // `predict` gives the same 40 values, in the shuffled order the dataset read the lines.
            let predictions = try model.predict(validSet)
            #expect(predictions.shape == [40, 1])
            for (predicted, expected) in zip(predictions.scalars.sorted(), byHand.scalars.sorted()) {
                #expect(Swift.abs(predicted - expected) < 1e-4)
            }
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
