import Foundation
import Testing
import Tuning

/// Hyperband on several objectives promotes by constrained non-dominated sorting, not by the first
/// objective alone.
@Suite struct HyperbandFrontTests {
    /// Of a first round whose best first-objective value is infeasible and whose other trials are one
    /// non-dominated and one dominated, the promoted trial is the non-dominated feasible one.
    @Test func promotionFollowsTheFeasibleFront() throws {
        let hp = HyperParameters()
        _ = try hp.float("x", min: 0, max: 1)
        let oracle = try HyperbandOracle(objective: .maximize("accuracy"), additionalObjectives: [.minimize("params")],
                                         searchSpace: hp.space, maxEpochs: 3, factor: 3, seed: 1)
        // accuracy, params, constraint (≤ 0 is feasible), in the order the first round's trials come.
        let rows: [(Double, Double, Double)] = [(0.9, 100, 1), (0.8, 50, -1), (0.7, 200, -1)]
        var roundZero: [Trial.ID] = []
        var promoted: Trial.ID?
        for _ in 0..<10 {
            guard case .run(let trial) = oracle.createTrial(workerID: "w"), let assignment = trial.hyperband else { break }
            if let parent = assignment.parentTrialID {
                promoted = parent
                break
            }
            let row = rows[roundZero.count % rows.count]
            roundZero.append(trial.id)
            try oracle.endTrial(trialID: trial.id,
                                outcome: .completeWith(TrialValues(objectives: [row.0, row.1], constraints: [row.2])))
        }
        let parent = try #require(promoted)
        let position = try #require(roundZero.firstIndex(of: parent))
        #expect(position % rows.count == 1, "promoted trial \(parent), round-0 trials \(roundZero)")
    }
}
