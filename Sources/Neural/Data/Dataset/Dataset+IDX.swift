/// Datasets over IDX files (the MNIST family's format).
extension Dataset where Element == (Tensor, Tensor) {
    /// `(image, label)` pairs from an IDX file of images `[count, rows, columns]` and one of labels
    /// `[count]`, gzip-compressed or not (Fashion-MNIST's files): images as `[rows, columns]` tensors of
    /// grey levels 0...255, labels as scalar tensors. The files are read (and checked) now and kept in
    /// memory as bytes; tensors are made as the iteration goes.
    ///
    /// - Throws: ``DatasetError/fileNotFound(path:)`` for a missing file, and
    ///   ``DatasetError/unreadable(path:reason:)`` for a file that is not IDX or whose counts disagree.
    public static func idx(imagesPath: String, labelsPath: String) throws(DatasetError) -> Dataset<(Tensor, Tensor)> {
        let images = try readIDX(imagesPath)
        let labels = try readIDX(labelsPath)
        guard images.shape.count >= 2 else {
            throw .unreadable(path: imagesPath, reason: "expected images of shape [count, ...], got \(images.shape)")
        }
        guard labels.shape == [images.shape[0]] else {
            throw .unreadable(path: labelsPath, reason: "labels of shape \(labels.shape) for \(images.shape[0]) images")
        }
        let count = images.shape[0]
        let imageShape = Array(images.shape.dropFirst())
        let width = imageShape.reduce(1, *)
        let imageBytes = images.bytes, labelBytes = labels.bytes
        return Dataset(count: count) { index in
            let pixels = imageBytes[(index * width)..<((index + 1) * width)].map { Float($0) }
            return (Tensor(shape: imageShape, scalars: pixels), Tensor(Float(labelBytes[index])))
        }
    }

    private static func readIDX(_ path: String) throws(DatasetError) -> IDXFile {
        do {
            return try IDXFile(path: path)
        } catch {
            switch error {
            case .fileNotFound(let path, _): throw .fileNotFound(path: path)
            case .unreadable(let path, let reason), .malformed(let path, let reason): throw .unreadable(path: path, reason: reason)
            }
        }
    }
}
