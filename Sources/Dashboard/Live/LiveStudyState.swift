import Reports
import StudyStore
import Tuning

/// What one live stream knows of its study between two looks at the store: every trial as last read, the
/// counts by state and the best trial kept as they change (so the status line needs neither a read of the
/// study nor a pass over it; a study with several objectives has its Pareto front found again after each
/// batch that changes trials), and the epochs and the objective's latest value of the trials it has sent
/// rows of. It turns each batch of changes into events.
struct LiveStudyState: Sendable {
    let study: StoredStudy
    /// The columns of the page's table, or nil for a page without one (a trial's page).
    let columns: TrialColumns?
    /// Only this trial's events, when set (a trial's page).
    let trialFilter: Int?
    private(set) var trials: [Int: StoredTrial]
    /// The trials by state, kept as trials change (the status line needs no pass over the study).
    private var counts: [TrialState: Int] = [:]
    /// The best trial by the one ranking (`StudySnapshot`'s), kept as trials change.
    private var best: StoredTrial?
    private var epochs: [Int: Int] = [:]
    private var latest: [Int: (step: Int, value: Double)] = [:]
    /// The study's note as last sent; nil before the first look (which sends it, in case it changed
    /// between the page's read and the stream's first look).
    private var shownNote: StudyNote?

    /// The state after the first look: the study and its trials (without their curves).
    init(study: StoredStudy, trials: [StoredTrial], columns: TrialColumns?, trialFilter: Int?) {
        self.study = study
        self.columns = columns?.with(objectivesOf: study)
        self.trialFilter = trialFilter
        self.trials = Dictionary(trials.map { ($0.number, $0) }, uniquingKeysWith: { _, last in last })
        for trial in self.trials.values { counts[trial.state, default: 0] += 1 }
        // Several objectives have a front, not a best trial (`standing`).
        if !study.definition.isMultiObjective {
            best = StudySnapshot(study: study, trials: self.trials.values.map { TrialSnapshot(trial: $0) }).bestTrial?.trial
        }
    }

    /// Records `trial` as it is now, keeping the counts and the best trial current.
    private mutating func record(_ trial: StoredTrial) {
        let old = trials.updateValue(trial, forKey: trial.number)
        if let old { counts[old.state, default: 0] -= 1 }
        counts[trial.state, default: 0] += 1
        guard !study.definition.isMultiObjective else { return }
        if let best, best.number == trial.number {
            // The best trial changed: when it stays as good it stays best, else the whole ranking decides.
            if trial.finiteScore != nil && trial.finiteScore == best.finiteScore {
                self.best = trial
            } else {
                self.best = StudySnapshot(study: study, trials: trials.values.map { TrialSnapshot(trial: $0) }).bestTrial?.trial
            }
        } else if trial.finiteScore != nil {
            // The one ranking between the two.
            let pair = [trial, best].compactMap { $0 }.map { TrialSnapshot(trial: $0) }
            self.best = StudySnapshot(study: study, trials: pair).bestTrial?.trial
        }
    }

    /// What a look at the store found: the changes since the cursor with the curves of the trials the
    /// stream had not seen, or that the study is gone (deleted, or replaced by another of its name).
    enum Look: Sendable {
        case changes(StudyChanges, curves: [Int: MetricsHistory], note: StudyNote)
        case studyGone
    }

    /// The first look of a stream: the study and its trials without their curves, in one read; nil when
    /// there is no such study.
    ///
    /// - Throws: `StoreError` when the storage cannot be read.
    static func firstLook(_ store: any StudyStorage, study name: String, columns: TrialColumns?,
                          trialFilter: Int?) throws -> LiveStudyState? {
        try store.read { store in
            guard let study = try store.study(named: name) else { return nil }
            return LiveStudyState(study: study, trials: try store.trials(study: study.id), columns: columns, trialFilter: trialFilter)
        }
    }

    /// One look, in one read: is the study still this one (and its note, read with it), what changed since
    /// `cursor` (`StudyChangeReading.changes`), and the curves of the trials among them the stream has not seen.
    ///
    /// - Throws: `StoreError.invalidArgument` for a cursor of another storage; other `StoreError`s when the
    ///   storage cannot be read.
    func look(_ store: any StudyStorage, since cursor: StudyChangeCursor) throws -> Look {
        let name = study.name, id = study.id
        return try store.read { store in
            guard let current = try store.study(named: name), current.id == id else { return .studyGone }
            let changes = try store.changes(study: id, since: cursor)
            var curves: [Int: MetricsHistory] = [:]
            for trial in unknownCurves(in: changes) { curves[trial.number] = try store.metrics(trial: trial.id) }
            return .changes(changes, curves: curves, note: current.note)
        }
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

    /// Applies a batch (with the curves read for `unknownCurves`, and the study's note as read with it) and
    /// returns its events, ending with the cursor to resume from. A study page gets a `note` event when the
    /// note differs from the one it was last sent.
    mutating func apply(_ changes: StudyChanges, curves: [Int: MetricsHistory], note: StudyNote? = nil) -> [LiveEvent] {
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
            record(trial)
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
            var shown = Dictionary(uniqueKeysWithValues: TrialState.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
            shown["all"] = trials.count
            events.append(.summary(html: StudyStatusLine.html(study: study.name, objective: study.objective.name, total: trials.count,
                                                               counts: counts, standing: standing), counts: shown))
        }
        if let note, trialFilter == nil, note != shownNote {
            shownNote = note
            events.append(.note(note.text))
        }
        events.append(.cursor(changes.cursor.token))
        return events
    }

    /// The status line's standing: the best trial kept by `record`, or the Pareto front of every trial.
    private var standing: StudyStatusLine.Standing {
        guard study.definition.isMultiObjective else { return .best(best) }
        return .front(StudySnapshot(study: study, trials: trials.values.map { TrialSnapshot(trial: $0) }).paretoFront.map(\.trial.number))
    }

    private func matches(_ number: Int) -> Bool { trialFilter.map { $0 == number } ?? true }

    private func latestText(_ number: Int) -> String {
        latest[number].map { NumberFormat.short($0.value, digits: 6) } ?? ""
    }
}
