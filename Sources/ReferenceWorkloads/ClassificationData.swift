import Neural

/// Features `[count, featureCount]` with one class index per row, and the batching a training loop needs.
public struct ClassificationData: Sendable {
    /// One row per example.
    public let features: Tensor
    /// One class index per example.
    public let labels: [Int]

    /// Pairs features and labels; traps when their counts differ (callers build both from one file).
    public init(features: Tensor, labels: [Int]) {
        precondition(features.rank == 2 && features.shape[0] == labels.count,
                     "ClassificationData: \(features.shape) features for \(labels.count) labels")
        self.features = features
        self.labels = labels
    }

    /// The number of examples.
    public var count: Int { labels.count }

    /// The rows at `indices`, copied into one contiguous batch.
    public func batch(_ indices: ArraySlice<Int>) -> (features: Tensor, labels: [Int]) {
        let width = features.shape[1]
        let values = features.withUnsafeBufferPointer { source in
            [Float](unsafeUninitializedCapacity: indices.count * width) { out, initialized in
                for (row, index) in indices.enumerated() {
                    (out.baseAddress! + row * width).update(from: source.baseAddress! + index * width, count: width)
                }
                initialized = indices.count * width
            }
        }
        return (Tensor(shape: [indices.count, width], scalars: values), indices.map { labels[$0] })
    }

    /// Seed 002's split of Fashion-MNIST: the first 55,000 training images to train on, the last
    /// 5,000 to validate, pixels scaled to 0...1 and flattened to 784 features.
    ///
    /// - Throws: ``DataLoadingError`` when the data set's files are missing or malformed.
    public static func fashionMNIST(
        validationCount: Int = 5000, directory: String = FashionMNIST.defaultDirectory
    ) throws(DataLoadingError) -> (train: ClassificationData, validation: ClassificationData) {
        let full = try FashionMNIST(split: .train, directory: directory)
        let count = full.labels.count, width = 28 * 28
        let trainCount = count - validationCount
        let scaled = full.images.scalars.map { $0 / 255 }
        let train = ClassificationData(
            features: Tensor(shape: [trainCount, width], scalars: Array(scaled[0..<(trainCount * width)])),
            labels: Array(full.labels[0..<trainCount]))
        let validation = ClassificationData(
            features: Tensor(shape: [validationCount, width], scalars: Array(scaled[(trainCount * width)...])),
            labels: Array(full.labels[trainCount...]))
        return (train, validation)
    }
}
