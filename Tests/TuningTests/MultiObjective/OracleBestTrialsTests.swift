import Foundation
import Testing
import Tuning

/// An oracle's `bestTrials` (what checkpoint retention keeps) on trials with several values or
/// constraint values: feasible fronts first, never an infeasible trial ahead of a feasible one.
@Suite struct OracleBestTrialsTests {
    func oracle(_ rows: [(objectives: [Double], constraints: [Double])], additional: [Objective]) throws -> RandomSearchOracle {
        let hp = HyperParameters()
        _ = try hp.float("x", min: 0, max: 1)
        let oracle = try RandomSearchOracle(objective: .maximize("accuracy"), additionalObjectives: additional,
                                            searchSpace: hp.space, maxTrials: rows.count, seed: 2)
        for row in rows {
            guard case .run(let trial) = oracle.createTrial(workerID: "w") else { break }
            try oracle.endTrial(trialID: trial.id, outcome: .completeWith(TrialValues(objectives: row.objectives, constraints: row.constraints)))
        }
        return oracle
    }

    @Test func oneObjectiveWithConstraintsNeverRanksAnInfeasibleTrialFirst() throws {
        let best = try oracle([([0.9], [1]), ([0.8], [-1]), ([0.7], [-1])], additional: []).bestTrials(3)
        #expect(best.map(\.id) == [2, 3, 1])
    }

    @Test func severalObjectivesRankTheFrontFirst() throws {
        // Trial 3 is dominated by 2; trials 1 and 2 are the front; 4 is infeasible.
        let best = try oracle([([0.9, 900], [-1]), ([0.8, 100], [-1]), ([0.7, 200], [-1]), ([0.99, 10], [2])],
                              additional: [.minimize("params")]).bestTrials(4)
        #expect(Set(best.prefix(2).map(\.id)) == [1, 2] && best.map(\.id).suffix(2) == [3, 4])
    }

    /// The front checkpoint retention keeps whole on several objectives: feasible non-dominated trials
    /// only, ties both kept, and no trial that left it comes back as later trials end.
    @Test func theFirstFrontIsTheFeasibleNonDominatedTrials() throws {
        let objectives: [Objective] = [.maximize("accuracy"), .minimize("params")]
        // 3 is dominated by 2; 4 is infeasible; 5 ties 1.
        let rows: [(objectives: [Double], constraints: [Double])] =
            [([0.9, 900], [-1]), ([0.8, 100], [-1]), ([0.7, 200], [-1]), ([0.99, 10], [2]), ([0.9, 900], [0])]
        let trials = try oracle(rows, additional: [.minimize("params")]).trials
        #expect(FrontSelection.firstFront(trials, objectives: objectives).map(\.id) == [1, 2, 5])
        // Without a feasible trial, the least violating ones form it.
        let infeasible = try oracle([([0.9, 900], [3]), ([0.8, 100], [1])], additional: [.minimize("params")]).trials
        #expect(FrontSelection.firstFront(infeasible, objectives: objectives).map(\.id) == [2])
        // Growing the study one trial at a time: a trial off the front never returns to it.
        let growing: [(objectives: [Double], constraints: [Double])] =
            [([0.5, 50], []), ([0.6, 40], []), ([0.9, 500], []), ([0.7, 45], []), ([0.95, 30], []), ([0.65, 35], [])]
        let all = try oracle(growing, additional: [.minimize("params")]).trials
        var left = Set<Int>()
        for end in 1...all.count {
            let front = Set(FrontSelection.firstFront(Array(all.prefix(end)), objectives: objectives).map(\.id))
            #expect(front.isDisjoint(with: left))
            left.formUnion(Set(all.prefix(end).map(\.id)).subtracting(front))
        }
        #expect(FrontSelection.firstFront(all, objectives: objectives).map(\.id) == [5])
    }
}
