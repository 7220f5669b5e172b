/// Fashion-MNIST from Debian's `dataset-fashion-mnist` package (no download at run time).
///
/// 60,000 training and 10,000 test images of 28×28 grey levels in ten classes. As with Keras's
/// `fashion_mnist.load_data()`, pixels come as 0...255; divide by 255 to scale them (the seed does).
public struct FashionMNIST: Sendable {
    /// Where Debian's package installs the files.
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"

    /// The class names in label order (the seed's `class_names`).
    public static let classNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]

    /// Images `[count, 28, 28]` with pixel values 0...255.
    public let images: Tensor
    /// One class index in `0..<10` per image.
    public let labels: [Int]

    /// Which half of the data set to read.
    public enum Split: String, Sendable {
        /// 60,000 images.
        case train
        /// 10,000 images (`t10k` in the file names).
        case test
    }

    /// Loads one split from `directory`.
    ///
    /// - Throws: ``DataLoadingError`` naming the file when it is missing (with the package to
    ///   install), unreadable or malformed, or when images and labels disagree.
    public init(split: Split, directory: String = FashionMNIST.defaultDirectory) throws(DataLoadingError) {
        let prefix = split == .train ? "train" : "t10k"
        let hint = "install Debian's dataset-fashion-mnist package (make test and make demo do)"
        let imagesPath = "\(directory)/\(prefix)-images-idx3-ubyte.gz"
        let labelsPath = "\(directory)/\(prefix)-labels-idx1-ubyte.gz"
        let imageFile = try IDXFile(path: imagesPath, hint: hint)
        let labelFile = try IDXFile(path: labelsPath, hint: hint)
        guard imageFile.shape.count == 3 else {
            throw .malformed(path: imagesPath, reason: "expected images of shape [count, rows, columns], got \(imageFile.shape)")
        }
        guard labelFile.shape == [imageFile.shape[0]] else {
            throw .malformed(path: labelsPath, reason: "\(labelFile.shape) labels for \(imageFile.shape[0]) images")
        }
        if let bad = labelFile.bytes.first(where: { $0 > 9 }) {
            throw .malformed(path: labelsPath, reason: "label \(bad) is outside 0...9")
        }
        images = Tensor(shape: imageFile.shape, scalars: imageFile.bytes.map { Float($0) })
        labels = labelFile.bytes.map { Int($0) }
    }
}
