import Reports
import StudyStore
import Tuning

/// What one live stream knows of its study between two looks at the store: every trial as last read
/// (for the status line's counts and best score, without reading the study again), and the epochs and the
/// objective's latest value of the trials it has sent rows of. It turns each batch of changes into events.
struct LiveStudyState: Sendable {
    let study: StoredStudy
    /// The columns of the page's table, or nil for a page without one (a trial's page).
    let columns: TrialColumns?
    /// Only this trial's events, when set (a trial's page).
    let trialFilter: Int?
    private(set) var trials: [Int: StoredTrial]
    private var epochs: [Int: Int] = [:]
    private var latest: [Int: (step: Int, value: Double)] = [:]

    /// The state after the first look: the study and its trials (without their curves).
    init(study: StoredStudy, trials: [StoredTrial], columns: TrialColumns?, trialFilter: Int?) {
        self.study = study
        self.columns = columns
        self.trialFilter = trialFilter
        self.trials = Dictionary(trials.map { ($0.number, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The trials whose epochs it does not know yet among those a batch touches: their curves are read
    /// once, in the same read as the batch.
    func unknownCurves(in changes: StudyChanges) -> [(id: Int64, number: Int)] {
        var wanted: [Int: Int64] = [:]
        for trial in changes.trials where epochs[trial.number] == nil && wanted[trial.number] == nil && matches(trial.number) {
            wanted[trial.number] = trial.id
        }
        for change in changes.metrics where epochs[change.trialNumber] == nil && wanted[change.trialNumber] == nil && matches(change.trialNumber) {
            wanted[change.trialNumber] = change.trialID
        }
        return wanted.map { (id: $0.value, number: $0.key) }.sorted { $0.number < $1.number }
    }

    /// Applies a batch (with the curves read for `unknownCurves`) and returns its events, ending with the
    /// cursor to resume from.
    mutating func apply(_ changes: StudyChanges, curves: [Int: MetricsHistory]) -> [LiveEvent] {
        let objective = study.objective.name
        for (number, history) in curves {
            epochs[number] = history.stepCount
            if let point = history[objective]?.last { latest[number] = (point.step, point.value) }
        }
        var events: [LiveEvent] = []
        var metricPoints: [Int: [LiveEvent.MetricsChange.Point]] = [:]
        for change in changes.metrics where matches(change.trialNumber) {
            let number = change.trialNumber
            if curves[number] == nil {
                epochs[number] = max(epochs[number] ?? 0, change.point.step + 1)
                if change.name == objective, change.point.step >= (latest[number]?.step ?? Int.min) {
                    latest[number] = (change.point.step, change.point.value)
                }
            }
            metricPoints[number, default: []].append(.init(name: change.name, step: change.point.step,
                                                           value: NumberFormat.short(change.point.value, digits: 6)))
        }
        for trial in changes.trials {
            trials[trial.number] = trial
            guard matches(trial.number) else { continue }
            events.append(.trial(.init(
                number: trial.number, state: trial.state.rawValue, score: trial.score.map { NumberFormat.short($0, digits: 6) } ?? "",
                epochs: epochs[trial.number] ?? 0, latest: latestText(trial.number),
                row: columns.map { TrialRow.html(trial, epochs: epochs[trial.number] ?? 0, latest: latest[trial.number]?.value, columns: $0) })))
        }
        for (number, points) in metricPoints.sorted(by: { $0.key < $1.key }) {
            events.append(.metrics(.init(number: number, epochs: epochs[number] ?? 0, latest: latestText(number), points: points)))
        }
        if !changes.trials.isEmpty && trialFilter == nil {
            let snapshot = self.snapshot
            var counts = Dictionary(uniqueKeysWithValues: TrialState.allCases.map { ($0.rawValue, snapshot.countsByState[$0] ?? 0) })
            counts["all"] = snapshot.trials.count
            events.append(.summary(html: StudyStatusLine.html(snapshot), counts: counts))
        }
        events.append(.cursor(changes.cursor.token))
        return events
    }

    /// The trials as a snapshot without curves (for the status line and its one ranking).
    var snapshot: StudySnapshot {
        StudySnapshot(study: study, trials: trials.values.map { TrialSnapshot(trial: $0) })
    }

    private func matches(_ number: Int) -> Bool { trialFilter.map { $0 == number } ?? true }

    private func latestText(_ number: Int) -> String {
        latest[number].map { NumberFormat.short($0.value, digits: 6) } ?? ""
    }
}
