import HTTPTypes
import Hummingbird
import StudyStore

/// The routes that change the store, all POSTs from the dashboard's own forms, each checked by the
/// `WriteGuard` (read-only: 403; from another site: 403) and each one short transaction, answered with a
/// redirect back to the page (303, so a reload does not post again):
///
/// | path | change |
/// | --- | --- |
/// | `POST /studies/NAME/note` | the study's note (`note`) |
/// | `POST /studies/NAME/trials` | asks for a trial with the hyperparameters of fields `hp.NAME` |
/// | `POST /studies/NAME/trials/NUMBER/stop` | asks the worker of a RUNNING trial to stop it (PRUNED at its next epoch) |
extension DashboardRoutes {
    /// Adds the steering routes to `router`.
    func addSteering(to router: Router<BasicRequestContext>) {
        router.post("/studies/:study/note") { request, context in
            let name = try studyName(context)
            let form = try await guardedForm(request)
            guard let text = try form.value("note") else { throw DashboardProblem.badRequest("The form has no field “note”.") }
            let note: StudyNote
            do {
                note = try StudyNote(text)
            } catch {
                throw DashboardProblem.badRequest("The note was not saved: \(error)")
            }
            try await change { store in
                let study = try store.requireStudy(named: name)
                try store.updateStudyNote(study.id, note)
            }
            return Self.redirect(to: DashboardPaths.study(name) + "#note")
        }
        router.post("/studies/:study/trials") { request, context in
            let name = try studyName(context)
            let form = try await guardedForm(request)
            let study = try await reader.read { store in try store.requireStudy(named: name) }
            let values = try RequestedHyperparameters.values(from: form, space: study.searchSpace)
            try await change { store in _ = try store.requestTrial(study: study.id, hyperparameters: values) }
            return Self.redirect(to: DashboardPaths.study(name) + "#requests")
        }
        router.post("/studies/:study/trials/:number/stop") { request, context in
            let name = try studyName(context)
            let raw = context.parameters.get("number") ?? ""
            guard let number = Int(raw) else { throw DashboardProblem.badRequest("“\(raw)” is not a trial number.") }
            _ = try await guardedForm(request)
            try await change { store in
                let study = try store.requireStudy(named: name)
                guard let trial = try store.trial(study: study.id, number: number) else {
                    throw DashboardProblem.trialNotFound(number, study: name)
                }
                do {
                    try store.requestStop(trial: trial.id)
                } catch StoreError.trialNotRunning(_, let state) {
                    throw DashboardProblem(status: .conflict, title: "Not running",
                                           detail: "Trial \(number) of “\(name)” is \(state), not RUNNING: only a running trial can be stopped.")
                }
            }
            return Self.redirect(to: DashboardPaths.trial(name, number: number))
        }
    }

    /// The form of a POST that passed the `WriteGuard` (read-only is refused before the body is read).
    ///
    /// - Throws: a 403, 413, 415 or 400 `DashboardProblem`.
    private func guardedForm(_ request: Request) async throws -> FormFields {
        guard writes.acceptsWrites else {
            throw WriteGuard.forbidden("This dashboard is read-only (started with --read-only): it shows studies but changes nothing.")
        }
        let form = try await FormFields.read(request)
        try writes.check(request, form: form)
        return form
    }

    /// Makes one change in one short transaction (`StoreReader.write`).
    ///
    /// - Throws: a 503 `DashboardProblem` saying nothing changed when the storage stayed locked past its
    ///   busy timeout (a worker's long write) or its connection was lost; whatever `body` throws.
    private func change(_ body: @escaping @Sendable (any StudyStorage) throws -> Void) async throws {
        do {
            try await reader.write(body)
        } catch let error as StoreError {
            switch error {
            case .locked, .connectionLost:
                throw DashboardProblem(status: .serviceUnavailable, title: "Nothing was changed",
                                       detail: "\(error.description) Nothing was changed; send the form again.")
            default:
                throw error
            }
        }
    }

    /// A 303 to a page of this server.
    static func redirect(to path: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = path
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }
}
