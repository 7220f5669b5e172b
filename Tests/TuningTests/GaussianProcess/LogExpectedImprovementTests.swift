import Foundation
import Testing
import Tuning

@Suite struct LogExpectedImprovementTests {
    /// log h(z) against 60-digit mpmath values of log(φ(z) + zΦ(z)), across every branch.
    @Test func logHMatchesHighPrecisionReferences() {
        let references: [(Double, Double)] = [
            (3, 1.0987396653277077727), (0.5, -0.35982768374506381859), (0, -0.91893853320467274178),
            (-0.999, -2.4832171154475854412), (-1, -2.4851210257126413368), (-1.001, -2.4870256579553892129),
            (-5, -16.744301162660990143), (-10, -55.553122036122355927), (-24.999, -319.83638445968423486),
            (-25, -319.86146358149595433), (-25.001, -319.88654370015291217), (-30, -457.72465376059800405),
            (-38, -730.19618340211373916), (-40, -808.29856835661996024), (-100, -5010.1295788002497923),
            (-1e4, -50000019.339619307157), (-1e8, -5000000000000037.7603), (-1e12, -5.0e23),
        ]
        for (z, expected) in references {
            let value = LogExpectedImprovement.logH(z)
            #expect(abs(value - expected) <= 1e-12 * max(1, abs(expected)), "z = \(z): \(value) vs \(expected)")
        }
    }

    /// Where EI is representable, log EI is its logarithm; where it underflows, log EI stays finite and
    /// keeps decreasing as the candidate gets worse.
    @Test func logEIMatchesLogOfEIAndStaysFiniteWhereEIUnderflows() {
        for mean in stride(from: -3.0, through: 30.0, by: 0.25) {
            let ei = LogExpectedImprovement.expectedImprovement(mean: mean, standardDeviation: 0.9, incumbent: 0)
            let logEI = LogExpectedImprovement.value(mean: mean, standardDeviation: 0.9, incumbent: 0)
            if ei > 1e-290 {
                #expect(abs(logEI - log(ei)) <= 1e-9 * max(1, abs(logEI)), "mean \(mean)")
            }
        }
        #expect(LogExpectedImprovement.expectedImprovement(mean: 50, standardDeviation: 1, incumbent: 0) == 0)
        var previous = Double.infinity
        for mean in [40.0, 50, 100, 1e3, 1e5, 1e9] {
            let logEI = LogExpectedImprovement.value(mean: mean, standardDeviation: 1, incumbent: 0)
            #expect(logEI.isFinite)
            #expect(logEI < previous)
            previous = logEI
        }
    }

    @Test func degenerateStandardDeviationAndLowerConfidenceBound() {
        #expect(abs(LogExpectedImprovement.value(mean: -2, standardDeviation: 0, incumbent: 0) - log(2.0)) < 1e-15)
        #expect(LogExpectedImprovement.value(mean: 2, standardDeviation: 0, incumbent: 0) == -.infinity)
        #expect(AcquisitionFunction.defaultBeta == 2.6)
    }
}
