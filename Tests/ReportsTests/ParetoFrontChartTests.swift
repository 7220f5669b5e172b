import Foundation
import Reports
import StudyStore
import Testing
import Tuning
import TestSupport

/// The report of a study with several objectives draws its Pareto front: one chart per pair of
/// objectives, the front's trials marked as on it, infeasible trials as such, none for one objective.
@Suite struct ParetoFrontChartTests {
    /// A study on `objectives` with trials ending with `rows` of values and one constraint value each.
    func report(objectives: [Objective], rows: [[Double]], constraints: [Double]) throws -> StudyReport {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        let study = try store.createStudy(NewStudy(
            name: "front", objective: objectives[0], additionalObjectives: Array(objectives.dropFirst()), oracleKind: "random"))
        for (index, row) in rows.enumerated() {
            let trial = try store.insertTrial(study: study.id, number: index + 1, state: .running, hyperparameters: ["x": .float(Double(index))],
                                              worker: "w")
            try store.finishTrial(trial.id, worker: "w", state: .complete, score: row[0],
                                  values: TrialValues(objectives: row, constraints: [constraints[index]]))
        }
        return try StudyReport.load(from: store, study: "front")
    }

    @Test func twoObjectivesGiveOneChartWithTheFrontMarked() throws {
        let report = try report(objectives: [.maximize("accuracy"), .minimize("params")],
                                rows: [[0.9, 1000], [0.8, 500], [0.95, 900], [0.7, 2000]], constraints: [-1, -1, 1, -1])
        let html = HTMLReport(report).render()
        #expect(html.contains("id=\"pareto-front\""))
        #expect(html.contains("trial 1: accuracy 0.9, params 1000 (on the front)"))
        #expect(html.contains("trial 2: accuracy 0.8, params 500 (on the front)"))
        #expect(html.contains("trial 3: accuracy 0.95, params 900 (infeasible)"))
        #expect(html.contains("trial 4: accuracy 0.7, params 2000</title>"))
        #expect(!html.contains("trial 4: accuracy 0.7, params 2000 (on the front)"))
        // The hypervolume grows with trials 1 and 2, not with the infeasible 3 nor the dominated 4.
        #expect(html.contains("id=\"hypervolume\""))
        // Reference (−0.68, 2150) in minimization form: 0.22 × 1150 = 253, plus trial 2's 0.12 × 500.
        #expect(html.contains("after trial 1: 253<") && html.contains("after trial 2: 313<"))
        #expect(html.contains("after trial 3: 313<") && html.contains("after trial 4: 313<"))
    }

    @Test func threeObjectivesGiveAChartPerPair() throws {
        let report = try report(objectives: [.maximize("a"), .minimize("b"), .minimize("c")],
                                rows: [[1, 1, 1], [2, 2, 2], [0, 0, 3]], constraints: [0, 0, 0])
        let html = HTMLReport(report).render()
        for id in ["pareto-front", "pareto-front-2", "pareto-front-3"] { #expect(html.contains("id=\"\(id)\"")) }
        #expect(!html.contains("id=\"pareto-front-4\""))
    }

    @Test func oneObjectiveHasNoFrontChart() throws {
        let report = try report(objectives: [.minimize("loss")], rows: [[1], [2]], constraints: [0, 0])
        #expect(!HTMLReport(report).render().contains("pareto-front"))
    }
}
