/// Tensors made from a shape: constants, ranges and random samples.
extension Tensor {
    /// A tensor of zeros.
    public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

    /// A tensor of ones.
    public init(ones shape: [Int]) { self.init(repeating: 1, shape: shape) }

    /// A tensor with every element equal to `value` (NumPy's `full`). Traps on a negative dimension.
    public init(repeating value: Float, shape: [Int]) {
        guard shape.allSatisfy({ $0 >= 0 }) else { trap(.invalidShape(op: "Tensor(repeating:shape:)", shape: shape)) }
        self.init(uncheckedShape: shape, storage: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor of zeros shaped like `other`.
    public init(zerosLike other: Tensor) { self.init(zeros: other.shape) }

    /// A tensor of ones shaped like `other`.
    public init(onesLike other: Tensor) { self.init(ones: other.shape) }

    /// The `n`×`n` identity matrix.
    public init(eye n: Int) {
        var values = [Float](repeating: 0, count: n * n)
        for i in 0..<n { values[i * n + i] = 1 }
        self.init(shape: [n, n], scalars: values)
    }

    /// `start, start + stride, ...` up to but excluding `end` (NumPy's `arange`, TensorFlow's `range`).
    /// Traps when `stride` is zero.
    public init(rangeFrom start: Float, to end: Float, stride: Float = 1) {
        guard stride != 0 else { trap(.invalidArgument(op: "Tensor(rangeFrom:to:stride:)", message: "stride must not be zero")) }
        let count = Swift.max(0, Int(((end - start) / stride).rounded(.up)))
        self.init(uncheckedShape: [count], storage: (0..<count).map { start + Float($0) * stride })
    }

    /// `count` evenly spaced values from `start` to `end`, both included.
    public init(linearSpaceFrom start: Float, to end: Float, count: Int) {
        let step = count > 1 ? (end - start) / Float(count - 1) : 0
        self.init(uncheckedShape: [Swift.max(count, 0)], storage: (0..<Swift.max(count, 0)).map { start + Float($0) * step })
    }

    /// Samples from a normal distribution.
    public init(
        randomNormal shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
        generator: inout SeededGenerator
    ) {
        let count = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count { values[i] = mean + standardDeviation * Float(generator.nextNormal()) }
        self.init(shape: shape, scalars: values)
    }

    /// Samples from a normal distribution, redrawing values more than two standard deviations from
    /// the mean (TensorFlow's `truncated_normal`).
    public init(
        randomTruncatedNormal shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
        generator: inout SeededGenerator
    ) {
        let count = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count {
            var z = generator.nextNormal()
            while Swift.abs(z) > 2 { z = generator.nextNormal() }
            values[i] = mean + standardDeviation * Float(z)
        }
        self.init(shape: shape, scalars: values)
    }

    /// Samples uniformly from `[lower, upper)`.
    public init(
        randomUniform shape: [Int], lower: Float = 0, upper: Float = 1, generator: inout SeededGenerator
    ) {
        let count = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count { values[i] = lower + (upper - lower) * generator.nextFloat() }
        self.init(shape: shape, scalars: values)
    }

    /// Samples from a normal distribution using the global generator (see ``GlobalRandom``).
    public init(randomNormal shape: [Int], mean: Float = 0, standardDeviation: Float = 1) {
        self = GlobalRandom.withGenerator {
            Tensor(randomNormal: shape, mean: mean, standardDeviation: standardDeviation, generator: &$0)
        }
    }

    /// Samples uniformly using the global generator (see ``GlobalRandom``).
    public init(randomUniform shape: [Int], lower: Float = 0, upper: Float = 1) {
        self = GlobalRandom.withGenerator { Tensor(randomUniform: shape, lower: lower, upper: upper, generator: &$0) }
    }

    /// Samples from a truncated normal using the global generator (see ``GlobalRandom``).
    public init(randomTruncatedNormal shape: [Int], mean: Float = 0, standardDeviation: Float = 1) {
        self = GlobalRandom.withGenerator {
            Tensor(randomTruncatedNormal: shape, mean: mean, standardDeviation: standardDeviation, generator: &$0)
        }
    }
}
