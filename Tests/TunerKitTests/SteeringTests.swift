import Foundation
import StudyStore
import Testing
import TunerKit
import Tuning
import TestSupport

/// Steering a running search through the store, as the dashboard does: trials asked for with given
/// hyperparameters run exactly once with exactly those values, whichever of several workers takes them;
/// a stop asked for a running trial ends it PRUNED at its next step. On SQLite and PostgreSQL.
@Suite struct SteeringTests {
    enum Backend: String, CaseIterable, Sendable { case sqlite, postgres }

    /// A fresh storage string on `backend` (the folder is kept alive by the caller).
    func storage(_ backend: Backend, in directory: TemporaryDirectory) throws -> String {
        switch backend {
        case .sqlite: return directory.path("steer.sqlite")
        case .postgres:
            let server = try PostgresServer.shared()
            return server.url(database: try server.createDatabase())
        }
    }

    func space() throws -> SearchSpace {
        try SearchSpace([.float("x", min: 0, max: 1), .int("units", min: 1, max: 64), .choice("act", values: [.string("relu"), .string("tanh")])])
    }

    /// Three requests made while the search runs (by its first trial, as a user at the dashboard would):
    /// two valid ones each become exactly one trial with exactly their values, though two workers share
    /// the study; one whose value is outside the space is rejected with the reason, and never runs.
    @Test(arguments: Backend.allCases)
    func requestedTrialsRunOnceWithTheirValuesUnderTwoWorkers(_ backend: Backend) throws {
        let directory = try TemporaryDirectory()
        let path = try storage(backend, in: directory)
        let definition = StudyDefinition(name: "steered", objective: .minimize("loss"), oracle: .randomSearch(maxTrials: 10), seed: 5,
                                         searchSpace: try space())
        let wanted: [[String: HyperParameterValue]] = [
            ["x": .float(0.123456), "units": .int(7), "act": .string("tanh")],
            ["x": .float(0.654321), "units": .int(33), "act": .string("relu")],
        ]
        let outside: [String: HyperParameterValue] = ["x": .float(3), "units": .int(7), "act": .string("relu")]
        let requested = Locked(false)
        let objective: TrialObjective = { hp, _ in
            let x = try hp.float("x", min: 0, max: 1)
            _ = try hp.int("units", min: 1, max: 64)
            _ = try hp.choice("act", values: ["relu", "tanh"])
            let first = requested.withLock { done in defer { done = true }; return !done }
            if first {
                let store = try openStudyStorage(path)
                let study = try store.requireStudy(named: "steered")
                for values in wanted + [outside] { try store.requestTrial(study: study.id, hyperparameters: values) }
            }
            usleep(20_000)
            return ["loss": x]
        }
        let (joined, errors) = runTwoWorkers(definition, storage: path, objective: objective)
        #expect(joined)
        #expect(errors.isEmpty)

        let store = try openStudyStorage(path)
        let snapshot = try store.snapshot(study: "steered")
        #expect(snapshot.trials.count == 10)
        #expect(snapshot.trials.allSatisfy { $0.state == .complete })
        #expect(Set(snapshot.trials.compactMap(\.worker)).count == 2, "workers: \(snapshot.trials.map { $0.worker ?? "-" })")
        let requests = try store.trialRequests(study: snapshot.study.id)
        #expect(requests.count == 3)
        for (request, values) in zip(requests.prefix(2), wanted) {
            guard case .enqueued(let number) = request.status else {
                Issue.record("request \(request.id) was not enqueued: \(request.status)")
                continue
            }
            #expect(snapshot.trials.first { $0.number == number }?.hyperparameters == values)
            #expect(snapshot.trials.filter { $0.hyperparameters == values }.count == 1)
        }
        guard case .rejected(let reason) = requests[2].status else {
            Issue.record("the request outside the space was not rejected: \(requests[2].status)")
            return
        }
        #expect(reason.contains("x"))
        #expect(!snapshot.trials.contains { $0.hyperparameters["x"] == .float(3) })
    }

    /// A stop asked for a running trial after its step 2 ends it at step 3, PRUNED with the steps it
    /// reported (0 to 3); the search goes on with its other trials.
    @Test(arguments: Backend.allCases)
    func aStopRequestEndsARunningTrialPrunedAtItsNextStep(_ backend: Backend) throws {
        let directory = try TemporaryDirectory()
        let path = try storage(backend, in: directory)
        let definition = StudyDefinition(name: "stopped", objective: .minimize("loss"), oracle: .randomSearch(maxTrials: 3), seed: 6,
                                         searchSpace: try space())
        let runner = StudyRunner(definition: definition, storage: path, options: SearchOptions(verbosity: .silent))
        try runner.optimize { hp, reporter in
            let x = try hp.float("x", min: 0, max: 1)
            for step in 0..<20 {
                try reporter.report(step: step, metrics: ["loss": x / Double(step + 1)])
                if reporter.trialNumber == 1 && step == 2 {
                    // As the dashboard's stop button does, on a connection of its own.
                    let store = try openStudyStorage(path)
                    let study = try store.requireStudy(named: "stopped")
                    let trial = try #require(try store.trial(study: study.id, number: 1))
                    try store.requestStop(trial: trial.id)
                }
            }
            return ["loss": x / 20]
        }
        let snapshot = try openStudyStorage(path).snapshot(study: "stopped")
        let stopped = try #require(snapshot.trials.first { $0.number == 1 })
        #expect(stopped.state == .pruned)
        #expect(stopped.stopRequestedAt != nil)
        #expect(stopped.metrics.curves["loss"]?.map(\.step) == [0, 1, 2, 3])
        #expect(snapshot.trials.filter { $0.number != 1 }.allSatisfy { $0.state == .complete && $0.metrics.stepCount == 20 })
        #expect(snapshot.trials.count == 3)
    }
}
