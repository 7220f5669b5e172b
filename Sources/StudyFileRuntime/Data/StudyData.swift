import Neural
import StudyFiles

/// Why a study's data could not be loaded: the key of the `data` section and what is wrong (a
/// missing file names its path).
public struct StudyDataError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The study file.
    public var file: String
    /// The key at fault (`data.path`, `data.directory`, `data.inputs.wide`).
    public var keyPath: String
    /// What is wrong.
    public var message: String

    /// `Studies/x.yaml: data.path: the file "Studies/data/housing.csv" does not exist`.
    public var description: String { "\(file): \(keyPath): \(message)" }
}

/// The training and validation data of a model study, loaded and scaled as its `data` section says.
public struct StudyData {
    /// The training samples.
    public var training: ModelData
    /// The validation samples, if the section asks for them.
    public var validation: ModelData?
    /// The feature names (CSV columns), empty for images.
    public var featureNames: [String]

    /// Loads the data of `study`.
    ///
    /// - Throws: `StudyDataError` naming the key and the path of a missing or malformed file, a
    ///   missing column, or a validation split larger than the data; `StudyFileError` for a command study.
    public static func load(for study: StudyFile) throws -> StudyData {
        guard let settings = study.modelStudy?.data else {
            throw StudyFileError(StudyFileIssue(file: study.path, line: 0, column: 0, keyPath: "data", message: "a command study has no data"))
        }
        return try load(settings, file: study.path)
    }

    /// Loads data as `settings` say; `file` names the study in errors.
    ///
    /// - Throws: `StudyDataError` as `load(for:)`.
    public static func load(_ settings: DataSettings, file: String) throws(StudyDataError) -> StudyData {
        func fail(_ key: String, _ message: String) -> StudyDataError {
            StudyDataError(file: file, keyPath: key, message: message)
        }
        var features: [Tensor]
        var labels: Tensor
        var names: [String] = []
        var validationSet: (features: [Tensor], labels: Tensor)?
        switch settings.source {
        case .fashionMNIST(let directory):
            do {
                let train = try FashionMNIST(split: .train, directory: directory)
                features = [train.images]
                labels = Tensor(train.labels.map(Float.init))
                if settings.validation == .testSplit {
                    let test = try FashionMNIST(split: .test, directory: directory)
                    validationSet = ([test.images], Tensor(test.labels.map(Float.init)))
                }
            } catch {
                throw fail("data.directory", "\(error)")
            }
        case .idx(let imagesPath, let labelsPath):
            (features, labels) = try loadIDX(images: imagesPath, labels: labelsPath, keys: ("data.images", "data.labels"), fail: fail)
            if case .idxFiles(let validationImages, let validationLabels) = settings.validation {
                let (x, y) = try loadIDX(images: validationImages, labels: validationLabels, keys: ("data.validation.images", "data.validation.labels"), fail: fail)
                validationSet = (x, y)
            }
        case .csv(let path, let label):
            let table: (features: [Tensor], labels: Tensor, names: [String])
            table = try loadCSV(path: path, label: label, inputColumns: settings.inputColumns, key: "data.path", fail: fail)
            (features, labels, names) = table
            if case .csvFile(let validationPath) = settings.validation {
                let validation = try loadCSV(path: validationPath, label: label, inputColumns: settings.inputColumns, key: "data.validation.path", fail: fail)
                validationSet = (validation.features, validation.labels)
            }
        }

        if let limit = settings.limit, limit < labels.shape[0] {
            let indices = ArraySlice(0..<limit)
            features = features.map { $0.gatheringRows(indices) }
            labels = labels.gatheringRows(indices)
        }
        let count = labels.shape[0]
        var splitCount = 0
        switch settings.validation {
        case .count(let n): splitCount = n
        case .fraction(let f): splitCount = Int((Double(count) * f).rounded())
        default: break
        }
        if case .fraction(let fraction) = settings.validation, splitCount == 0 {
            // A fraction of a tiny data set rounds to nothing: every trial would then fail on val_*.
            throw fail("data.validation", "\(fraction) of \(count) sample\(count == 1 ? "" : "s") is no validation sample; give more data, a larger fraction, or a count of validation samples")
        }
        if splitCount > 0 {
            guard splitCount < count else {
                throw fail("data.validation", "asks for \(splitCount) validation samples but the training data has only \(count)")
            }
            let trainIndices = ArraySlice(0..<(count - splitCount))
            let validationIndices = ArraySlice((count - splitCount)..<count)
            validationSet = (features.map { $0.gatheringRows(validationIndices) }, labels.gatheringRows(validationIndices))
            features = features.map { $0.gatheringRows(trainIndices) }
            labels = labels.gatheringRows(trainIndices)
        }

        if let scaling = settings.scaling {
            switch scaling {
            case .divide(let divisor):
                let factor = Float(1 / divisor)
                features = features.map { Tensor(shape: $0.shape, scalars: $0.scalars.map { $0 * factor }) }
                if let set = validationSet {
                    validationSet = (set.features.map { Tensor(shape: $0.shape, scalars: $0.scalars.map { $0 * factor }) }, set.labels)
                }
            case .standardize:
                var scaledTraining: [Tensor] = []
                var scaledValidation: [Tensor] = []
                for (index, tensor) in features.enumerated() {
                    let (mean, deviation) = columnStatistics(tensor)
                    scaledTraining.append(standardized(tensor, mean: mean, deviation: deviation))
                    if let set = validationSet { scaledValidation.append(standardized(set.features[index], mean: mean, deviation: deviation)) }
                }
                features = scaledTraining
                if let set = validationSet { validationSet = (scaledValidation, set.labels) }
            }
        }

        guard count - splitCount > 0 else {
            throw fail(settings.limit == 0 ? "data.limit" : "data", "there are no training samples")
        }
        if let set = validationSet, set.labels.shape.first == 0 {
            throw fail("data.validation", "the validation data has no samples")
        }
        do {
            let copies = max(settings.outputCount, 1)
            let training = try ModelData(inputs: features, targets: Array(repeating: labels, count: copies))
            let validation = try validationSet.map {
                try ModelData(inputs: $0.features, targets: Array(repeating: $0.labels, count: copies))
            }
            return StudyData(training: training, validation: validation, featureNames: names)
        } catch {
            throw fail("data", "\(error)")
        }
    }

    private static func loadIDX(
        images: String, labels: String, keys: (String, String), fail: (String, String) -> StudyDataError
    ) throws(StudyDataError) -> ([Tensor], Tensor) {
        let imageFile: IDXFile, labelFile: IDXFile
        do { imageFile = try IDXFile(path: images) } catch { throw fail(keys.0, "\(error)") }
        do { labelFile = try IDXFile(path: labels) } catch { throw fail(keys.1, "\(error)") }
        guard labelFile.shape.count == 1, labelFile.shape[0] == imageFile.shape[0] else {
            throw fail(keys.1, "\(labels) holds labels of shape \(labelFile.shape) for \(imageFile.shape[0]) images in \(images)")
        }
        let x = Tensor(shape: imageFile.shape, scalars: imageFile.bytes.map { Float($0) })
        return ([x], Tensor(labelFile.bytes.map { Float($0) }))
    }

    private static func loadCSV(
        path: String, label: String, inputColumns: [(name: String, columns: [String])], key: String,
        fail: (String, String) -> StudyDataError
    ) throws(StudyDataError) -> (features: [Tensor], labels: Tensor, names: [String]) {
        let loaded: (features: Tensor, labels: Tensor, featureNames: [String])
        do {
            loaded = try CSVTable.load(path: path, labelColumn: label)
        } catch {
            if case .missingColumn = error { throw fail("data.label", "\(error)") }
            throw fail(key, "\(error)")
        }
        guard !inputColumns.isEmpty else { return ([loaded.features], loaded.labels, loaded.featureNames) }
        let rows = loaded.features.shape[0], width = loaded.features.shape[1]
        let values = loaded.features.scalars
        var inputs: [Tensor] = []
        for input in inputColumns {
            var indices: [Int] = []
            for column in input.columns {
                guard let index = loaded.featureNames.firstIndex(of: column) else {
                    throw fail("data.inputs.\(input.name)", "\(path) has no feature column \"\(column)\"; it has \(loaded.featureNames.joined(separator: ", "))")
                }
                indices.append(index)
            }
            var scalars: [Float] = []
            scalars.reserveCapacity(rows * indices.count)
            for row in 0..<rows { for index in indices { scalars.append(values[row * width + index]) } }
            inputs.append(Tensor(shape: [rows, indices.count], scalars: scalars))
        }
        return (inputs, loaded.labels, loaded.featureNames)
    }

    /// Per-feature (last axis) mean and standard deviation.
    private static func columnStatistics(_ tensor: Tensor) -> (mean: [Float], deviation: [Float]) {
        let width = tensor.shape.last ?? 1
        let values = tensor.scalars
        let rows = max(values.count / max(width, 1), 1)
        var mean = [Double](repeating: 0, count: width)
        var square = [Double](repeating: 0, count: width)
        for (index, value) in values.enumerated() {
            mean[index % width] += Double(value)
            square[index % width] += Double(value) * Double(value)
        }
        var deviation = [Float](repeating: 1, count: width)
        for column in 0..<width {
            mean[column] /= Double(rows)
            let variance = max(square[column] / Double(rows) - mean[column] * mean[column], 0)
            deviation[column] = variance > 1e-12 ? Float(variance.squareRoot()) : 1
        }
        return (mean.map(Float.init), deviation)
    }

    private static func standardized(_ tensor: Tensor, mean: [Float], deviation: [Float]) -> Tensor {
        let width = mean.count
        let scalars = tensor.scalars.enumerated().map { index, value in (value - mean[index % width]) / deviation[index % width] }
        return Tensor(shape: tensor.shape, scalars: scalars)
    }
}
