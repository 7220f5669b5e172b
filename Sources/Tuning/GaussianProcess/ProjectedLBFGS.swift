/// Limited-memory BFGS with box bounds by projection, for the few (d + 2) kernel hyperparameters.
///
/// Variables sitting on a bound with the gradient pushing outward are frozen for the step (that is
/// how the noise variance parks on its lower bound for noise-free objectives); the others follow the
/// two-loop L-BFGS direction, and a backtracking Armijo search runs along the projected path. This is
/// simpler than L-BFGS-B's Cauchy point and subspace minimization and is enough for a smooth objective
/// in a few dozen variables: when the quasi-Newton direction is not a descent direction the memory is
/// dropped and projected steepest descent is used instead, so every accepted step decreases the
/// objective.
struct ProjectedLBFGS {
    /// The number of (s, y) pairs kept.
    var memory = 8
    /// Iterations (accepted steps) at most.
    var maximumIterations = 100
    /// Stop when the largest component of the projected gradient is below this.
    var gradientTolerance = 1e-5
    /// Stop when a step decreases the objective by less than this fraction of its magnitude
    /// (SciPy's L-BFGS-B default `factr = 1e7` times machine epsilon).
    var relativeTolerance = 2.2e-9

    struct Result {
        var point: [Double]
        var value: Double
        var iterations: Int
        var evaluations: Int
    }

    /// Minimizes `objective` (returning the value and gradient, or nil where it is undefined, which the
    /// line search treats as +∞) from `start` within `lower ... upper` componentwise. Returns nil when
    /// the objective is undefined at the (clamped) start.
    func minimize(
        from start: [Double], lower: [Double], upper: [Double],
        objective: ([Double]) -> (value: Double, gradient: [Double])?
    ) -> Result? {
        let count = start.count
        func clamp(_ x: [Double]) -> [Double] {
            var result = x
            for i in 0..<count { result[i] = Swift.min(upper[i], Swift.max(lower[i], x[i])) }
            return result
        }
        var x = clamp(start)
        guard let first = objective(x), first.value.isFinite else { return nil }
        var value = first.value
        var gradient = first.gradient
        var evaluations = 1
        var steps: [[Double]] = [], changes: [[Double]] = [], inverseCurvatures: [Double] = []
        var iterations = 0

        while iterations < maximumIterations {
            // Components that may move: inside the box, or on a bound with the gradient pointing inward.
            var free = [Bool](repeating: true, count: count)
            var projectedNorm = 0.0
            for i in 0..<count {
                if (x[i] <= lower[i] && gradient[i] > 0) || (x[i] >= upper[i] && gradient[i] < 0) || lower[i] == upper[i] {
                    free[i] = false
                } else {
                    projectedNorm = Swift.max(projectedNorm, abs(gradient[i]))
                }
            }
            if projectedNorm < gradientTolerance { break }

            var direction = twoLoopDirection(gradient: gradient, free: free, steps: steps, changes: changes,
                                             inverseCurvatures: inverseCurvatures)
            var slope = dot(direction, gradient)
            if !(slope < 0) {
                steps.removeAll(); changes.removeAll(); inverseCurvatures.removeAll()
                direction = (0..<count).map { free[$0] ? -gradient[$0] : 0 }
                slope = dot(direction, gradient)
            }
            // Without curvature information the gradient's scale is arbitrary: cap the first move at one
            // unit (a factor e in the hyperparameters).
            var stepLength = 1.0
            if steps.isEmpty {
                let largest = direction.reduce(0) { Swift.max($0, abs($1)) }
                if largest > 1 { stepLength = 1 / largest }
            }
            var accepted: (point: [Double], value: Double, gradient: [Double])?
            for _ in 0..<40 {
                let candidate = clamp((0..<count).map { x[$0] + stepLength * direction[$0] })
                if candidate == x { break }
                evaluations += 1
                if let trial = objective(candidate), trial.value.isFinite {
                    var decrease = 0.0
                    for i in 0..<count { decrease += gradient[i] * (candidate[i] - x[i]) }
                    if trial.value <= value + 1e-4 * decrease {
                        accepted = (candidate, trial.value, trial.gradient)
                        break
                    }
                }
                stepLength *= 0.5
            }
            guard let next = accepted else {
                // A failed search with curvature memory may be the memory's fault: retry once without it.
                if steps.isEmpty { break }
                steps.removeAll(); changes.removeAll(); inverseCurvatures.removeAll()
                continue
            }
            iterations += 1
            let s = (0..<count).map { next.point[$0] - x[$0] }
            let y = (0..<count).map { next.gradient[$0] - gradient[$0] }
            let curvature = dot(s, y)
            if curvature > 1e-10 * dot(y, y) && curvature > 0 {
                steps.append(s); changes.append(y); inverseCurvatures.append(1 / curvature)
                if steps.count > memory {
                    steps.removeFirst(); changes.removeFirst(); inverseCurvatures.removeFirst()
                }
            }
            let previous = value
            x = next.point
            value = next.value
            gradient = next.gradient
            if previous - value <= relativeTolerance * Swift.max(abs(previous), abs(value), 1) { break }
        }
        return Result(point: x, value: value, iterations: iterations, evaluations: evaluations)
    }

    /// `-H g` restricted to the free components, H being the L-BFGS inverse-Hessian approximation.
    private func twoLoopDirection(
        gradient: [Double], free: [Bool], steps: [[Double]], changes: [[Double]], inverseCurvatures: [Double]
    ) -> [Double] {
        let count = gradient.count
        var q = (0..<count).map { free[$0] ? gradient[$0] : 0 }
        var alphas = [Double](repeating: 0, count: steps.count)
        for k in stride(from: steps.count - 1, through: 0, by: -1) {
            alphas[k] = inverseCurvatures[k] * dot(steps[k], q)
            for i in 0..<count { q[i] -= alphas[k] * changes[k][i] }
        }
        if let s = steps.last, let y = changes.last {
            let scale = dot(s, y) / Swift.max(dot(y, y), Double.leastNormalMagnitude)
            for i in 0..<count { q[i] *= scale }
        }
        for k in 0..<steps.count {
            let beta = inverseCurvatures[k] * dot(changes[k], q)
            for i in 0..<count { q[i] += steps[k][i] * (alphas[k] - beta) }
        }
        return (0..<count).map { free[$0] ? -q[$0] : 0 }
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<a.count { sum += a[i] * b[i] }
        return sum
    }
}
