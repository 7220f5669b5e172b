import Foundation
import Testing
import Tuning

/// The TPE oracle through the `Oracle` API: determinism, the random startup trials, the model after
/// them, the constant liar, conditional parameters, every kind of domain, both directions, failed and
/// pruned trials, and exhaustion of a finite space.
@Suite struct TPEOracleTests {
    /// Every kind of parameter: linear, stepped, log and multiplicative integers; linear, log,
    /// reverse-log and stepped floats; ordered and unordered choices; a boolean; a fixed value; and a
    /// conditional scope (with a nested one) under the unordered choice.
    static func everyKindSpace() throws -> SearchSpace {
        let hp = HyperParameters()
        try hp.int("layers", min: 1, max: 9)
        try hp.int("width", min: 16, max: 256, step: 16)
        try hp.int("log_units", min: 3, max: 700, sampling: .log)
        try hp.int("power_units", min: 2, max: 256, step: 2, sampling: .log)
        try hp.float("dropout", min: 0, max: 0.5)
        try hp.float("learning_rate", min: 1e-5, max: 1e-1, sampling: .log)
        try hp.float("momentum", min: 0.5, max: 0.999, sampling: .reverseLog)
        try hp.float("decay", min: 0.1, max: 0.9, step: 0.2)
        try hp.choice("batch_size", values: [16, 32, 64, 128])
        try hp.choice("optimizer", values: ["sgd", "adam", "rmsprop"])
        try hp.boolean("normalize")
        try hp.fixed("activation", value: "relu")
        try hp.conditionalScope(parent: "optimizer", values: ["adam"]) {
            try hp.float("beta_1", min: 0.8, max: 0.99)
            try hp.boolean("amsgrad")
            try hp.conditionalScope(parent: "amsgrad", values: [true]) {
                try hp.int("warmup", min: 0, max: 10)
            }
        }
        try hp.conditionalScope(parent: "optimizer", values: ["sgd"]) {
            try hp.float("nesterov_momentum", min: 0.0, max: 0.9)
        }
        return hp.space
    }

    /// A score over `everyKindSpace` (lower is better) that rewards adam with amsgrad and a small warmup.
    static func everyKindScore(_ values: [String: HyperParameterValue]) -> Double {
        var score = 0.0
        score += abs(Double(values["layers"]?.intValue ?? 0) - 4) / 8
        score += abs(log10(values["learning_rate"]?.doubleValue ?? 1) + 3)
        score += values["optimizer"] == "adam" ? 0 : 1
        if values["amsgrad"] == true { score -= 0.3 }
        if let warmup = values["warmup"]?.intValue { score += Double(abs(warmup - 2)) / 10 }
        score += abs((values["dropout"]?.doubleValue ?? 0) - 0.2)
        return score
    }

    /// Runs `oracle` sequentially for all its trials with `score`, minimizing or maximizing.
    static func run(_ oracle: TPEOracle, score: ([String: HyperParameterValue]) -> Double) throws -> [Trial] {
        try runSequentially(oracle) { values, _ in score(values) }
    }

    @Test func theSameSeedGivesTheSameTrialsAndAnotherSeedOthers() throws {
        let space = try Self.everyKindSpace()
        func trials(seed: UInt64) throws -> [[String: HyperParameterValue]] {
            let oracle = try TPEOracle(objective: .minimize("loss"), searchSpace: space, maxTrials: 30, seed: seed)
            return try Self.run(oracle, score: Self.everyKindScore).map(\.values)
        }
        let first = try trials(seed: 5)
        #expect(first.count == 30)
        #expect(try trials(seed: 5) == first)
        #expect(try trials(seed: 6) != first)
    }

    @Test func startupTrialsAreRandomSearchesThenTheModelTakesOver() throws {
        let space = try Self.everyKindSpace()
        let tpe = try TPEOracle(objective: .minimize("loss"), searchSpace: space, maxTrials: 14, seed: 3)
        let random = try RandomSearchOracle(objective: .minimize("loss"), searchSpace: space, maxTrials: 14, seed: 3)
        let tpeTrials = try Self.run(tpe, score: Self.everyKindScore)
        let randomTrials = try runSequentially(random) { values, _ in Self.everyKindScore(values) }
        // Both draw the startup trials from the same generator the same way.
        #expect(tpeTrials.prefix(10).map(\.values) == randomTrials.prefix(10).map(\.values))
        for index in 10..<14 {
            #expect(tpeTrials[index].values != randomTrials[index].values, "trial \(index + 1) comes from the model")
        }
    }

    @Test func numStartupTrialsSetsWhenTheModelStarts() throws {
        let space = try Self.everyKindSpace()
        let tpe = try TPEOracle(objective: .minimize("loss"), searchSpace: space, maxTrials: 5, numStartupTrials: 3, seed: 8)
        let random = try RandomSearchOracle(objective: .minimize("loss"), searchSpace: space, maxTrials: 5, seed: 8)
        let tpeTrials = try Self.run(tpe, score: Self.everyKindScore)
        let randomTrials = try runSequentially(random) { values, _ in Self.everyKindScore(values) }
        #expect(tpeTrials.prefix(3).map(\.values) == randomTrials.prefix(3).map(\.values))
        #expect(tpeTrials[3].values != randomTrials[3].values)
    }

    @Test func runningTrialsDoNotCountTowardTheStartup() throws {
        let space = try Self.everyKindSpace()
        let tpe = try TPEOracle(objective: .minimize("loss"), searchSpace: space, numStartupTrials: 2, seed: 4)
        let random = try RandomSearchOracle(objective: .minimize("loss"), searchSpace: space, seed: 4)
        // Four workers start before any trial finishes: all four are startup (random) trials.
        for worker in 0..<4 {
            let fromTPE = try #require(tpe.createTrial(workerID: "w\(worker)").trial)
            let fromRandom = try #require(random.createTrial(workerID: "w\(worker)").trial)
            #expect(fromTPE.values == fromRandom.values)
        }
    }

    @Test func parallelAsksDifferAndTheLiarPushesThemApart() throws {
        // One float; the best scores near 0.5. With ten finished trials, each of four workers asks in
        // turn while the others run. The liar counts running trials as bad, so the later asks keep away
        // from the earlier ones; without it they crowd the same optimum.
        let space = try SearchSpace([try .float("x", min: 0, max: 1)])
        func spread(liar: Bool, seed: UInt64) throws -> Double {
            let oracle = try TPEOracle(objective: .minimize("loss"), searchSpace: space, constantLiar: liar, seed: seed)
            for _ in 0..<10 {
                let trial = try #require(oracle.createTrial(workerID: "w").trial)
                let x = trial.values["x"]?.doubleValue ?? 0
                try oracle.endTrial(trialID: trial.id, outcome: .complete((x - 0.5) * (x - 0.5)))
            }
            var xs: [Double] = []
            for worker in 0..<4 {
                let trial = try #require(oracle.createTrial(workerID: "parallel \(worker)").trial)
                xs.append(try #require(trial.values["x"]?.doubleValue))
            }
            #expect(Set(xs).count == 4, "four parallel asks, four configurations")
            var nearest = Double.infinity
            for i in 0..<xs.count { for j in 0..<i { nearest = min(nearest, abs(xs[i] - xs[j])) } }
            return nearest
        }
        let seeds: [UInt64] = Array(0..<12)
        let withLiar = try seeds.map { try spread(liar: true, seed: $0) }.reduce(0, +)
        let withoutLiar = try seeds.map { try spread(liar: false, seed: $0) }.reduce(0, +)
        #expect(withLiar > withoutLiar, "closest pair: \(withLiar) with the liar, \(withoutLiar) without (summed over 12 seeds)")
    }

    @Test func theLiarMovesOffARunningConfigurationOfAFiniteSpace() throws {
        // Ten values, the best at 7. Without the liar a second worker is steered onto the same best
        // guess (a duplicate, so it is redrawn); with it the running trial's value is bad and the next
        // ask goes elsewhere at once.
        let space = try SearchSpace([try .int("k", min: 0, max: 9)])
        let oracle = try TPEOracle(objective: .maximize("score"), searchSpace: space, numStartupTrials: 5, seed: 2)
        for _ in 0..<5 {
            let trial = try #require(oracle.createTrial(workerID: "w").trial)
            let k = Double(trial.values["k"]?.intValue ?? 0)
            try oracle.endTrial(trialID: trial.id, outcome: .complete(-abs(k - 7)))
        }
        var running: [Int] = []
        for worker in 0..<4 {
            let trial = try #require(oracle.createTrial(workerID: "p\(worker)").trial)
            running.append(try #require(trial.values["k"]?.intValue))
        }
        #expect(Set(running).count == 4)
    }

    @Test func everyParameterStaysInItsDomainAndInactiveOnesNeverAppear() throws {
        let space = try Self.everyKindSpace()
        let oracle = try TPEOracle(objective: .minimize("loss"), searchSpace: space, maxTrials: 80, seed: 11)
        let trials = try Self.run(oracle, score: Self.everyKindScore)
        #expect(trials.count == 80)
        #expect(Set(trials.map(\.values)).count == 80, "no configuration is suggested twice")
        for trial in trials {
            // `validated` refuses values outside a domain and values for inactive parameters, and adds
            // defaults for active parameters left out, so equality means the trial is exactly right.
            #expect(try space.validated(trial.values) == trial.values, "trial \(trial.id): \(trial.values)")
            let optimizer = trial.values["optimizer"]?.stringValue
            #expect((trial.values["beta_1"] != nil) == (optimizer == "adam"))
            #expect((trial.values["nesterov_momentum"] != nil) == (optimizer == "sgd"))
            #expect((trial.values["warmup"] != nil) == (optimizer == "adam" && trial.values["amsgrad"] == true))
            #expect(trial.values["activation"] == "relu")
            if let units = trial.values["power_units"]?.intValue { #expect([2, 4, 8, 16, 32, 64, 128, 256].contains(units)) }
            if let width = trial.values["width"]?.intValue { #expect(width % 16 == 0) }
        }
        // Every branch of the scopes was explored, the nested one included.
        #expect(trials.contains { $0.values["warmup"] != nil })
        #expect(trials.contains { $0.values["nesterov_momentum"] != nil })
    }

    @Test func conditionalChildrenAreModelledOnlyFromTrialsWhereTheyWereActive() throws {
        // beta_1 scores only matter under adam; sgd trials never had a beta_1, so nothing they did can
        // pull it. Under adam the best beta_1 is near 0.95: the model's adam trials concentrate there.
        let hp = HyperParameters()
        try hp.choice("optimizer", values: ["sgd", "adam"])
        try hp.conditionalScope(parent: "optimizer", values: ["adam"]) {
            try hp.float("beta_1", min: 0.5, max: 1.0)
        }
        let oracle = try TPEOracle(objective: .minimize("loss"), searchSpace: hp.space, maxTrials: 60, seed: 21)
        let trials = try Self.run(oracle) { values in
            guard let beta = values["beta_1"]?.doubleValue else { return 0.3 }
            return abs(beta - 0.95)
        }
        // sgd has one configuration, run at once; TPE keeps favouring that rarely observed branch, and
        // the model's next best untried configuration is taken instead of a random one.
        let modelledBetas = trials.dropFirst(30).compactMap { $0.values["beta_1"]?.doubleValue }
        let randomBetas = trials.prefix(10).compactMap { $0.values["beta_1"]?.doubleValue }
        #expect(modelledBetas.count > 15)
        func meanError(_ betas: [Double]) -> Double { betas.map { abs($0 - 0.95) }.reduce(0, +) / Double(max(betas.count, 1)) }
        #expect(meanError(modelledBetas) < 0.08, "late adam trials' mean |beta_1 - 0.95| is \(meanError(modelledBetas))")
        #expect(meanError(modelledBetas) < meanError(randomBetas) / 2)
        for trial in trials where trial.values["optimizer"] == "sgd" { #expect(trial.values["beta_1"] == nil) }
    }

    @Test func maximizingAndMinimizingTheSameProblemAgree() throws {
        // The same seed and the same ranking of trials: maximizing -f and minimizing f are one search.
        let space = try Self.everyKindSpace()
        let minimizer = try TPEOracle(objective: .minimize("loss"), searchSpace: space, maxTrials: 30, seed: 9)
        let maximizer = try TPEOracle(objective: .maximize("score"), searchSpace: space, maxTrials: 30, seed: 9)
        let minimized = try Self.run(minimizer, score: Self.everyKindScore)
        let maximized = try Self.run(maximizer) { -Self.everyKindScore($0) }
        #expect(minimized.map(\.values) == maximized.map(\.values))
        // And the direction matters: maximizing f itself searches elsewhere.
        let wrongWay = try TPEOracle(objective: .maximize("score"), searchSpace: space, maxTrials: 30, seed: 9)
        let wrong = try Self.run(wrongWay, score: Self.everyKindScore)
        #expect(wrong.map(\.values) != minimized.map(\.values))
        let bestMinimized = minimized.map { Self.everyKindScore($0.values) }.min() ?? .infinity
        let bestOfWrong = wrong.map { Self.everyKindScore($0.values) }.min() ?? .infinity
        #expect(bestMinimized < bestOfWrong)
    }

    @Test func failedTrialsAreIgnoredAndPrunedOnesModelled() throws {
        let space = try SearchSpace([try .float("x", min: 0, max: 10), try .choice("kind", values: ["a", "b", "c"])])
        let oracle = try TPEOracle(objective: .minimize("loss"), searchSpace: space, maxTrials: 40, numStartupTrials: 5, seed: 13)
        var outcomes: [TrialState] = []
        while case .run(let trial) = oracle.createTrial(workerID: "w") {
            let x = trial.values["x"]?.doubleValue ?? 0
            try oracle.reportIntermediate(trialID: trial.id, step: 1, value: abs(x - 3))
            switch trial.id % 4 {
            case 0:
                try oracle.endTrial(trialID: trial.id, outcome: .failed("out of memory"))
            case 1:
                try oracle.endTrial(trialID: trial.id, outcome: .pruned)
            default:
                try oracle.endTrial(trialID: trial.id, outcome: .complete(abs(x - 3) + (trial.values["kind"] == "b" ? 0 : 1)))
            }
            outcomes.append(oracle.trial(trial.id)?.state ?? .waiting)
        }
        #expect(outcomes.count == 40)
        #expect(outcomes.count { $0 == .failed } == 10)
        let best = try #require(oracle.bestTrial)
        #expect(abs((best.values["x"]?.doubleValue ?? 0) - 3) < 0.5)
        #expect(best.values["kind"] == "b")
    }

    @Test func aFiniteSpaceIsExhaustedWithoutRepeatsThenTheSearchIsOver() throws {
        let hp = HyperParameters()
        try hp.int("units", min: 1, max: 4)
        try hp.choice("optimizer", values: ["sgd", "adam"])
        try hp.conditionalScope(parent: "optimizer", values: ["adam"]) {
            try hp.float("beta_1", min: 0.9, max: 0.99, step: 0.03)
        }
        let oracle = try TPEOracle(objective: .maximize("accuracy"), searchSpace: hp.space, numStartupTrials: 4, seed: 1)
        let trials = try runSequentially(oracle)
        // 4 units × (sgd, or adam × 4 values of beta_1) = 20 configurations, each once.
        #expect(trials.count == 20)
        #expect(Set(trials.map(\.values)).count == 20)
        #expect(oracle.createTrial(workerID: "late") == .searchIsOver)
    }

    @Test func settingsOutOfRangeAreRefusedByName() {
        let space = SearchSpace()
        #expect(throws: OracleError.invalidArgument(name: "numStartupTrials", message: "-1 is negative; give 0 or more (Optuna's default is 10).")) {
            try TPEOracle(objective: .minimize("loss"), searchSpace: space, numStartupTrials: -1)
        }
        #expect(throws: OracleError.self) { try TPEOracle(objective: .minimize("loss"), searchSpace: space, numCandidates: 0) }
        #expect(throws: OracleError.self) { try TPEOracle(objective: .minimize("loss"), searchSpace: space, priorWeight: 0) }
        #expect(throws: OracleError.self) { try TPEOracle(objective: .minimize("loss"), searchSpace: space, maxTrials: 0) }
    }

    @Test func aStateWithASettingOutOfRangeIsRefused() throws {
        let oracle = try TPEOracle(objective: .minimize("loss"), searchSpace: try bookSpace(), seed: 1)
        let text = String(decoding: try oracle.exportState(), as: UTF8.self)
        #expect(text.contains(#""kind":"tpe""#))
        #expect(text.contains(#""numCandidates":24"#))
        let broken = Data(text.replacingOccurrences(of: #""numCandidates":24"#, with: #""numCandidates":0"#).utf8)
        #expect(throws: OracleError.self) { try TPEOracle(restoringFrom: broken) }
        #expect(throws: OracleError.stateKindMismatch(expected: "random", found: "tpe")) {
            try RandomSearchOracle(restoringFrom: try oracle.exportState())
        }
    }
}
