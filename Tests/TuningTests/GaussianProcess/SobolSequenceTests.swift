import Testing
import Tuning

@Suite struct SobolSequenceTests {
    /// The first eight points in three dimensions, as published (Joe and Kuo's sobol.cc, SciPy's
    /// unscrambled `qmc.Sobol`).
    @Test func firstPointsMatchPublishedValues() throws {
        let sobol = try SobolSequence(dimensionCount: 3)
        let expected: [[Double]] = [
            [0, 0, 0], [0.5, 0.5, 0.5], [0.75, 0.25, 0.25], [0.25, 0.75, 0.75],
            [0.375, 0.375, 0.625], [0.875, 0.875, 0.125], [0.625, 0.125, 0.875], [0.125, 0.625, 0.375],
        ]
        #expect(sobol.points(from: 0, count: 8) == expected)
    }

    /// Later points in high dimensions (coordinates 1, 2, 10, 40, 100, 256) against SciPy 1.17's
    /// unscrambled sequence, which uses the same direction numbers.
    @Test func highDimensionalPointsMatchSciPy() throws {
        let sobol = try SobolSequence(dimensionCount: 256)
        let coordinates = [0, 1, 9, 39, 99, 255]
        let expected: [Int: [Double]] = [
            5: [0.875, 0.875, 0.125, 0.375, 0.375, 0.875],
            13: [0.8125, 0.6875, 0.4375, 0.9375, 0.5625, 0.5625],
            100: [0.4140625, 0.2578125, 0.6953125, 0.1328125, 0.8828125, 0.5703125],
            127: [0.0078125, 0.6640625, 0.5390625, 0.6015625, 0.3515625, 0.4140625],
        ]
        for (index, values) in expected {
            let point = sobol.point(at: index)
            #expect(coordinates.map { point[$0] } == values, "index \(index)")
        }
    }

    /// Every coordinate of the first 2^k points is a permutation of the 2^k dyadic cells (the
    /// one-dimensional projections are perfectly stratified), also after a digital shift.
    @Test func projectionsAreStratified() throws {
        let sobol = try SobolSequence(dimensionCount: 40)
        let shift = (0..<40).map { UInt32(truncatingIfNeeded: $0 &* 2_654_435_761) }
        let points = sobol.points(from: 0, count: 64, digitalShift: shift)
        for k in 0..<40 {
            let cells = Set(points.map { Int($0[k] * 64) })
            #expect(cells.count == 64, "coordinate \(k)")
        }
    }

    @Test func dimensionLimitsAreEnforced() {
        #expect(throws: BayesianOptimizationError.self) { try SobolSequence(dimensionCount: 0) }
        #expect(throws: BayesianOptimizationError.self) { try SobolSequence(dimensionCount: 257) }
    }
}
