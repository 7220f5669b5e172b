import TensorBoard
import Testing

/// The equal-width buckets `SummaryWriter.histogram` writes.
@Suite("TensorBoard histograms")
struct HistogramTests {
    @Test func bucketsSpanMinimumToMaximumWithTheStatistics() {
        let histogram = HistogramProto.equalWidthBuckets(of: [0, 1, 1, 2, 3, 4], buckets: 4)
        #expect(histogram.min == 0)
        #expect(histogram.max == 4)
        #expect(histogram.num == 6)
        #expect(histogram.sum == 11)
        #expect(histogram.sumSquares == 31)
        // Right edges 1, 2, 3 and TensorFlow's last one; [0, 1) holds 0, [1, 2) holds 1 and 1, …, the
        // maximum falls in the last bucket.
        #expect(histogram.bucketLimit == [1, 2, 3, .greatestFiniteMagnitude])
        #expect(histogram.bucket == [1, 2, 1, 2])
    }

    @Test func equalValuesMakeOneBucketAndNoValuesNone() {
        let same = HistogramProto.equalWidthBuckets(of: [2.5, 2.5, 2.5], buckets: 30)
        #expect(same.bucket == [3])
        #expect(same.bucketLimit == [.greatestFiniteMagnitude])
        #expect(same.min == 2.5 && same.max == 2.5 && same.num == 3)

        let empty = HistogramProto.equalWidthBuckets(of: [], buckets: 30)
        #expect(empty.num == 0 && empty.bucket.isEmpty && empty.bucketLimit.isEmpty)
    }

    @Test func everyValueIsCountedOnceWhateverTheBucketCount() {
        let values = (0..<1000).map { Double($0).squareRoot() - 10 }
        for buckets in [1, 2, 7, 30, 1000] {
            let histogram = HistogramProto.equalWidthBuckets(of: values, buckets: buckets)
            #expect(histogram.bucket.reduce(0, +) == 1000, "\(buckets) buckets")
            #expect(histogram.bucket.count == buckets)
            #expect(histogram.bucketLimit == histogram.bucketLimit.sorted())
        }
    }

    @Test func hugeRangesDoNotOverflow() {
        let histogram = HistogramProto.equalWidthBuckets(of: [-1e308, 1e308], buckets: 2)
        #expect(histogram.bucket == [1, 1])
        let finite = histogram.bucketLimit.allSatisfy { $0.isFinite }
        #expect(finite)
    }
}
