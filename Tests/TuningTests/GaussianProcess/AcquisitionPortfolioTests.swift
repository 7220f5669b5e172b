import Foundation
import Testing
import Tuning

/// GP-Hedge (`AcquisitionPortfolio`, `AcquisitionFunction.hedge`): the gains' update and the draw on
/// hand-checkable numbers, the update as the optimizer applies it after a refit, log probability of
/// improvement, and resumption with the gains in the saved state.
@Suite struct AcquisitionPortfolioTests {
    static func hedgeConfiguration(_ portfolio: AcquisitionPortfolio = .scikitOptimize) -> BayesianOptimizer.Configuration {
        var configuration = BayesianOptimizer.Configuration()
        configuration.acquisition = .hedge(portfolio)
        return configuration
    }

    /// A bowl with its minimum at (0.3, 0.7) plus a second, shallower one at (0.8, 0.2).
    static func twoBowls(_ x: [Double]) -> Double {
        let first = (x[0] - 0.3) * (x[0] - 0.3) + (x[1] - 0.7) * (x[1] - 0.7)
        let second = 0.05 + (x[0] - 0.8) * (x[0] - 0.8) + (x[1] - 0.2) * (x[1] - 0.2)
        return Swift.min(first, second)
    }

    @Test func gainsDropByTheMeansAtTheProposals() {
        let updated = AcquisitionPortfolio.updatedGains([0, 0.5, -1], meansAtProposals: [0.25, -0.5, 1])
        #expect(updated == [-0.25, 1, -2])
    }

    @Test func membersAreDrawnBySoftmaxOfEtaTimesGains() {
        // Gains 0 and ln 3: probabilities 1/4 and 3/4; the draw takes the first member below 1/4.
        let gains = [0, log(3.0)]
        let probabilities = AcquisitionPortfolio.probabilities(gains: gains, eta: 1)
        #expect(abs(probabilities[0] - 0.25) < 1e-12 && abs(probabilities[1] - 0.75) < 1e-12)
        #expect(AcquisitionPortfolio.drawnMember(gains: gains, eta: 1, uniform: 0.2) == 0)
        #expect(AcquisitionPortfolio.drawnMember(gains: gains, eta: 1, uniform: 0.3) == 1)
        // eta 2 squares the odds: 1/10 and 9/10.
        let sharper = AcquisitionPortfolio.probabilities(gains: gains, eta: 2)
        #expect(abs(sharper[0] - 0.1) < 1e-12)
        #expect(AcquisitionPortfolio.drawnMember(gains: gains, eta: 2, uniform: 0.2) == 1)
        // eta 0 is uniform; large gains do not overflow.
        let uniform = AcquisitionPortfolio.probabilities(gains: [5, -7, 1], eta: 0)
        #expect(uniform.count == 3)
        for probability in uniform { #expect(abs(probability - 1.0 / 3) < 1e-15) }
        let large = AcquisitionPortfolio.probabilities(gains: [1000, 1000 + log(3.0)], eta: 1)
        #expect(abs(large[1] - 0.75) < 1e-12)
    }

    @Test func logProbabilityOfImprovementMatchesTheDirectFormulaAndStaysFinite() {
        for z in stride(from: -30.0, through: 6, by: 0.37) {
            let x = -z / 2.0.squareRoot()
            // Direct log Φ(z) through the scaled complementary error function, exact enough to z = −30.
            let direct = log(0.5 * exp(x * x) * erfc(x)) - x * x
            let value = StandardNormal.logCDF(z)
            #expect(abs(value - direct) <= 1e-12 * Swift.max(1, abs(direct)), "z = \(z)")
        }
        #expect(abs(StandardNormal.logCDF(0) - log(0.5)) < 1e-15)
        // Φ(−40) ≈ 3.6558935409150e−350 underflows a Double; its logarithm does not.
        #expect(abs(StandardNormal.logCDF(-40) - -804.608442013754) < 1e-9)
        #expect(LogProbabilityOfImprovement.value(mean: 1, standardDeviation: 0, incumbent: 0, margin: 0) == -.infinity)
        #expect(LogProbabilityOfImprovement.value(mean: -1, standardDeviation: 0, incumbent: 0, margin: 0.5) == 0)
    }

    @Test func invalidPortfoliosAreRefused() {
        let invalid: [AcquisitionPortfolio] = [
            AcquisitionPortfolio(members: []),
            AcquisitionPortfolio(members: [.logExpectedImprovement], eta: -1),
            AcquisitionPortfolio(members: [.logExpectedImprovement], eta: .nan),
            AcquisitionPortfolio(members: [.hedge(.scikitOptimize)]),
            AcquisitionPortfolio(members: [.lowerConfidenceBound(beta: -2)]),
        ]
        for portfolio in invalid {
            #expect(throws: BayesianOptimizationError.self) {
                try BayesianOptimizer(configuration: Self.hedgeConfiguration(portfolio), seed: 1)
            }
        }
    }

    /// After each model-based suggestion the optimizer keeps one proposal per member, the suggestion
    /// is one of them, and the next suggestion's refit lowers each gain by the refitted model's
    /// standardized mean there, recomputed here from the observations and the fitted hyperparameters.
    @Test func theOptimizerUpdatesTheGainsWithTheRefittedModel() throws {
        let space = try UnitCubeSpace(continuousDimensions: 2)
        var optimizer = try BayesianOptimizer(configuration: Self.hedgeConfiguration(), seed: 9)
        var observations: [BayesianOptimizer.Observation] = []
        var previousGains: [Double]?
        var previousProposals: [[Double]]?
        var checkedUpdates = 0
        for _ in 0..<14 {
            let point = try optimizer.suggest(observations: observations, space: space)
            if let previousGains, let previousProposals {
                let hyperparameters = try #require(optimizer.lastHyperparameters)
                let model = try GaussianProcess(
                    inputs: observations.map(\.point), targets: observations.map(\.value), hyperparameters: hyperparameters)
                let means = try model.predict(previousProposals).mean.map { ($0 - model.targetMean) / model.targetScale }
                let expected = zip(previousGains, means).map { $0 - $1 }
                for (gain, wanted) in zip(optimizer.portfolioGains, expected) {
                    #expect(abs(gain - wanted) < 1e-9 * Swift.max(1, abs(wanted)))
                }
                checkedUpdates += 1
            }
            if let proposals = optimizer.portfolioProposals {
                #expect(proposals.count == 3)
                #expect(proposals.contains(point))
                previousGains = optimizer.portfolioGains
                previousProposals = proposals
            } else {
                // The initial design proposes nothing and leaves the gains at zero.
                #expect(optimizer.portfolioGains == [0, 0, 0])
            }
            observations.append(.init(point: point, value: Self.twoBowls(point)))
        }
        #expect(checkedUpdates >= 10)
        #expect(optimizer.portfolioGains != [0, 0, 0])
    }

    @Test func aResumedHedgeSearchContinuesExactly() throws {
        let space = try UnitCubeSpace(continuousDimensions: 3)
        func run(_ optimizer: inout BayesianOptimizer, steps: Int, observations: inout [BayesianOptimizer.Observation]) throws {
            for _ in 0..<steps {
                let point = try optimizer.suggest(observations: observations, space: space)
                observations.append(.init(point: point, value: Self.twoBowls(point) + point[2] * point[2]))
            }
        }
        var uninterrupted = try BayesianOptimizer(configuration: Self.hedgeConfiguration(), seed: 21)
        var uninterruptedObservations: [BayesianOptimizer.Observation] = []
        try run(&uninterrupted, steps: 16, observations: &uninterruptedObservations)

        var first = try BayesianOptimizer(configuration: Self.hedgeConfiguration(), seed: 21)
        var observations: [BayesianOptimizer.Observation] = []
        try run(&first, steps: 9, observations: &observations)
        // Saved mid-way, with gains accumulated and proposals waiting to be scored.
        #expect(first.portfolioGains != [0, 0, 0])
        #expect(first.portfolioProposals != nil)
        var resumed = try JSONDecoder().decode(BayesianOptimizer.self, from: try JSONEncoder().encode(first))
        #expect(resumed.portfolioGains == first.portfolioGains)
        try run(&resumed, steps: 7, observations: &observations)
        #expect(observations == uninterruptedObservations)
        #expect(resumed.portfolioGains == uninterrupted.portfolioGains)
    }

    /// A state saved before portfolios existed has no gains: it decodes to zero gains.
    @Test func aStateWithoutGainsDecodesToZeroGains() throws {
        let space = try UnitCubeSpace(continuousDimensions: 2)
        var optimizer = try BayesianOptimizer(configuration: Self.hedgeConfiguration(), seed: 4)
        var observations: [BayesianOptimizer.Observation] = []
        for _ in 0..<8 {
            let point = try optimizer.suggest(observations: observations, space: space)
            observations.append(.init(point: point, value: Self.twoBowls(point)))
        }
        #expect(optimizer.portfolioGains != [0, 0, 0])
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(optimizer)) as? [String: Any])
        #expect(object.removeValue(forKey: "hedgeGains") != nil)
        #expect(object.removeValue(forKey: "hedgeProposals") != nil)
        let decoded = try JSONDecoder().decode(BayesianOptimizer.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(decoded.portfolioGains == [0, 0, 0])
        #expect(decoded.portfolioProposals == nil)
        #expect(decoded.suggestionCount == optimizer.suggestionCount)
    }

    @Test func anInterruptedHedgeOracleSearchResumesExactly() throws {
        try checkExactResume(steps: 80, interruptions: [1, 9, 10, 23, 41]) {
            try BayesianOptimizationOracle(
                objective: .maximize("val_accuracy"), searchSpace: try bookSpace(), maxTrials: 24, acquisition: .hedge,
                seed: 42)
        }
    }
}
