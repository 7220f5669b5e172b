import HTTPTypes
import Hummingbird
import ServiceLifecycle
import StudyStore

/// A study's live stream for one page: Server-Sent Events of what changed in the study since the page's
/// cursor, until the client goes away or the server shuts down.
///
/// The first look reads the study and its trials without their curves (for the status line). Every
/// `pollInterval` after that, one read asks the store for the changes since the cursor
/// (`StudyChangeReading.changes`) and, for trials the stream has not seen yet, their curves alone; never
/// the whole study. A failed read sends a `problem` event and the stream tries again with the same
/// cursor; a deleted or replaced study, or a cursor of another storage, sends `reload` and ends.
struct LiveStream: Sendable {
    let reader: StoreReader
    let studyName: String
    let columns: TrialColumns?
    let trialFilter: Int?
    let cursor: StudyChangeCursor
    let pollInterval: Duration

    /// The response: `text/event-stream`, not cached, written as changes come.
    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache, no-store"
        if let buffering = HTTPField.Name("X-Accel-Buffering") { headers[buffering] = "no" }
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            // A client that went away makes a write throw: that ends the stream, and is no error.
            try? await stream(&writer)
            try? await writer.finish(nil)
        })
    }

    /// What the page is told when its study is gone: one text whether the study went before the stream's
    /// first look or while it polled, since the page cannot tell the two apart either.
    static func studyGone(_ name: String) -> String {
        "Study “\(name)” was deleted or replaced; reload the page."
    }

    private func stream(_ writer: inout any ResponseBodyWriter) async throws {
        // Reconnect after 2 s when the connection drops (the browser resumes from the last cursor).
        try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
        let name = studyName
        var state: LiveStudyState
        do {
            let columns = self.columns, trialFilter = self.trialFilter
            let first = try await reader.read { store in
                try LiveStudyState.firstLook(store, study: name, columns: columns, trialFilter: trialFilter)
            }
            guard let first else {
                try await writer.write(LiveEvent.buffer([.reload(Self.studyGone(name))]))
                return
            }
            state = first
        } catch {
            try await writer.write(LiveEvent.buffer([.reload(DashboardProblem(error, location: reader.displayedLocation).detail)]))
            return
        }
        var cursor = self.cursor
        var quiet = ContinuousClock.now
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let since = cursor, current = state
            let look: LiveStudyState.Look
            do {
                look = try await reader.read { store in try current.look(store, since: since) }
            } catch StoreError.invalidArgument(let message) {
                try await writer.write(LiveEvent.buffer([.reload(message)]))
                return
            } catch {
                try await writer.write(LiveEvent.buffer([.problem(DashboardProblem(error, location: reader.displayedLocation).detail)]))
                try await pause()
                continue
            }
            switch look {
            case .studyGone:
                try await writer.write(LiveEvent.buffer([.reload(Self.studyGone(name))]))
                return
            case .changes(let changes, let curves, let note):
                let events = state.apply(changes, curves: curves, note: note)
                let noteChanged = events.contains { if case .note = $0 { true } else { false } }
                if !changes.isEmpty || changes.cursor != cursor || noteChanged {
                    try await writer.write(LiveEvent.buffer(events))
                    quiet = .now
                } else if ContinuousClock.now - quiet > .seconds(15) {
                    // A comment now and then, so proxies keep the connection and a gone client is noticed.
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    quiet = .now
                }
                cursor = changes.cursor
            }
            try await pause()
        }
    }

    /// Waits `pollInterval`, returning early when the server begins to shut down.
    private func pause() async throws {
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: pollInterval)
        }
    }
}
