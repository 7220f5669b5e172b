@testable import Dashboard
import Foundation
import StudyStore
import Testing
import Tuning

/// The status line a stream keeps current (counts by state, best trial, kept as trials change) says
/// what the page's line says for the same trials, whatever order they change in.
@Suite("Live study state")
struct LiveStudyStateTests {
    static let study = StoredStudy(
        id: 1, definition: NewStudy(name: "s", objective: .minimize("loss"), oracleKind: "random"), createdAt: 0)

    static func trial(_ number: Int, _ state: TrialState, score: Double? = nil) -> StoredTrial {
        StoredTrial(id: Int64(number + 100), studyID: 1, number: number, state: state, hyperparameters: [:], score: score,
                    worker: state == .running ? "w" : nil, createdAt: 0)
    }

    @Test func theStatusLineFollowsEveryChangeAsAFreshSnapshotWould() throws {
        var trials = (0..<6).map { Self.trial($0, .waiting) }
        var state = LiveStudyState(study: Self.study, trials: trials, columns: nil, trialFilter: nil)
        let cursor = try #require(StudyChangeCursor(token: "1"))
        // Each step changes some trials; ties (equal scores) go to the lower number; the best trial can
        // lose its place (its score worsens, or it stops being COMPLETE).
        let steps: [[StoredTrial]] = [
            [Self.trial(0, .running)],
            [Self.trial(0, .complete, score: 0.5), Self.trial(1, .running)],
            [Self.trial(1, .complete, score: 0.5)],
            [Self.trial(2, .complete, score: 0.3), Self.trial(3, .failed)],
            [Self.trial(2, .complete, score: 0.9)],
            [Self.trial(0, .pruned)],
            [Self.trial(4, .complete, score: .nan), Self.trial(5, .complete, score: 0.1), Self.trial(6, .running)],
            [Self.trial(5, .waiting)],
        ]
        for (index, changed) in steps.enumerated() {
            for trial in changed {
                if let position = trials.firstIndex(where: { $0.number == trial.number }) { trials[position] = trial } else { trials.append(trial) }
            }
            let events = state.apply(StudyChanges(cursor: cursor, trials: changed, metrics: []), curves: [:])
            guard case .summary(let html, let counts)? = events.first(where: { if case .summary = $0 { true } else { false } }) else {
                Issue.record("no summary at step \(index)")
                continue
            }
            let fresh = StudySnapshot(study: Self.study, trials: trials.map { TrialSnapshot(trial: $0) })
            #expect(html == StudyStatusLine.html(fresh), "step \(index)")
            #expect(counts["all"] == trials.count && counts["COMPLETE"] == fresh.countsByState[.complete] ?? 0, "step \(index)")
        }
    }

    /// With several objectives the line names the Pareto front, not a best trial, and the stream's line
    /// says what a fresh snapshot's does as trials join, leave (dominated, infeasible, no longer
    /// COMPLETE) and rejoin the front.
    @Test func aStudyWithSeveralObjectivesShowsItsParetoFront() throws {
        let study = StoredStudy(id: 1, definition: NewStudy(name: "mo", objective: .maximize("accuracy"),
                                                            additionalObjectives: [.minimize("params")], oracleKind: "random"),
                                createdAt: 0)
        func told(_ number: Int, _ accuracy: Double, _ params: Double, constraint: Double = -1) -> StoredTrial {
            var trial = Self.trial(number, .complete, score: accuracy)
            trial.values = TrialValues(objectives: [accuracy, params], constraints: [constraint])
            return trial
        }
        var trials = (0..<13).map { Self.trial($0, .waiting) }
        let columns = TrialColumns(studyName: "mo", parameters: [])
        var state = LiveStudyState(study: study, trials: trials, columns: columns, trialFilter: nil)
        // The stream's columns take the study's objectives, whatever the address named.
        #expect(state.columns?.objectives == ["accuracy", "params"] && state.columns?.showsFeasibility == true)
        let cursor = try #require(StudyChangeCursor(token: "1"))
        let steps: [[StoredTrial]] = [
            [told(0, 0.8, 100)],
            [told(1, 0.9, 200), told(2, 0.7, 300)],          // 1 joins, 2 is dominated by 0
            [told(3, 0.95, 50, constraint: 0.5)],             // infeasible: never on the front
            [told(4, 0.95, 60)],                              // dominates 0 and 1
            [Self.trial(4, .pruned)],                         // leaves: 0 and 1 are back
            (5..<13).map { told($0, 0.9 + Double($0) / 1_000, 200 + 10 * Double($0)) },  // a front of ten, eight linked
        ]
        var lines: [String] = []
        for (index, changed) in steps.enumerated() {
            for trial in changed { trials[trial.number] = trial }
            let events = state.apply(StudyChanges(cursor: cursor, trials: changed, metrics: []), curves: [:])
            guard case .summary(let html, _)? = events.first(where: { if case .summary = $0 { true } else { false } }) else {
                Issue.record("no summary at step \(index)")
                continue
            }
            let fresh = StudySnapshot(study: study, trials: trials.map { TrialSnapshot(trial: $0) })
            #expect(html == StudyStatusLine.html(fresh), "step \(index)")
            lines.append(html)
        }
        #expect(lines[0].contains("Pareto front <strong>1 trial</strong>") && !lines[0].contains("best"))
        #expect(lines[2].contains("<strong>2 trials</strong>") && lines[2].contains(">#0<") && lines[2].contains(">#1<"))
        #expect(lines[3].contains("<strong>1 trial</strong>") && lines[3].contains(">#4<"))
        #expect(lines[4].contains("<strong>2 trials</strong>") && !lines[4].contains(">#4<"))
        #expect(lines[5].contains("<strong>10 trials</strong>") && lines[5].contains("… 2 more"))
        // A row has a cell per objective and whether the trial is feasible.
        let row = try #require(state.columns.map { TrialRow.html(told(3, 0.95, 50, constraint: 0.5), epochs: 0, latest: nil, columns: $0) })
        #expect(row.contains(">0.95<") && row.contains(">50<") && row.contains(">no<"), "\(row)")
    }
}
