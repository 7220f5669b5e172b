import Foundation
import Testing
import Tuning

/// The Bayesian oracle on several objectives and constraints (log EHVI with one GP per objective and
/// log probability of feasibility), through the oracle's own create/end cycle as a search drives it.
@Suite struct BayesianFrontOracleTests {
    /// On 3-D ZDT1, 25 Bayesian trials (8 random first) reach a larger hypervolume than 25 random ones
    /// for every seed tried: the oracle optimizes the front, not the first objective alone.
    @Test(arguments: [UInt64(0), 1, 2])
    func theFrontImprovesOverRandomSearch(seed: UInt64) throws {
        let problem = try MultiObjectiveProblem.zdt1(dimensionCount: 3)
        let objectives: [Objective] = [.minimize("f1"), .minimize("f2")]
        let bayesian = try BayesianOptimizationOracle(
            objective: objectives[0], additionalObjectives: [objectives[1]], searchSpace: try problem.searchSpace(), maxTrials: 25,
            numInitialPoints: 8, seed: seed)
        let random = try RandomSearchOracle(objective: objectives[0], searchSpace: try problem.searchSpace(), maxTrials: 25, seed: seed)
        let ours = try problem.hypervolume(after: 25, of: bayesian)
        let baseline = try problem.hypervolume(after: 25, of: random)
        #expect(ours > baseline + 0.1, "Bayesian \(ours), random \(baseline)")
        // The state round-trips with the objectives: a restored oracle keeps suggesting on the front.
        let restored = try BayesianOptimizationOracle(restoringFrom: try bayesian.exportState())
        #expect(restored.objective == objectives[0])
    }

    /// On Binh and Korn (two constraints), every suggestion after the initial design is feasible or
    /// nearly so: the probability of feasibility steers the search.
    @Test func constraintsSteerTheSearch() throws {
        let problem = MultiObjectiveProblem.binhKorn
        let bayesian = try BayesianOptimizationOracle(
            objective: .minimize("f1"), additionalObjectives: [.minimize("f2")], searchSpace: try problem.searchSpace(), maxTrials: 24,
            numInitialPoints: 6, seed: 3)
        var infeasibleAfterDesign = 0
        for index in 0..<24 {
            guard case .run(let trial) = bayesian.createTrial(workerID: "w") else { break }
            let point = (0..<2).map { trial.values["x\($0)"]?.doubleValue ?? 0 }
            let (objectives, constraints) = problem.evaluate(point)
            if index >= 6 && !constraints.allSatisfy({ $0 <= 0 }) { infeasibleAfterDesign += 1 }
            try bayesian.endTrial(trialID: trial.id, outcome: .completeWith(TrialValues(objectives: objectives, constraints: constraints)))
        }
        #expect(infeasibleAfterDesign <= 3, "\(infeasibleAfterDesign) of 18 model suggestions infeasible")
    }
}
