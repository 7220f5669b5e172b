import Neural
import ReferenceWorkloads

/// Fashion-MNIST (Debian's `dataset-fashion-mnist`, which `make test` installs) as seed 002 splits
/// it, read once for this test target: decoding and scaling the 60,000 training images is the costly
/// part, and the book's classifier and its searches share it. nil when the files are missing.
enum BookData {
    /// `X_train_full[:-5000] / 255.` and `X_train_full[-5000:] / 255.` with their labels.
    static let split: (x: Tensor, y: Tensor, xValid: Tensor, yValid: Tensor)? = try? BookTuning.fashionMNIST()

    /// `X_test / 255.` and `y_test` (10,000 images).
    static let testImages: (x: Tensor, y: Tensor)? = {
        guard let test = try? FashionMNIST(split: .test) else { return nil }
        return (test.images / 255, Tensor(test.labels.map(Float.init)))
    }()
}
