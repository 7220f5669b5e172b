import Foundation
import Neural
import TensorBoard
import Testing
import TestSupport

/// `SummaryWriter` on its own: the file it makes, flushing, closing, threads and its errors. What the
/// events mean to TensorBoard is TensorBoardReadTests' part.
@Suite("TensorBoard SummaryWriter")
struct SummaryWriterTests {
    /// The records of the event file at `path`, read back through Neural's TFRecord reader (which checks the CRCs).
    static func records(_ path: String) throws -> [[UInt8]] {
        try Dataset.records(paths: [path]).elements()
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? -1
    }

    @Test func createsTheFolderAndANamedFileStartingWithTheFileVersion() throws {
        let directory = try TemporaryDirectory("tensorboard-writer")
        let folder = directory.path("logs/run_1")
        let before = Int(Date().timeIntervalSince1970)
        let writer = try SummaryWriter(logDirectory: folder)
        let name = URL(fileURLWithPath: writer.path).lastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [name])
        // events.out.tfevents.<unix seconds>.<hostname>.<pid>.<counter>.v2
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(parts.prefix(3)) == ["events", "out", "tfevents"])
        #expect(parts.last == "v2")
        let seconds = try #require(Int(parts[3]))
        #expect(seconds >= before && seconds <= before + 5)
        #expect(parts[parts.count - 3] == String(ProcessInfo.processInfo.processIdentifier))
        #expect(Int(parts[parts.count - 2]) != nil)
        // The file-version event is on disk at once, before any flush.
        let first = try #require(try Self.records(writer.path).first)
        #expect(first.count > 15 && first.suffix(15) == [0x1A, 0x0D] + Array("brain.Event:2".utf8))
        try writer.close()
    }

    @Test func twoWritersInOneFolderWriteTwoFiles() throws {
        let directory = try TemporaryDirectory("tensorboard-writer")
        let first = try SummaryWriter(logDirectory: directory.path)
        let second = try SummaryWriter(logDirectory: directory.path)
        #expect(first.path != second.path)
        try first.close()
        try second.close()
        #expect(try directory.entries().count == 2)
    }

    @Test func eventsReachTheFileOnFlushOnCloseAndOnTheTimer() async throws {
        let directory = try TemporaryDirectory("tensorboard-writer")
        let writer = try SummaryWriter(logDirectory: directory.path("manual"), flushInterval: nil)
        #expect(writer.flushInterval == nil)
        let empty = Self.fileSize(writer.path)
        try writer.scalar("loss", value: 1, step: 1)
        #expect(Self.fileSize(writer.path) == empty, "buffered until flushed")
        try writer.flush()
        #expect(try Self.records(writer.path).count == 2)
        try writer.scalar("loss", value: 0.5, step: 2)
        try writer.close()
        #expect(try Self.records(writer.path).count == 3)
        try writer.close()  // again: nothing
        try writer.flush()  // closed: nothing to flush

        let timed = try SummaryWriter(logDirectory: directory.path("timed"), flushInterval: .milliseconds(100))
        #expect(SummaryWriter.defaultFlushInterval == .seconds(2))
        try timed.scalar("loss", value: 1, step: 1)
        let deadline = Date().addingTimeInterval(10)
        while try Self.records(timed.path).count < 2, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(try Self.records(timed.path).count == 2, "the timer flushed the scalar without flush() or close()")
        try timed.close()
    }

    @Test func aReleasedWriterHasWrittenItsEvents() throws {
        let directory = try TemporaryDirectory("tensorboard-writer")
        var path = ""
        do {
            let writer = try SummaryWriter(logDirectory: directory.path)
            path = writer.path
            try writer.text("note", "kept", step: 0)
        }
        #expect(try Self.records(path).count == 2)
    }

    @Test func writesAfterCloseThrowNamingTheFile() throws {
        let directory = try TemporaryDirectory("tensorboard-writer")
        let writer = try SummaryWriter(logDirectory: directory.path)
        try writer.close()
        #expect(throws: SummaryWriterError.closed(path: writer.path)) { try writer.scalar("loss", value: 1, step: 1) }
        #expect(SummaryWriterError.closed(path: writer.path).description.contains(writer.path))
    }

    @Test func aFolderThatCannotBeCreatedThrowsNamingIt() throws {
        let directory = try TemporaryDirectory("tensorboard-writer")
        try directory.write("file", "not a folder")
        let folder = directory.path("file/run")
        let error = #expect(throws: SummaryWriterError.self) { _ = try SummaryWriter(logDirectory: folder) }
        guard case let .cannotCreateFolder(path, _) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(path == folder)
        #expect(error?.description.contains(folder) == true)
    }

    @Test func aFailingWriteThrowsNamingTheFile() throws {
        // /dev/full takes the open and fails every write with ENOSPC: a full disk. The writer's file
        // cannot be put there, so the record writer below stands in with the same path handling.
        #expect(FileManager.default.fileExists(atPath: "/dev/full"), "/dev/full is missing")
        let writer = try RecordWriter(path: "/dev/full")
        let failed: Bool
        do {
            try writer.write([UInt8](repeating: 1, count: 1 << 16))  // more than zlib's buffer: written now
            try writer.flush()
            failed = false
        } catch {
            failed = true
            #expect(error.description.contains("/dev/full"))
        }
        #expect(failed)
    }

    @Test func badSummariesThrowClearErrors() throws {
        let directory = try TemporaryDirectory("tensorboard-writer")
        let writer = try SummaryWriter(logDirectory: directory.path)
        #expect(throws: SummaryWriterError.emptyTag) { try writer.scalar("", value: 1, step: 0) }
        let error = #expect(throws: SummaryWriterError.self) { try writer.histogram("h", values: [1, .nan, 2], step: 0) }
        guard case let .invalidHistogram(tag, message) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(tag == "h" && message.contains("value 1"), "\(message)")
        #expect(throws: SummaryWriterError.self) { try writer.histogram("h", values: [Float.infinity], step: 0) }
        #expect(throws: SummaryWriterError.self) { try writer.histogram("h", values: [1.0], step: 0, buckets: 0) }
        for (count, width, height, channels) in [(4, 2, 2, 2), (3, 2, 2, 1), (12, 2, 2, 1), (0, 0, 0, 1), (12, 2, -2, 3)] {
            #expect(throws: SummaryWriterError.self, "\(count) values, \(width)x\(height)x\(channels)") {
                try writer.image("i", pixels: [UInt8](repeating: 0, count: count), width: width, height: height,
                                 channels: channels, step: 0)
            }
        }
        // Nothing bad was written: the file holds only its first event.
        try writer.close()
        #expect(try Self.records(writer.path).count == 1)
    }

    @Test func threadsWritingAtOnceGiveWholeRecords() throws {
        let directory = try TemporaryDirectory("tensorboard-writer")
        let writer = try SummaryWriter(logDirectory: directory.path, flushInterval: .milliseconds(1))
        runOnThreads(4) { thread in
            for step in 0..<250 {
                try? writer.scalar("thread_\(thread)", value: Double(step), step: step)
                if step % 50 == 0 { try? writer.histogram("h_\(thread)", values: [1.0, 2, 3], step: step) }
            }
        }
        try writer.close()
        #expect(try Self.records(writer.path).count == 1 + 4 * 250 + 4 * 5)
    }
}
