extension BayesianOptimizer {
    /// The Gaussian process's next configuration for the trials of `context`, one no trial has used, or
    /// nil when the model cannot give one (it cannot be fitted, the space is exhausted, or its choices
    /// collided with tried configurations `BayesianOptimizationStrategy.collisionRetries` times): the
    /// caller then draws at random. Shared by the Bayesian oracle and BOHB.
    ///
    /// COMPLETE trials that `observes` accepts, with a finite score, are the observations (negated for a
    /// maximized objective: the optimizer minimizes); RUNNING and WAITING trials are pending points (the
    /// constant liar); every other trial — failed, pruned, not observed, non-finite — is a point never to
    /// suggest again, with no value.
    mutating func suggestUntried(_ context: StrategyContext, encoding: BayesianSpaceEncoding, cube: UnitCubeSpace,
                                 observes: (Trial) -> Bool) -> [String: HyperParameterValue]? {
        if !context.additionalObjectives.isEmpty || context.trials.contains(where: { !($0.objectiveValues?.constraints.isEmpty ?? true) }) {
            return suggestUntriedForFront(context, encoding: encoding, cube: cube, observes: observes)
        }
        var observations: [Observation] = []
        var pending: [[Double]] = []
        var excluded: [[Double]] = []
        let negates = context.objective.direction == .maximize
        for trial in context.trials {
            guard let point = encoding.point(for: trial.values) else { continue }
            switch trial.state {
            case .complete:
                if observes(trial), let score = trial.score, score.isFinite {
                    observations.append(.init(point: point, value: negates ? -score : score))
                } else {
                    excluded.append(point)
                }
            case .running, .waiting:
                pending.append(point)
            case .failed, .pruned:
                excluded.append(point)
            }
        }
        for _ in 0..<BayesianOptimizationStrategy.collisionRetries {
            // Exhaustion or a model failure: the caller's random fallback enumerates a finite space, so
            // the search stops only when nothing is left.
            guard let point = try? suggest(observations: observations, pending: pending, excluding: excluded, space: cube)
            else { return nil }
            let values = encoding.values(at: point)
            if !context.hasBeenTried(values) { return values }
            excluded.append(point)
        }
        return nil
    }

    /// `suggestUntried` for a search on several objectives or with constraint values: COMPLETE trials
    /// with every value are the observations (objectives in minimization form; their constraint values,
    /// when the study's trials have them, modelled too); every other trial's point is avoided. Nil when
    /// the models cannot give an untried point (the caller draws at random).
    private mutating func suggestUntriedForFront(
        _ context: StrategyContext, encoding: BayesianSpaceEncoding, cube: UnitCubeSpace, observes: (Trial) -> Bool
    ) -> [String: HyperParameterValue]? {
        let directions = context.objectives.map(\.direction)
        let constraintCount = context.trials.lazy.compactMap { $0.objectiveValues?.constraints.count }.max() ?? 0
        var inputs: [[Double]] = [], objectives: [[Double]] = [], constraints: [[Double]] = [], excluded: [[Double]] = []
        for trial in context.trials {
            guard let point = encoding.point(for: trial.values) else { continue }
            guard trial.state == .complete, observes(trial), let values = trial.objectiveValues,
                  values.objectives.count == directions.count, values.constraints.count == constraintCount,
                  values.objectives.allSatisfy(\.isFinite), values.constraints.allSatisfy(\.isFinite),
                  let minimized = try? ParetoDominance.minimizationForm(point: values.objectives, directions: directions)
            else {
                excluded.append(point)
                continue
            }
            inputs.append(point)
            objectives.append(minimized)
            constraints.append(values.constraints)
        }
        guard !inputs.isEmpty else { return nil }
        for _ in 0..<BayesianOptimizationStrategy.collisionRetries {
            guard let point = try? suggestForFront(
                inputs: inputs, objectives: objectives, constraints: constraintCount > 0 ? constraints : nil,
                excluding: excluded, space: cube)
            else { return nil }
            let values = encoding.values(at: point)
            if !context.hasBeenTried(values) { return values }
            excluded.append(point)
        }
        return nil
    }
}
