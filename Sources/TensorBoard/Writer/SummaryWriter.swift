import Dispatch
import Foundation
import Neural
import Synchronization

/// Writes summaries for TensorBoard into one run folder: the twin of `tf.summary.create_file_writer(logdir)`.
///
/// ```swift
/// let writer = try SummaryWriter(logDirectory: "logs/run_1")
/// for step in 1...10 { try writer.scalar("loss", value: 1 / Double(step), step: step) }
/// try writer.histogram("weights", values: weights, step: 10)
/// try writer.image("sample", pixels: pixels, width: 28, height: 28, step: 10)
/// try writer.text("note", "first run", step: 0)
/// try writer.close()
/// ```
///
/// Then `tensorboard --logdir logs` shows the run. The writer creates the folder and a new event file in
/// it (`events.out.tfevents.<unix seconds>.<hostname>.<pid>.<counter>.v2`, see docs/tensorboard.md): TFRecord
/// framing (``RecordWriter``) around `Event` messages, the first one `file_version: "brain.Event:2"`.
/// Events are buffered; they reach the file on ``flush()``, on ``close()``, every `flushInterval` and
/// when the writer is released.
///
/// One writer per run folder, as in TensorFlow: two writers in one folder make two files TensorBoard
/// merges into one run. The writer is safe to use from several threads (a mutex orders the events).
/// A flush on the timer cannot throw: when it fails, the next call of the writer throws its error.
public final class SummaryWriter: Sendable {
    /// The run folder.
    public let logDirectory: String
    /// The event file's path inside ``logDirectory``.
    public let path: String
    /// How often buffered events are flushed by a timer; nil for only on ``flush()`` and ``close()``.
    public let flushInterval: Duration?

    /// Two seconds: soon enough for a TensorBoard that is watching the run (TensorFlow's 120 s default
    /// leaves a short run's curves empty until it ends), cheap next to any training step worth logging.
    public static let defaultFlushInterval: Duration = .seconds(2)

    private struct State {
        /// nil once closed.
        var file: RecordWriter?
        /// The error of a flush on the timer, thrown by the next call.
        var pendingError: SummaryWriterError?
        var timer: (any DispatchSourceTimer)?
    }

    private let state: Mutex<State>

    /// Creates `logDirectory` (and its parents) when missing, and a new event file in it holding the
    /// file-version event, flushed so that TensorBoard sees the run at once.
    ///
    /// - Parameter flushInterval: how often buffered events reach the file (``defaultFlushInterval``);
    ///   nil or not positive for no timer.
    /// - Throws: ``SummaryWriterError/cannotCreateFolder(path:reason:)`` when the folder cannot be made,
    ///   ``SummaryWriterError/writeFailed(path:reason:)`` when the file cannot be created or written.
    public init(logDirectory: String, flushInterval: Duration? = SummaryWriter.defaultFlushInterval) throws(SummaryWriterError) {
        self.logDirectory = logDirectory
        let interval = flushInterval.flatMap { $0 > .zero ? $0 : nil }
        self.flushInterval = interval
        do {
            try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreateFolder(path: logDirectory, reason: Self.reason(error))
        }
        let now = Date().timeIntervalSince1970
        let path = URL(fileURLWithPath: logDirectory).appendingPathComponent(EventFileName.next(time: now)).path
        self.path = path
        let file: RecordWriter
        do {
            file = try RecordWriter(path: path)
            try file.write(Event(wallTime: now, what: .fileVersion(Event.currentFileVersion)).serializedBytes())
            try file.flush()
        } catch {
            throw .writeFailed(path: path, reason: error.reason)
        }
        state = Mutex(State(file: file))
        if let interval { startTimer(every: interval) }
    }

    deinit {
        // The file itself is closed (and flushed) when the state goes away with the writer.
        state.withLock { $0.timer?.cancel() }
    }

    // MARK: - Summaries

    /// Writes `value` under `name` at `step`, as a float32 `simple_value` (the scalars dashboard's data;
    /// the value is rounded to float32 as in TensorFlow). NaN and infinities are written as they are.
    ///
    /// - Throws: ``SummaryWriterError/emptyTag``, ``SummaryWriterError/closed(path:)``, or
    ///   ``SummaryWriterError/writeFailed(path:reason:)`` (also for an earlier flush on the timer).
    public func scalar(_ name: String, value: Double, step: Int) throws(SummaryWriterError) {
        try write(Summary.Value(tag: name, kind: .simpleValue(Float(value))), step: step)
    }

    /// Writes the distribution of `values` under `name` at `step`: a `HistogramProto` of `buckets`
    /// equal-width buckets between their minimum and maximum, with their count, sum and sum of squares
    /// (``HistogramProto/equalWidthBuckets(of:buckets:)``), shown by the histograms and distributions
    /// dashboards.
    ///
    /// - Throws: ``SummaryWriterError/invalidHistogram(tag:message:)`` when a value is NaN or infinite (as
    ///   TensorFlow's "Nan in summary histogram"), or when `buckets` is not positive; otherwise as ``scalar(_:value:step:)``.
    public func histogram<V: BinaryFloatingPoint>(_ name: String, values: [V], step: Int, buckets: Int = 30) throws(SummaryWriterError) {
        guard buckets > 0 else { throw .invalidHistogram(tag: name, message: "\(buckets) buckets (needs at least 1)") }
        var doubles = [Double]()
        doubles.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            let double = Double(value)
            guard double.isFinite else {
                throw .invalidHistogram(tag: name, message: "value \(index) is \(double): a histogram needs finite values")
            }
            doubles.append(double)
        }
        let histogram = HistogramProto.equalWidthBuckets(of: doubles, buckets: buckets)
        try write(Summary.Value(tag: name, kind: .histogram(histogram)), step: step)
    }

    /// Writes an image under `name` at `step`: `pixels` row-major, `channels` interleaved bytes per pixel
    /// (1 grayscale, 3 RGB), PNG-encoded (``PNGWriter``) into a `Summary.Image`, shown by the images dashboard.
    ///
    /// - Throws: ``SummaryWriterError/invalidImage(tag:message:)`` when `channels` is not 1 or 3, a size is
    ///   not positive or there are not `width · height · channels` values; otherwise as ``scalar(_:value:step:)``.
    public func image(_ name: String, pixels: [UInt8], width: Int, height: Int, channels: Int = 1,
                      step: Int) throws(SummaryWriterError) {
        let png: [UInt8]
        do {
            png = try PNGWriter.encode(pixels: pixels, width: width, height: height, channels: channels)
        } catch {
            throw .invalidImage(tag: name, message: error.description)
        }
        // PNGWriter has checked that both sizes fit in Int32.
        let image = Summary.Image(height: Int32(height), width: Int32(width), colorspace: channels == 1 ? 1 : 3,
                                  encodedImage: png)
        try write(Summary.Value(tag: name, kind: .image(image)), step: step)
    }

    /// Writes `text` under `name` at `step` as `tf.summary.text` does: a rank-0 `DT_STRING` tensor with
    /// the text plugin's metadata, shown (as Markdown) by the text dashboard.
    ///
    /// - Throws: as ``scalar(_:value:step:)``.
    public func text(_ name: String, _ text: String, step: Int) throws(SummaryWriterError) {
        try write(Summary.Value(tag: name, metadata: .text, kind: .tensor(.scalar(string: text))), step: step)
    }

    /// Writes `value` in an event of its own at `step`, timed now: for summaries the methods above do not make.
    ///
    /// - Throws: as ``scalar(_:value:step:)``.
    public func write(_ value: Summary.Value, step: Int) throws(SummaryWriterError) {
        guard !value.tag.isEmpty else { throw .emptyTag }
        try write(Event(wallTime: Date().timeIntervalSince1970, step: Int64(step), what: .summary(Summary(values: [value]))))
    }

    /// Appends `event` to the file as one record.
    ///
    /// - Throws: ``SummaryWriterError/closed(path:)`` after ``close()``,
    ///   ``SummaryWriterError/writeFailed(path:reason:)`` when writing (or an earlier timed flush) failed.
    public func write(_ event: Event) throws(SummaryWriterError) {
        let bytes = event.serializedBytes()
        try state.withLock { (state: inout State) throws(SummaryWriterError) in
            if let error = state.pendingError {
                state.pendingError = nil
                throw error
            }
            guard let file = state.file else { throw .closed(path: path) }
            do throws(DatasetError) { try file.write(bytes) } catch { throw .writeFailed(path: path, reason: error.reason) }
        }
    }

    // MARK: - Flushing and closing

    /// Writes the buffered events to the file, where TensorBoard sees them. Does nothing once closed.
    ///
    /// - Throws: ``SummaryWriterError/writeFailed(path:reason:)`` when the flush (or an earlier timed one) fails.
    public func flush() throws(SummaryWriterError) {
        try state.withLock { (state: inout State) throws(SummaryWriterError) in
            if let error = state.pendingError {
                state.pendingError = nil
                throw error
            }
            guard let file = state.file else { return }
            do throws(DatasetError) { try file.flush() } catch { throw .writeFailed(path: path, reason: error.reason) }
        }
    }

    /// Stops the timer, flushes and closes the file; later writes throw ``SummaryWriterError/closed(path:)``.
    /// Closing again does nothing.
    ///
    /// - Throws: ``SummaryWriterError/writeFailed(path:reason:)`` when the last flush (or an earlier timed
    ///   one) fails; the file is closed all the same.
    public func close() throws(SummaryWriterError) {
        try state.withLock { (state: inout State) throws(SummaryWriterError) in
            state.timer?.cancel()
            state.timer = nil
            let pending = state.pendingError
            state.pendingError = nil
            guard let file = state.file else {
                if let pending { throw pending }
                return
            }
            state.file = nil
            do throws(DatasetError) { try file.close() } catch { throw .writeFailed(path: path, reason: error.reason) }
            if let pending { throw pending }
        }
    }

    // MARK: - Timer

    private func startTimer(every interval: Duration) {
        let (seconds, attoseconds) = interval.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let total = nanoseconds.overflow ? Int64.max : nanoseconds.partialValue.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
        let repeating = DispatchTimeInterval.nanoseconds(Int(clamping: total))
        // Made inside the lock: the state owns the timer (a non-Sendable source) from its first moment.
        state.withLock { state in
            let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
            timer.schedule(deadline: .now() + repeating, repeating: repeating, leeway: .milliseconds(100))
            // Weak: the timer must not keep the writer alive (releasing it closes the file and cancels the timer).
            timer.setEventHandler { [weak self] in self?.flushOnTimer() }
            timer.resume()
            state.timer = timer
        }
    }

    private func flushOnTimer() {
        state.withLock { state in
            guard let file = state.file, state.pendingError == nil else { return }
            do throws(DatasetError) { try file.flush() } catch { state.pendingError = .writeFailed(path: path, reason: error.reason) }
        }
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedDescription
    }
}
