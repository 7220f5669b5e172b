import Foundation
import Reports
import StudyStore
import Testing
import Tuning
import TestSupport

@Suite("JSON export and import")
struct JSONRoundTripTests {
    /// Exports a study, imports it into another store, exports again: the same bytes.
    func roundTrip(_ make: (inout StudyMaker) throws -> StoredStudy) throws {
        let directory = try TemporaryDirectory()
        let source = try SQLiteStudyStorage(path: directory.path("source.sqlite"))
        var maker = StudyMaker(store: source)
        let study = try make(&maker)
        let original = try StudyReport.load(from: source, study: study.name)
        let exported = try JSONStudyExport(original).data()

        let target = try SQLiteStudyStorage(path: directory.path("target.sqlite"))
        let result = try StudyImporter(store: target).importStudy(from: exported, replacing: false)
        #expect(result.study.name == study.name)
        #expect(result.trialCount == original.trials.count)
        #expect(result.metricValueCount == original.trials.reduce(0) { $0 + $1.metrics.curves.values.reduce(0) { $0 + $1.count } })
        let restored = try StudyReport.load(from: target, study: study.name)
        let again = try JSONStudyExport(restored).data()
        #expect(again == exported)
        // NaN != NaN, so studies with NaN values are compared by their export bytes (above) only.
        let hasNaN = original.trials.contains { ($0.score?.isNaN ?? false) || $0.metrics.curves.values.contains { $0.contains { $0.value.isNaN } } }
        if !hasNaN { #expect(restored.trials.map(Exported.init) == original.trials.map(Exported.init)) }
        #expect(restored.oracleStateJSON == original.oracleStateJSON)
        #expect(restored.study.searchSpace == original.study.searchSpace)
        #expect(restored.study.definition == original.study.definition)
        // The trial rows themselves match, times and all.
        let before = try source.trials(study: study.id), after = try target.trials(study: result.study.id)
        #expect(before.map(\.state) == after.map(\.state))
        #expect(before.map(\.startedAt) == after.map(\.startedAt))
        #expect(before.map(\.endedAt) == after.map(\.endedAt))
        #expect(before.map(\.error) == after.map(\.error))
        #expect(before.map(\.hyperparameters) == after.map(\.hyperparameters))
    }

    /// What an export keeps of a trial: everything but the storage's ids and the last heartbeat.
    struct Exported: Equatable {
        let number: Int, state: TrialState, hyperparameters: [String: HyperParameterValue], score: Double?
        let values: TrialValues?
        let error: String?, worker: String?, retries: Int, workerDeaths: Int, createdAt: Double
        let startedAt: Double?, endedAt: Double?, hyperband: HyperbandAssignment?, metrics: MetricsHistory

        init(_ trial: TrialSnapshot) {
            number = trial.number; state = trial.state; hyperparameters = trial.hyperparameters; score = trial.score
            values = trial.values
            error = trial.error; worker = trial.worker; retries = trial.retries; workerDeaths = trial.workerDeaths
            createdAt = trial.createdAt; startedAt = trial.startedAt; endedAt = trial.endedAt
            hyperband = trial.hyperband; metrics = trial.metrics
        }
    }

    @Test func randomStudyWithFailedTrials() throws { try roundTrip { try $0.randomStudy() } }

    /// A study with two objectives and a constraint: the objectives, the constraint, every trial's
    /// values and constraint values, and so the Pareto front, survive export and import.
    @Test func twoObjectivesWithAConstraint() throws {
        var front: [Int] = []
        try roundTrip { maker in
            let study = try maker.store.createStudy(NewStudy(
                name: "pareto", objective: .maximize("val_accuracy"), additionalObjectives: [.minimize("params")],
                constraints: [MetricConstraint(metric: "epoch_seconds", .max, 2)], oracleKind: "random"), now: 1)
            let rows: [(Double, Double, Double)] = [(0.9, 1000, 1), (0.8, 500, 1.5), (0.95, 900, 3), (0.7, 2000, 0.5)]
            for (index, row) in rows.enumerated() {
                let trial = try maker.store.insertTrial(study: study.id, number: index + 1, state: .running, hyperparameters: [:],
                                                        worker: "w", hyperband: nil, oracleState: nil, now: 2)
                let values = TrialValues(objectives: [row.0, row.1], constraints: [row.2 - 2])
                try maker.store.finishTrial(trial.id, worker: "w", state: .complete, score: row.0, values: values, error: nil,
                                            oracleState: nil, now: 3)
            }
            front = try maker.store.snapshot(study: "pareto").paretoFront.map(\.number)
            return study
        }
        #expect(front == [1, 2])   // 3 is infeasible (3 s > 2 s), 4 is dominated by 1
    }

    /// A document whose trial has a third value for a two-objective study, or constraint values without
    /// values, is refused naming the trial; nothing is imported.
    @Test func valuesThatDoNotFitTheStudyAreRefused() throws {
        let directory = try TemporaryDirectory()
        func document(trial: String) -> Data {
            Data("""
            {"format": "tuner-study", "format_version": 1, "study": {"name": "p", "objective": {"name": "a", "direction": "max"},
             "additional_objectives": [{"name": "b", "direction": "min"}], "oracle": {"kind": "random", "config": {}},
             "search_space": {}, "created_at": 1},
             "trials": [\(trial)]}
            """.utf8)
        }
        let store = try SQLiteStudyStorage(path: directory.path("t.sqlite"))
        let third = document(trial: #"{"number": 1, "state": "COMPLETE", "hyperparameters": {}, "score": 1, "values": [1, 2, 3], "retries": 0, "created_at": 1, "metrics": {}}"#)
        #expect(throws: ReportError.invalidTrial(number: 1, detail: "\"values\" has 3 numbers; the study has 2 objectives")) {
            try StudyImporter(store: store).importStudy(from: third, replacing: false)
        }
        let orphan = document(trial: #"{"number": 1, "state": "COMPLETE", "hyperparameters": {}, "score": 1, "constraint_values": [0], "retries": 0, "created_at": 1, "metrics": {}}"#)
        #expect(throws: ReportError.self) { try StudyImporter(store: store).importStudy(from: orphan, replacing: false) }
        #expect(try store.studyNames().isEmpty)
    }
    @Test func hyperbandStudy() throws { try roundTrip { try $0.hyperbandStudy() } }
    @Test func bayesianStudy() throws { try roundTrip { try $0.bayesianStudy() } }
    @Test func oddNamesAndARunningTrial() throws { try roundTrip { try $0.oddStudy() } }
    @Test func emptyStudy() throws {
        try roundTrip { maker in
            try maker.store.createStudy(NewStudy(name: "empty", objective: .minimize("loss"), oracleKind: "grid"))
        }
    }

    @Test func nanScoresAndMetricsSurvive() throws {
        try roundTrip { maker in
            let study = try maker.store.createStudy(NewStudy(name: "nan", objective: .minimize("loss"), oracleKind: "random"))
            let trial = try maker.store.insertTrial(study: study.id, number: 1, state: .running,
                                                    hyperparameters: ["lr": .float(0.1)], worker: "w", hyperband: nil,
                                                    oracleState: nil, now: 10)
            try maker.store.recordMetrics(trial: trial.id, step: 0, values: ["loss": .nan, "accuracy": 0.25], now: 11)
            try maker.store.finishTrial(trial.id, worker: "w", state: .complete, score: .nan, values: nil, error: nil, oracleState: nil, now: 12)
            let report = try StudyReport.load(from: maker.store, study: "nan")
            #expect(report.trials[0].score?.isNaN == true)
            #expect(report.bestTrial == nil)
            let json = String(decoding: try JSONStudyExport(report).data(), as: UTF8.self)
            #expect(json.contains(#""score":"NaN""#))
            #expect(json.contains(#""loss":[[0,"NaN"]]"#))
            #expect(CSVReport(report).trialsCSV().contains("1,COMPLETE,0.1,NaN,NaN,0.25,1,2,10,12,\r\n"))
            #expect(HTMLReport(report).render().contains("<td class=\"num\">NaN</td>"))
            return study
        }
    }

    @Test func restoredBayesianOracleContinuesTheSearch() throws {
        let directory = try TemporaryDirectory()
        let source = try SQLiteStudyStorage(path: directory.path("source.sqlite"))
        var maker = StudyMaker(store: source)
        try maker.bayesianStudy()
        let exported = try JSONStudyExport(try StudyReport.load(from: source, study: "bayesian-branin")).data()
        let target = try SQLiteStudyStorage(path: directory.path("target.sqlite"))
        let result = try StudyImporter(store: target).importStudy(from: exported, replacing: false)
        let state = try #require(try target.oracleState(study: result.study.id))
        let oracle = try BayesianOptimizationOracle(restoringCore: state.core, trials: state.orderedTrials)
        let saved = try #require(try source.oracleState(study: try source.requireStudy(named: "bayesian-branin").id))
        let original = try BayesianOptimizationOracle(restoringCore: saved.core, trials: saved.orderedTrials)
        #expect(oracle.seed == original.seed)
        #expect(oracle.trials == original.trials)
        try oracle.setMaxTrials(15)
        try original.setMaxTrials(15)
        let next = oracle.createTrial(workerID: "w"), expected = original.createTrial(workerID: "w")
        #expect(next == expected)
    }

    @Test func refusesAnExistingNameUnlessReplacing() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        var maker = StudyMaker(store: store)
        try maker.randomStudy(trials: 5)
        let exported = try JSONStudyExport(try StudyReport.load(from: store, study: "random-mixed")).data()
        #expect(throws: ReportError.studyExists(name: "random-mixed", path: store.path)) {
            try StudyImporter(store: store).importStudy(from: exported, replacing: false)
        }
        let result = try StudyImporter(store: store).importStudy(from: exported, replacing: true)
        #expect(result.trialCount == 5)
        #expect(try store.studies().count == 1)
        let reimported = try JSONStudyExport(try StudyReport.load(from: store, study: "random-mixed")).data()
        #expect(reimported == exported)
    }

    @Test func invalidDocumentsAreRefusedWithTheReason() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        let importer = StudyImporter(store: store)
        #expect(throws: ReportError.self) { try importer.importStudy(from: Data("not json".utf8), replacing: false) }
        #expect(throws: ReportError.unsupportedFormatVersion(found: 9, supported: 1)) {
            try importer.importStudy(from: Data(#"{"format": "tuner-study", "format_version": 9}"#.utf8), replacing: false)
        }
        do {
            _ = try importer.importStudy(from: Data(#"{"format": "keras", "format_version": 1}"#.utf8), replacing: false)
            Issue.record("a foreign format must be refused")
        } catch {
            #expect("\(error)".contains("\"format\" is \"keras\""))
        }
        let duplicate = #"""
            {"format": "tuner-study", "format_version": 1, "oracle_state": null,
             "study": {"name": "d", "objective": {"name": "loss", "direction": "min"}, "oracle": {"kind": "random", "config": {}},
                       "search_space": {}, "created_at": 1},
             "trials": [{"number": 1, "state": "COMPLETE", "hyperparameters": {}, "retries": 0, "created_at": 1, "metrics": {}},
                        {"number": 1, "state": "FAILED", "hyperparameters": {}, "retries": 0, "created_at": 1, "metrics": {}}]}
            """#
        #expect(throws: ReportError.invalidTrial(number: 1, detail: "the number appears more than once")) {
            try importer.importStudy(from: Data(duplicate.utf8), replacing: false)
        }
        let badState = duplicate.replacingOccurrences(of: "\"FAILED\"", with: "\"EXPLODED\"")
        do {
            _ = try importer.importStudy(from: Data(badState.utf8), replacing: false)
            Issue.record("an unknown state must be refused")
        } catch {
            #expect("\(error)".contains("trials"))
        }
        // Nothing was written by the refused imports.
        #expect(try store.studies().isEmpty)
    }

    /// A minimal document with one COMPLETE trial; `space` and `trialExtra` are spliced in.
    static func document(space: String = "{}", trialExtra: String = "") -> Data {
        Data(#"""
            {"format": "tuner-study", "format_version": 1,
             "study": {"name": "s", "objective": {"name": "loss", "direction": "max"}, "oracle": {"kind": "random", "config": {}},
                       "search_space": \#(space), "created_at": 1},
             "trials": [{"number": 1, "state": "COMPLETE", "hyperparameters": {"lr": {"float": 0.5}}, "score": 0.5,
                         "retries": 1\#(trialExtra), "created_at": 1, "started_at": 2, "ended_at": 3, "metrics": {}}]}
            """#.utf8)
    }

    @Test func aSearchSpaceThatIsNotASpaceIsRefusedNamingTheField() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        let importer = StudyImporter(store: store)
        for space in [#"{"parameters": [{"kind": "nonsense"}]}"#, #"{"params": []}"#, "[]", "null",
                      #"{"parameters": [{"type": "float", "name": "lr", "min": 1, "max": 0}]}"#] {
            do {
                _ = try importer.importStudy(from: Self.document(space: space), replacing: false)
                Issue.record("\(space) must be refused")
            } catch {
                guard case .invalidDocument(let detail) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(detail.contains("study.search_space"), "\(detail)")
            }
        }
        #expect(try store.studies().isEmpty)
        // `{}` is an empty space; a real space is decoded as Tuning's `SearchSpace`.
        try importer.importStudy(from: Self.document(), replacing: false)
        #expect(try store.requireStudy(named: "s").searchSpace.isEmpty)
        let space = try SearchSpace([try .float("lr", min: 0.001, max: 1, sampling: .log)])
        let spaceText = String(decoding: try JSONEncoder().encode(space), as: UTF8.self)
        try importer.importStudy(from: Self.document(space: spaceText), replacing: true)
        #expect(try store.requireStudy(named: "s").searchSpace == space)
        #expect(try store.requireStudy(named: "s").objective == .maximize("loss"))
    }

    @Test func workerDeathsAreOptionalAndSurvive() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        let importer = StudyImporter(store: store)
        // A document written before `worker_deaths` existed: none.
        try importer.importStudy(from: Self.document(), replacing: false)
        let before = try StudyReport.load(from: store, study: "s")
        #expect(before.trials.first?.workerDeaths == 0)
        let plain = String(decoding: try JSONStudyExport(before).data(), as: UTF8.self)
        #expect(!plain.contains("worker_deaths"))
        try importer.importStudy(from: Self.document(trialExtra: #", "worker_deaths": 2"#), replacing: true)
        let after = try StudyReport.load(from: store, study: "s")
        #expect(after.trials.first?.workerDeaths == 2)
        #expect(after.trials.first?.retries == 1)
        let exported = try JSONStudyExport(after).data()
        #expect(String(decoding: exported, as: UTF8.self).contains(#""worker_deaths":2"#))
        try importer.importStudy(from: exported, replacing: true)
        #expect(try JSONStudyExport(try StudyReport.load(from: store, study: "s")).data() == exported)
    }

    @Test func documentCarriesTheDocumentedTopLevelKeys() throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStudyStorage(path: directory.path("s.sqlite"))
        var maker = StudyMaker(store: store)
        try maker.hyperbandStudy()
        let data = try JSONStudyExport(try StudyReport.load(from: store, study: "hyperband-mixed")).data()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["format", "format_version", "study", "trials", "oracle_state"])
        #expect(object["format"] as? String == "tuner-study")
        let trials = try #require(object["trials"] as? [[String: Any]])
        let promoted = try #require(trials.first { ($0["hyperband"] as? [String: Any])?["parentTrialID"] != nil })
        #expect(promoted["state"] as? String == "COMPLETE")
        let metrics = try #require(promoted["metrics"] as? [String: [[Double]]])
        let curve = try #require(metrics["val_loss"])
        let band = try #require(promoted["hyperband"] as? [String: Any])
        #expect(curve.first?.first == Double(try #require(band["initialEpoch"] as? Int)))
    }
}
