import Neural

/// Expected outputs computed by `Scripts/conv_reference.py` (NumPy, from TensorFlow's documented
/// padding rules), and the input pattern that script uses.
enum ConvolutionReference {
    /// One expected tensor.
    struct Reference {
        let shape: [Int]
        let values: [Float]
    }

    /// The script's `pattern(shape, seed)`: `((i·37 + seed·11) mod 23 − 11) / 8`, exact in Float.
    static func pattern(_ shape: [Int], seed: Int) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<count).map { Float(((($0 * 37 + seed * 11) % 23) - 11)) / 8 })
    }
}
