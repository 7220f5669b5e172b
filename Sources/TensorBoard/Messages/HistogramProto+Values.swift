extension HistogramProto {
    /// The histogram of `values` in `buckets` equal-width buckets from their minimum to their maximum
    /// (the buckets of `tf.summary.histogram`, as the v1 `HistogramProto` TensorBoard reads): the
    /// statistics of all values, each bucket's right edge, the last one `Double.greatestFiniteMagnitude`
    /// as TensorFlow writes it so that the maximum falls inside. All values in one bucket when they are
    /// equal; no bucket for no values. `buckets` below 1 counts as 1.
    ///
    /// The values should be finite (``SummaryWriter/histogram(_:values:step:buckets:)`` checks): a NaN
    /// or an infinity makes the statistics NaN or infinite and lands in the first or last bucket.
    public static func equalWidthBuckets(of values: [Double], buckets: Int) -> HistogramProto {
        guard let first = values.first else {
            return HistogramProto(min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [])
        }
        var low = first, high = first, sum = 0.0, sumSquares = 0.0
        for value in values {
            low = Swift.min(low, value)
            high = Swift.max(high, value)
            sum += value
            sumSquares += value * value
        }
        let count = Swift.max(buckets, 1)
        guard high > low, count > 1 else {
            return HistogramProto(min: low, max: high, num: Double(values.count), sum: sum, sumSquares: sumSquares,
                                  bucketLimit: [.greatestFiniteMagnitude], bucket: [Double(values.count)])
        }
        // high / n - low / n rather than (high - low) / n: the difference of two large values may overflow.
        let width = high / Double(count) - low / Double(count)
        var limits = (1..<count).map { low + width * Double($0) }
        limits.append(.greatestFiniteMagnitude)
        var counts = [Double](repeating: 0, count: count)
        for value in values {
            let position = ((value - low) / width).rounded(.down)
            // A NaN position (a NaN value) goes to the first bucket, beyond the last one to the last.
            let index = position.isNaN ? 0 : Int(Swift.min(Swift.max(position, 0), Double(count - 1)))
            counts[index] += 1
        }
        return HistogramProto(min: low, max: high, num: Double(values.count), sum: sum, sumSquares: sumSquares,
                              bucketLimit: limits, bucket: counts)
    }
}
