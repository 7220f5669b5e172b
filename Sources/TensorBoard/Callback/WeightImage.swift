/// A weight drawn as a grayscale image the way Keras's `_log_weight_as_image` lays it out: a bias (rank
/// 1) as one row, a 2-D kernel as rows × columns, transposed when it has more rows than columns (so that
/// the image is wide). Values are stretched from their minimum (black) to their maximum (white), as
/// TensorBoard's `image` summary does for float images; a constant weight is mid-gray.
struct WeightImage: Equatable {
    var pixels: [UInt8]
    var width: Int
    var height: Int

    /// nil for other ranks (convolution kernels and beyond) and for a weight with no values.
    init?(values: [Float], shape: [Int]) {
        let squeezed = shape.filter { $0 != 1 }
        guard !values.isEmpty else { return nil }
        var rows: Int, columns: Int
        var laidOut = values
        switch squeezed.count {
        case 0, 1:
            rows = 1
            columns = values.count
        case 2:
            rows = squeezed[0]
            columns = squeezed[1]
            if rows > columns {
                laidOut = (0..<columns).flatMap { column in (0..<rows).map { row in values[row * columns + column] } }
                swap(&rows, &columns)
            }
        default:
            return nil
        }
        guard rows * columns == values.count else { return nil }
        let finite = laidOut.filter(\.isFinite)
        let low = finite.min() ?? 0, high = finite.max() ?? 0
        pixels = laidOut.map { value in
            guard value.isFinite else { return value > 0 ? 255 : 0 }
            guard high > low else { return 128 }
            return UInt8(((value - low) / (high - low) * 255).rounded())
        }
        width = columns
        height = rows
    }
}
