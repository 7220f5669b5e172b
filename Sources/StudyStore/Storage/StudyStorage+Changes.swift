import Tuning

/// Reading what changed in a study since an earlier read, without reading the whole study again: what a
/// live view (`tuner dashboard`) polls while a search runs. Every `StudyStorage` provides it.
///
/// A read takes a `StudyChangeCursor` (from `changeCursor()`, read in the same `read { }` as the state the
/// reader shows, or from the previous `changes`) and returns the trials inserted or changed since then —
/// a new trial, a state, score, error, worker, hyperparameter or count change; not a heartbeat — and the
/// metric values recorded or replaced since then, with the cursor to pass next time. Nothing committed
/// after the cursor is missed, however writers interleave; a change may be returned twice (a reader applies
/// them by trial number and by metric step, so that is harmless). Both calls only read: they never take a
/// write lock, so a reader cannot delay a worker.
///
/// The stores keep a change mark on each trial and metric row, set by the database itself when a row is
/// written (migration `v4-change-tracking`): SQLite a counter bumped in the writing transaction (writers
/// take turns on SQLite's write lock anyway), PostgreSQL the writing transaction's id, compared with the
/// reader's snapshot (no counter, so workers never wait on one another for it).
public protocol StudyChangeReading: AnyObject {
    /// Where the storage's history of changes is now: pass it to `changes(study:since:)` to get what
    /// changes after this read. Read it in the same `read { }` as the state shown, so that state and cursor
    /// agree.
    ///
    /// - Throws: `StoreError` when the storage cannot be read.
    func changeCursor() throws -> StudyChangeCursor

    /// The trials of study `id` inserted or changed after `cursor`, and its metric values recorded or
    /// replaced after it, in one consistent read, with the cursor that follows them. A study deleted since
    /// returns no change (look the study up by name in the same `read { }` to notice).
    ///
    /// - Throws: `StoreError.invalidArgument` when `cursor` is not one this kind of storage made (a cursor
    ///   of the other backend, or text a client made up); `.damagedData` when a changed trial does not
    ///   decode; other `StoreError`s when the storage cannot be read.
    func changes(study id: Int64, since cursor: StudyChangeCursor) throws -> StudyChanges
}

/// A position in a storage's history of changes, as `changeCursor()` and `changes(study:since:)` return
/// it. Its `token` is text for carrying it across a process boundary (an SSE event id, a URL query),
/// opaque to everyone but the storage that made it: a number for SQLite, a snapshot (`xmin:xmax:xip,...`)
/// for PostgreSQL.
public struct StudyChangeCursor: Hashable, Sendable, CustomStringConvertible {
    /// The most characters a token may have (a PostgreSQL snapshot lists the transactions in progress).
    public static let maximumTokenLength = 65_536

    /// The cursor as text (digits, `:` and `,` only).
    public let token: String

    /// A cursor from its token, or nil when `token` cannot be one (empty, too long, or holding anything
    /// but digits, `:` and `,`). Whether it fits a given storage is checked by `changes(study:since:)`.
    public init?(token: String) {
        guard !token.isEmpty, token.utf8.count <= Self.maximumTokenLength,
              token.utf8.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ",") })
        else { return nil }
        self.token = token
    }

    /// The token.
    public var description: String { token }
}

/// One metric value recorded (or replaced) after a cursor.
public struct MetricChange: Hashable, Sendable {
    /// The trial's storage id.
    public var trialID: Int64
    /// The trial's number in its study.
    public var trialNumber: Int
    /// The metric's name.
    public var name: String
    /// The step and value (NaN kept).
    public var point: MetricPoint

    /// A metric change.
    public init(trialID: Int64, trialNumber: Int, name: String, point: MetricPoint) {
        self.trialID = trialID
        self.trialNumber = trialNumber
        self.name = name
        self.point = point
    }

    /// Equal when the same value of the same point (NaN equals NaN here, unlike `Double`'s `==`).
    public static func == (a: MetricChange, b: MetricChange) -> Bool {
        a.trialID == b.trialID && a.trialNumber == b.trialNumber && a.name == b.name && a.point.step == b.point.step
            && (a.point.value == b.point.value || (a.point.value.isNaN && b.point.value.isNaN))
    }

    /// Hashes the point (NaN as one value).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(trialID)
        hasher.combine(name)
        hasher.combine(point.step)
        hasher.combine(point.value.isNaN ? Double.nan.bitPattern : point.value.bitPattern)
    }
}

/// What changed in one study between two cursors.
public struct StudyChanges: Sendable, Equatable {
    /// Where the next `changes(study:since:)` starts.
    public var cursor: StudyChangeCursor
    /// The trials inserted or changed, as they are now, by number.
    public var trials: [StoredTrial]
    /// The metric values recorded or replaced, by trial number, metric name and step.
    public var metrics: [MetricChange]

    /// Changes from their parts (sorted as documented).
    public init(cursor: StudyChangeCursor, trials: [StoredTrial], metrics: [MetricChange]) {
        self.cursor = cursor
        self.trials = trials.sorted { $0.number < $1.number }
        self.metrics = metrics.sorted { ($0.trialNumber, $0.name, $0.point.step) < ($1.trialNumber, $1.name, $1.point.step) }
    }

    /// Whether nothing changed.
    public var isEmpty: Bool { trials.isEmpty && metrics.isEmpty }
}
