import Foundation
import Testing
import Tuning

/// TPE on several objectives (Optuna's multi-objective TPE): the good trials are the first fronts of
/// constrained non-dominated sorting, the last one thinned by hypervolume contribution.
@Suite struct TPEFrontTests {
    /// Fronts first; within the front that does not fit whole, the extremes and the best spread win
    /// (hypervolume), not the lower index; infeasible trials come after every feasible one. This is the
    /// order TPE's split (`TPETrialSplit.rankedByFronts`) and Hyperband's promotions take.
    @Test func goodTrialsAreTheFirstFrontsThinnedByHypervolume() {
        let values: [[Double]] = [[0.0, 1.0], [0.45, 0.55], [0.5, 0.5], [1.0, 0.0], [0.9, 0.9], [0.0, 0.0]]
        let constraints: [[Double]] = [[-1], [-1], [-1], [-1], [-1], [1]]
        let ranked = FrontSelection.ranked(values, constraints: constraints, count: 3)
        // The front {0, 1, 2, 3} holds 4 > 3: greedy hypervolume keeps the middle point and the two extremes.
        #expect(Set(ranked.prefix(3)) == [0, 3, 1] || Set(ranked.prefix(3)) == [0, 3, 2])
        #expect(ranked.last == 5)   // infeasible, despite the best values
        #expect(ranked.count == values.count)
    }

    /// On 2-D ZDT1 (a reference point random search reaches), 60 TPE trials beat 60 random ones on
    /// the mean hypervolume over five seeds.
    @Test func tpeImprovesTheFrontOverRandomSearch() throws {
        let problem = try MultiObjectiveProblem.zdt1(dimensionCount: 2)
        let space = try problem.searchSpace()
        var tpe = 0.0, random = 0.0
        for seed in UInt64(0)..<5 {
            tpe += try problem.hypervolume(after: 60, of: try TPEOracle(
                objective: .minimize("f1"), additionalObjectives: [.minimize("f2")], searchSpace: space, maxTrials: 60, seed: seed))
            random += try problem.hypervolume(after: 60, of: try RandomSearchOracle(
                objective: .minimize("f1"), searchSpace: space, maxTrials: 60, seed: seed))
        }
        #expect(tpe > random, "TPE \(tpe / 5), random \(random / 5)")
    }
}
