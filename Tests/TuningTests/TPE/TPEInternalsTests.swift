// TPE's arithmetic, checked on hand-computed cases. The pieces are internal to `Tuning`, so these
// tests need a testable build: they run in debug builds (`swift test`) and are left out of release
// ones (`make test` builds release, where `@testable import` is not available); the oracle tests
// exercise the same code through the public API in both.
#if DEBUG
import Foundation
import Testing
@testable import Tuning

@Suite struct TPEInternalsTests {
    @Test func theNormalQuantileInvertsTheCDFIntoTheTails() {
        // Up to 3: beyond, Φ(x) rounds to 1 − ε and the round trip loses what `quantile` never sees (the
        // sampler inverts only probabilities up to 1/2, taking the upper half through the upper tail).
        for x in stride(from: -8.0, through: 3.0, by: 0.25) {
            #expect(abs(TruncatedNormal.quantile(TruncatedNormal.cdf(x)) - x) < 1e-9 * max(1, abs(x)), "x = \(x)")
        }
        for p in [1e-300, 1e-100, 1e-15, 1e-6, 0.02, 0.024, 0.025, 0.3, 0.5] {
            let x = TruncatedNormal.quantile(p)
            #expect(abs(TruncatedNormal.cdf(x) / p - 1) < 1e-10, "p = \(p)")
        }
        #expect(TruncatedNormal.quantile(0.5) == 0)
    }

    @Test func logMassesStayAccurateInBothTails() {
        // Where the CDF difference is representable, the log mass is its log.
        for (a, b) in [(-1.0, 2.0), (-3.0, -2.0), (0.5, 4.0), (-0.1, 0.1), (-30.0, -29.0)] {
            let direct = log(TruncatedNormal.cdf(b) - TruncatedNormal.cdf(a))
            #expect(abs(TruncatedNormal.logMass(from: a, to: b) - direct) < 1e-9 * max(1, abs(direct)), "[\(a), \(b)]")
        }
        // Far tails (the CDF underflows): symmetric, and the asymptotic series joins log Φ at −20.
        #expect(abs(TruncatedNormal.logMass(from: -60, to: -59) - TruncatedNormal.logMass(from: 59, to: 60)) < 1e-9)
        #expect(abs(TruncatedNormal.logCDF(-20.000001) - TruncatedNormal.logCDF(-19.999999)) < 1e-4)
        #expect(abs(TruncatedNormal.logCDF(-25) - log(TruncatedNormal.cdf(-25))) < 1e-10 * 315)
        #expect(TruncatedNormal.logMass(from: -100, to: -99).isFinite)
        // A bin far narrower than the kernel: the midpoint rule, not a difference of two near-equal CDFs.
        let narrow = TruncatedNormal.logMass(from: 0.3, to: 0.3 + 1e-9)
        #expect(abs(narrow - (TruncatedNormal.logDensity(0.3 + 5e-10) + log(1e-9))) < 1e-6)
    }

    @Test func truncatedSamplesStayInTheirRangeAndSplitItsMass() {
        for (a, b) in [(-1.0, 2.0), (-50.0, 0.5), (0.0, 1.0), (-0.01, 80.0)] {
            var previous = -Double.infinity
            for q in stride(from: 0.0, to: 1.0, by: 0.05) {
                let x = TruncatedNormal.truncatedQuantile(q, lower: a, upper: b)
                #expect(x >= a && x <= b)
                #expect(x >= previous, "monotone in q on [\(a), \(b)]")
                previous = x
            }
            // The median leaves half the truncated mass on each side.
            let median = TruncatedNormal.truncatedQuantile(0.5, lower: a, upper: b)
            let left = TruncatedNormal.logMass(from: a, to: median), right = TruncatedNormal.logMass(from: median, to: b)
            #expect(abs(left - right) < 1e-8, "[\(a), \(b)]")
        }
    }

    @Test func bandwidthsFollowOptunasRule() {
        // Sorted with the ends: 0, .2, .5, .9, 1. The larger gap each, the outermost their inner gap
        // (.3 and .4), clipped below at 1 / min(100, 1 + 4 kernels) = 0.2.
        let sigmas = ParzenEstimator.bandwidths(of: [0.9, 0.2, 0.5], minimum: 0.2)
        #expect(zip(sigmas, [0.4, 0.3, 0.4]).allSatisfy { abs($0 - $1) < 1e-12 }, "\(sigmas)")
        // One observation: the larger gap to an end.
        #expect(ParzenEstimator.bandwidths(of: [0.3], minimum: 1 / 3) == [0.7])
        // Close observations are clipped up to the minimum.
        #expect(ParzenEstimator.bandwidths(of: [0.5, 0.5001, 0.5002], minimum: 0.2) == [0.2, 0.2, 0.2])
    }

    @Test func theCategoricalKernelIsOptunas() {
        // Two observations of category 1 and 2 out of 3, prior weight 1: kernels (n + 1 = 3) have 1/3
        // on every category plus 1 on the observed one, normalized by 2; the prior is uniform. Weights
        // 1, 1 and the prior's 1, normalized.
        let estimator = ParzenEstimator(
            dimensions: [.categorical(count: 3)], observations: [[1], [2]], weights: [1, 1], priorWeight: 1)
        let densities = estimator.logDensities(of: [0, 1, 2], count: 3).map { exp($0) }
        let smoothing = 1.0 / 3, row = 1 + 3 * smoothing
        let expected = [
            (smoothing / row * 2 + 1.0 / 3) / 3,
            ((smoothing + 1) / row + smoothing / row + 1.0 / 3) / 3,
            ((smoothing + 1) / row + smoothing / row + 1.0 / 3) / 3,
        ]
        #expect(zip(densities, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(densities)")
        #expect(abs(densities.reduce(0, +) - 1) < 1e-12)
    }

    @Test func discreteProbabilitiesSumToOne() {
        let estimator = ParzenEstimator(
            dimensions: [.discrete(count: 7), .logInteger(min: 1, max: 20)], observations: [[0.5 / 7, 0.4], [6.5 / 7, 0.9]],
            weights: [1, 1], priorWeight: 1)
        var total = 0.0
        for first in 0..<7 {
            var samples: [Double] = []
            for second in 0..<20 { samples += [Double(first), Double(second)] }
            total += estimator.logDensities(of: samples, count: 20).map { exp($0) }.reduce(0, +)
        }
        #expect(abs(total - 1) < 1e-9, "\(total)")
    }

    @Test func gammaAndWeightsAreOptunasDefaults() {
        let finished: [Int] = [0, 1, 10, 11, 100, 240, 251, 1000]
        let expected: [Int] = [0, 1, 1, 2, 10, 24, 25, 25]
        #expect(finished.map { TPETrialSplit.goodCount(finished: $0) } == expected)
        #expect(TPETrialSplit.weights(count: 3) == [1, 1, 1])
        let weights = TPETrialSplit.weights(count: 30)
        #expect(weights.count == 30)
        // numpy.linspace(1/30, 1, 5), then 25 ones.
        let start: Double = 1.0 / 30
        let ramp: [Double] = (0..<5).map { (index: Int) -> Double in start + Double(index) * (1 - start) / 4 }
        #expect(zip(weights.prefix(5), ramp).allSatisfy { abs($0 - $1) < 1e-15 })
        #expect(weights.suffix(25).allSatisfy { $0 == 1 })
    }

    @Test func theSplitRanksCompleteThenPrunedAndTheLiarIsAlwaysBad() {
        func entry(_ id: Int, _ state: TrialState, _ score: Double = .nan, step: Int? = nil, value: Double = 0) -> TPETrialSplit.Entry {
            .init(id: id, state: state, score: score, lastIntermediate: step.map { StepValue(step: $0, value: value) })
        }
        // 11 finished: 2 good. Only one COMPLETE, so the best PRUNED (latest step, then value) fills it.
        var entries = [entry(1, .complete, 5.0)]
        entries += (2...9).map { entry($0, .pruned, step: 1, value: Double($0)) }
        entries += [entry(10, .pruned, step: 3, value: 100), entry(11, .pruned), entry(12, .running), entry(13, .waiting)]
        let (good, bad) = TPETrialSplit.split(entries, direction: .minimize)
        #expect(good.map { entries[$0].id } == [1, 10])
        #expect(bad.map { entries[$0].id } == [2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13])
        // Maximizing: the largest score is best; ties go to the earlier trial.
        let scored = [entry(1, .complete, 1), entry(2, .complete, 3), entry(3, .complete, 3)] + (4...11).map { entry($0, .complete, 0) }
        #expect(TPETrialSplit.split(scored, direction: .maximize).good.map { scored[$0].id } == [2, 3])
        #expect(TPETrialSplit.split(scored, direction: .minimize).good.map { scored[$0].id } == [4, 5])
    }

    @Test func groupsSeparateWhatIsNotAlwaysObservedTogether() {
        // Dimensions 0, 1 always; 2, 3 together in some trials; 4 in others; 5 never.
        let sets: [[Bool]] = [
            [true, true, true, true, false, false],
            [true, true, false, false, true, false],
            [true, true, true, true, false, false],
        ]
        #expect(TPEParameterGroups.decompose(sets, dimensionCount: 6) == [[0, 1], [2, 3], [4], [5]])
        #expect(TPEParameterGroups.decompose([], dimensionCount: 2) == [[0], [1]])
    }
}
#endif
