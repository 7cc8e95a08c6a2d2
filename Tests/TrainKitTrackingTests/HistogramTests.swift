import Testing
@testable import TrainKitTracking

@Suite struct HistogramTests {
    /// [0, 1, 2, 3] in 3 buckets of width 1: edges 1, 2, 3; 0 and 1 fall in (0, 1], 2 in (1, 2], 3 in (2, 3].
    @Test func equalWidthBucketsCountEveryValue() {
        let h = Histogram([0, 1, 2, 3], bucketCount: 3)
        #expect(h.bucketLimits == [1, 2, 3])
        #expect(h.bucketCounts == [2, 1, 1])
        #expect(h.min == 0 && h.max == 3 && h.count == 4)
        #expect(h.sum == 6 && h.sumOfSquares == 14)  // 0 + 1 + 4 + 9
    }

    @Test func constantValuesFillOneBucketAndNonFiniteOnesAreLeftOut() {
        let h = Histogram([2, 2, .nan, 2, .infinity])
        #expect(h.bucketLimits == [2])
        #expect(h.bucketCounts == [3])
        #expect(h.count == 3)
        #expect(Histogram([Float]()).bucketCounts.isEmpty)
    }
}
