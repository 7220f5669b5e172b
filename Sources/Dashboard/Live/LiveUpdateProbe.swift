import StudyStore

/// One live stream's work without the HTTP around it, for `tuner-bench`'s dashboard figures: the first
/// look, then each update exactly as a stream makes it (one read of the changes since the cursor and of
/// the curves of trials not seen before, the events rendered and encoded), on a connection of its own.
@_spi(Benchmarks)
public struct LiveUpdateProbe {
    private let store: any StudyStorage
    private var state: LiveStudyState
    private var cursor: StudyChangeCursor

    /// A stream of study `name` of `storage`, as a study page opens it (with the page's columns: the
    /// study's search space), starting now.
    ///
    /// - Throws: `StoreError` when the storage cannot be read, `.studyNotFound` without such a study.
    public init(storage: String, study name: String) throws {
        store = try openStudyStorage(storage)
        cursor = try store.changeCursor()
        guard let snapshotStudy = try store.study(named: name) else { throw StoreError.studyNotFound(name: name) }
        let columns = TrialColumns(studyName: name, parameters: snapshotStudy.searchSpace.names, study: snapshotStudy.definition)
        guard let first = try LiveStudyState.firstLook(store, study: name, columns: columns, trialFilter: nil) else {
            throw StoreError.studyNotFound(name: name)
        }
        state = first
    }

    /// One update: reads what changed since the last one and returns how many events it made and the
    /// bytes they take on the wire.
    ///
    /// - Throws: `StoreError` when the storage cannot be read.
    public mutating func update() throws -> (events: Int, bytes: Int) {
        switch try state.look(store, since: cursor) {
        case .studyGone:
            return (0, 0)
        case .changes(let changes, let curves, let note):
            cursor = changes.cursor
            let events = state.apply(changes, curves: curves, note: note)
            return (events.count, LiveEvent.buffer(events).readableBytes)
        }
    }
}
