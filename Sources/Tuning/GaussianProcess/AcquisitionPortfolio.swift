#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A GP-Hedge portfolio of acquisition functions (Hoffman, Brochu and de Freitas, "Portfolio
/// Allocation for Bayesian Optimization", UAI 2011), as scikit-optimize's `gp_hedge` runs it.
///
/// On every model-based suggestion each member proposes its own maximizer (over one shared set of
/// candidates, each refined on its own), and one proposal is drawn with probability
/// `softmax(eta · gains)`. When the model is next refitted (with the new observation), each member's
/// gain drops by the refitted model's posterior mean at its last proposal, in standardized units: a
/// member whose proposals the model now believes low gains. The gains live in the optimizer's
/// `Codable` state, so a resumed search continues identically.
///
/// Difference from scikit-optimize: its gains are in the objective's own units (its GP predicts
/// de-normalized values), so there the same `eta` is nearly an argmax on an objective ranging over
/// hundreds and nearly uniform on one ranging over thousandths; here they are in standardized units.
public struct AcquisitionPortfolio: Sendable, Codable, Hashable {
    /// The acquisition functions that each propose a point; none of them a portfolio.
    public var members: [AcquisitionFunction]
    /// The softmax temperature's inverse: 0 draws uniformly, large values take the member with the
    /// highest gain.
    public var eta: Double

    /// A portfolio of `members` drawn by `softmax(eta · gains)`.
    public init(members: [AcquisitionFunction], eta: Double = 1) {
        self.members = members
        self.eta = eta
    }

    /// scikit-optimize's `gp_hedge`: log expected improvement, log probability of improvement by
    /// 0.01 and the lower confidence bound `μ − 1.96σ`, with `eta` 1.
    public static let scikitOptimize = AcquisitionPortfolio(
        members: [.logExpectedImprovement, .logProbabilityOfImprovement(margin: 0.01), .lowerConfidenceBound(beta: 1.96)],
        eta: 1)

    /// Why the portfolio is unusable, or nil: no member, a nested portfolio, a bad `eta` or `beta`.
    func problem() -> String? {
        if members.isEmpty { return "a hedge portfolio needs at least one member" }
        guard eta.isFinite, eta >= 0 else { return "the hedge's eta must be finite and >= 0, got \(eta)" }
        for member in members {
            if case .hedge = member { return "a hedge portfolio cannot contain another portfolio" }
            if let problem = member.problem() { return problem }
        }
        return nil
    }

    /// The gains after a refit: each member's gain minus the refitted model's standardized posterior
    /// mean at that member's last proposal (`means[i]` for member i).
    public static func updatedGains(_ gains: [Double], meansAtProposals means: [Double]) -> [Double] {
        zip(gains, means).map { $0 - $1 }
    }

    /// The probability of drawing each member: `softmax(eta · gains)`, computed after subtracting the
    /// largest gain so that no exponential overflows.
    public static func probabilities(gains: [Double], eta: Double) -> [Double] {
        guard let largest = gains.max(), largest.isFinite else {
            return [Double](repeating: 1 / Double(Swift.max(gains.count, 1)), count: gains.count)
        }
        let weights = gains.map { exp(eta * ($0 - largest)) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    /// The member drawn by `uniform` (a number in [0, 1)) under `probabilities(gains:eta:)`: the first
    /// whose cumulative probability exceeds it (the last when rounding leaves none).
    public static func drawnMember(gains: [Double], eta: Double, uniform: Double) -> Int {
        var cumulative = 0.0
        let probabilities = probabilities(gains: gains, eta: eta)
        for (index, probability) in probabilities.enumerated() {
            cumulative += probability
            if uniform < cumulative { return index }
        }
        return Swift.max(0, probabilities.count - 1)
    }
}
