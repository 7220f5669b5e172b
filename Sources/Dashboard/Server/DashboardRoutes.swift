import Foundation
import HTTPTypes
import Hummingbird
import Reports
import StudyStore
import Tuning

/// The dashboard's routes, each a read of the store and a page:
///
/// | path | page |
/// | --- | --- |
/// | `/` | the list of studies |
/// | `/studies/NAME` | a study (`?sort=&order=&state=&page=` for its trials table) |
/// | `/studies/NAME/trials/NUMBER` | a trial |
/// | `/studies/NAME/trials/NUMBER/checkpoints/EPOCH` | its checkpoint of that epoch, a safetensors download |
/// | `/studies/NAME/events` | the study's live stream (Server-Sent Events; `?since=CURSOR`, `Last-Event-ID`) |
/// | `/compare?study=A&study=B` | two to eight studies on one history chart |
/// | `/assets/live.js` | the live script |
///
/// and the steering forms' POST routes (`DashboardRoutes+Steering.swift`).
///
/// `NAME` is a `PathSegment`. No part of an address reaches the file system: a checkpoint file's path comes
/// from the store and is served only from the storage's checkpoint folder.
struct DashboardRoutes: Sendable {
    let reader: StoreReader
    let configuration: DashboardConfiguration
    /// The snapshots of the studies shown last (a study page reads only what changed since).
    let snapshots: StudySnapshotCache
    /// Who may change the store (the steering forms), and the forms' token.
    let writes: WriteGuard

    /// The forms the pages show (none when read-only).
    var steering: SteeringForms { SteeringForms(formToken: writes.formToken) }

    /// Adds the routes to `router`.
    func add(to router: Router<BasicRequestContext>) {
        addSteering(to: router)
        router.get("/") { _, _ in try await studies() }
        router.get("/studies/:study") { request, context in
            try await study(try studyName(context), query: QueryString(request.uri.query))
        }
        router.get("/studies/:study/trials/:number") { _, context in
            let raw = context.parameters.get("number") ?? ""
            guard let number = Int(raw) else {
                throw DashboardProblem.badRequest("“\(raw)” is not a trial number.")
            }
            return try await trial(try studyName(context), number: number)
        }
        router.get("/studies/:study/trials/:number/checkpoints/:epoch") { _, context in
            let rawNumber = context.parameters.get("number") ?? "", rawEpoch = context.parameters.get("epoch") ?? ""
            guard let number = Int(rawNumber) else { throw DashboardProblem.badRequest("“\(rawNumber)” is not a trial number.") }
            guard let epoch = Int(rawEpoch), epoch >= 1 else {
                throw DashboardProblem.badRequest("“\(rawEpoch)” is not an epoch (epochs count from 1).")
            }
            return try await checkpoint(try studyName(context), number: number, epoch: epoch, context: context)
        }
        router.get("/studies/:study/events") { request, context in
            try await events(try studyName(context), query: QueryString(request.uri.query),
                             lastEventID: HTTPField.Name("Last-Event-ID").flatMap { request.headers[$0] })
        }
        router.get("/compare") { request, _ in try await compare(QueryString(request.uri.query)) }
        router.get("/assets/live.js") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/javascript; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: LiveScript.source)))
        }
    }

    /// The study name a request's path names.
    func studyName(_ context: BasicRequestContext) throws -> String {
        guard let raw = context.parameters.get("study"), let name = PathSegment.decode(raw[...]) else {
            throw DashboardProblem.badRequest("The study's name in the address is not valid percent-encoded UTF-8 text.")
        }
        return name
    }

    private func studies() async throws -> Response {
        let entries = try await reader.read { store in try StudyListEntry.load(store) }
        let location = reader.displayedLocation
        return HTMLResponse.make(try await Rendering.run {
            StudiesPage(entries: entries, location: location, now: Date().timeIntervalSince1970).html()
        })
    }

    private func study(_ name: String, query: QueryString) async throws -> Response {
        let listing = try TrialsQuery(query: try query.decoded())
        let snapshots = self.snapshots
        let (snapshot, cursor, requests) = try await reader.read { store in
            let (snapshot, cursor) = try snapshots.snapshot(store, study: name)
            return (snapshot, cursor, try store.trialRequests(study: snapshot.study.id))
        }
        if case .parameter(let parameter) = listing.sort,
           !snapshot.study.searchSpace.names.contains(parameter), !snapshot.trials.contains(where: { $0.hyperparameters[parameter] != nil }) {
            throw DashboardProblem.badRequest("Study “\(name)” has no hyperparameter “\(parameter)” to sort by.")
        }
        if let range = listing.range, !snapshot.trials.contains(where: { $0.hyperparameters[range.name]?.doubleValue != nil }) {
            throw DashboardProblem.badRequest("Study “\(name)” has no numeric hyperparameter “\(range.name)” to filter by.")
        }
        let location = reader.displayedLocation, pageSize = configuration.pageSize, steering = self.steering
        let html = try await Rendering.run {
            let report = try StudyReport(snapshot: snapshot, location: location)
            return StudyPage(report: report, cursor: cursor, query: listing, pageSize: pageSize,
                             readAt: Date().timeIntervalSince1970, steering: steering, requests: requests).html()
        }
        return HTMLResponse.make(html)
    }

    private func compare(_ query: QueryString) async throws -> Response {
        var names: [String] = []
        for name in try query.values("study") where !names.contains(name) { names.append(name) }
        guard names.count >= 2 else {
            throw DashboardProblem.badRequest("A comparison needs at least two studies: /compare?study=A&study=B (tick them on the list of studies).")
        }
        guard names.count <= ComparePage.maximumStudies else {
            throw DashboardProblem.badRequest("\(names.count) studies are too many for one chart; compare at most \(ComparePage.maximumStudies).")
        }
        let requested = names
        let snapshots = try await reader.read { store in try ComparePage.load(store, studies: requested) }
        return HTMLResponse.make(try await Rendering.run { ComparePage(snapshots: snapshots).html() })
    }

    private func trial(_ name: String, number: Int) async throws -> Response {
        let found = try await reader.read { store in
            try store.read { store -> (StoredStudy, TrialSnapshot, [Int], StudyChangeCursor)? in
                let study = try store.requireStudy(named: name)
                guard let trial = try store.trial(study: study.id, number: number) else { return nil }
                let checkpoints = try store.checkpoints(trial: trial.id).map(\.epoch)
                return (study, TrialSnapshot(trial: trial, metrics: try store.metrics(trial: trial.id), hasCheckpoint: !checkpoints.isEmpty),
                        checkpoints, try store.changeCursor())
            }
        }
        guard let found else { throw DashboardProblem.trialNotFound(number, study: name) }
        let (study, trial, checkpoints, cursor) = found
        let steering = self.steering
        return HTMLResponse.make(try await Rendering.run {
            TrialPage(study: study, trial: trial, checkpointEpochs: checkpoints, cursor: cursor, steering: steering).html()
        })
    }

    /// A trial's checkpoint of an epoch (1-based, as pages show epochs) as a safetensors download: the
    /// bytes stored in the storage, or the file beside an SQLite storage (`CheckpointFile.confined`).
    private func checkpoint(_ name: String, number: Int, epoch: Int, context: BasicRequestContext) async throws -> Response {
        let found = try await reader.read { store in
            try store.read { store -> StoredCheckpoint? in
                let study = try store.requireStudy(named: name)
                guard let trial = try store.trial(study: study.id, number: number) else {
                    throw DashboardProblem.trialNotFound(number, study: name)
                }
                return try store.checkpoints(trial: trial.id).first { $0.epoch == epoch - 1 }
            }
        }
        guard let found else {
            throw DashboardProblem(status: .notFound, title: "No checkpoint",
                                   detail: "Trial \(number) of “\(name)” has no checkpoint of epoch \(epoch).")
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.contentDisposition] = "attachment; filename=\"\(CheckpointFile.downloadName(study: name, trial: number, epoch: epoch))\""
        headers[.cacheControl] = "no-store"
        if let weights = found.weights {
            headers[.contentLength] = String(weights.count)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: weights)))
        }
        guard let path = found.path, let file = CheckpointFile.confined(path, storage: configuration.storage) else {
            throw DashboardProblem(status: .notFound, title: "Checkpoint file not available",
                                   detail: "The checkpoint of trial \(number) of “\(name)” at epoch \(epoch) is not a file in the storage's "
                                       + "checkpoint folder (it was moved or removed, or the stored path points elsewhere), so it is not served.")
        }
        return Response(status: .ok, headers: headers, body: try await FileIO().loadFile(path: file, context: context))
    }

    private func events(_ name: String, query: QueryString, lastEventID: String?) async throws -> Response {
        // A reconnecting browser sends the id of the last batch it got: resume there.
        let since = try query.value("since")
        guard let token = lastEventID ?? since, let cursor = StudyChangeCursor(token: token) else {
            throw DashboardProblem.badRequest("The live stream needs ?since=CURSOR (the page's cursor) or a Last-Event-ID header.")
        }
        var columns: TrialColumns?
        if let raw = query.rawValue("cols") {
            guard let parameters = TrialColumns.parameters(fromQueryValue: String(raw)) else {
                throw DashboardProblem.badRequest("cols= in the address is not a list of percent-encoded names.")
            }
            // Every row the stream sends has a cell per column: a made-up list must not make it huge.
            guard parameters.count <= 1_000 else {
                throw DashboardProblem.badRequest("cols= names \(parameters.count) columns; a trials table has at most 1000.")
            }
            // The objectives are read with the study; the stream fills them in (`with(objectivesOf:)`).
            columns = TrialColumns(studyName: name, parameters: parameters)
        }
        var trialFilter: Int?
        if let raw = try query.value("trial") {
            guard let number = Int(raw) else { throw DashboardProblem.badRequest("trial=\(raw) is not a trial number.") }
            trialFilter = number
        }
        return LiveStream(reader: reader, studyName: name, columns: columns, trialFilter: trialFilter, cursor: cursor,
                          pollInterval: configuration.pollInterval).response()
    }
}

/// Page rendering off Swift's cooperative threads (a large study's charts take a while to draw).
enum Rendering {
    /// Runs `body` on a global dispatch queue and returns its result.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(with: Result { try body() }) }
        }
    }
}
