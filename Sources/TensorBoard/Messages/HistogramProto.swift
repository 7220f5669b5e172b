/// TensorFlow's `HistogramProto` (histogram.proto, imported by summary.proto): a distribution as its
/// statistics and bucket counts. Bucket `i` counts the values in `[bucketLimit[i-1], bucketLimit[i])`,
/// the first from minus infinity; TensorBoard draws bucket `i` from `bucketLimit[i-1]` (the first from
/// `min`) to `bucketLimit[i]` (the last to `max`).
public struct HistogramProto: ProtobufMessage, Equatable {
    /// `min = 1`.
    public var min: Double
    /// `max = 2`.
    public var max: Double
    /// `num = 3`: how many values.
    public var num: Double
    /// `sum = 4`.
    public var sum: Double
    /// `sum_squares = 5`.
    public var sumSquares: Double
    /// `bucket_limit = 6` (packed): each bucket's right edge, increasing.
    public var bucketLimit: [Double]
    /// `bucket = 7` (packed): each bucket's count.
    public var bucket: [Double]

    /// A histogram with these statistics and buckets.
    public init(min: Double, max: Double, num: Double, sum: Double, sumSquares: Double,
                bucketLimit: [Double], bucket: [Double]) {
        self.min = min
        self.max = max
        self.num = num
        self.sum = sum
        self.sumSquares = sumSquares
        self.bucketLimit = bucketLimit
        self.bucket = bucket
    }

    /// Appends fields 1 to 7.
    public func encode(to encoder: inout ProtobufEncoder) {
        encoder.doubleIfNotDefault(1, min)
        encoder.doubleIfNotDefault(2, max)
        encoder.doubleIfNotDefault(3, num)
        encoder.doubleIfNotDefault(4, sum)
        encoder.doubleIfNotDefault(5, sumSquares)
        encoder.packedDoubles(6, bucketLimit)
        encoder.packedDoubles(7, bucket)
    }
}
