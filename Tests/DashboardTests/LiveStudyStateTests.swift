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
}
