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
}
