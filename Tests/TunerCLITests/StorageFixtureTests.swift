import Foundation
import GRDB
import StudyStore
import Testing
import TestSupport

/// Issue 13, "Existing files keep working": the study database in `Fixtures/StorageV3`, written by the
/// `tuner` of commit 31d8977 (`Scripts/make-storage-fixture.sh`, see the folder's README), opens with
/// today's `tuner`, reads back as it was written, and its studies continue. Every test works on a copy in
/// a temporary folder; the committed file is never opened in place. The assertions are made through the
/// command line (JSON output where there is one), so they hold across a rewrite of the store's Swift API.
@Suite(.serialized) struct StorageFixtureTests {
    /// The committed fixture folder.
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/StorageV3").path
    /// The folder the fixture was made in. The tuner of 31d8977 stores checkpoint paths (and study files'
    /// paths) absolute, so the fixture's rows point into this folder wherever the repository is cloned.
    static let madeIn = "/tmp/tuner-storage-fixture"
    static let database = "studies.sqlite"
    static let studies = ["ask-tell", "hyperband-model", "random-command"]

    // MARK: Helpers

    /// A temporary folder holding a copy of every file of the fixture (database, checkpoints, study files, data).
    func copy() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("storage-fixture")
        for entry in try FileManager.default.contentsOfDirectory(atPath: Self.fixture) {
            try FileManager.default.copyItem(atPath: Self.fixture + "/" + entry, toPath: directory.path(entry))
        }
        return directory
    }

    /// `tuner arguments... --storage studies.sqlite` in `directory`.
    func tuner(_ arguments: [String], in directory: TemporaryDirectory) throws -> TunerBinary.Result {
        try TunerBinary.run(arguments + ["--storage", Self.database], in: directory.path)
    }

    /// The JSON a successful `tuner` command printed.
    func json(_ arguments: [String], in directory: TemporaryDirectory,
              sourceLocation: SourceLocation = #_sourceLocation) throws -> Any {
        let result = try tuner(arguments, in: directory)
        try #require(result.status == 0, "tuner \(arguments.joined(separator: " ")): \(result.output)", sourceLocation: sourceLocation)
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    /// `tuner trials NAME --format json`, one object per trial.
    func trials(_ study: String, in directory: TemporaryDirectory) throws -> [[String: Any]] {
        try #require(try json(["trials", study, "--format", "json"], in: directory) as? [[String: Any]])
    }

    /// `tuner export NAME --format json`, parsed.
    func exported(_ study: String, in directory: TemporaryDirectory) throws -> [String: Any] {
        let output = directory.path(study + ".json")
        let result = try tuner(["export", study, "--format", "json", "--output", output], in: directory)
        try #require(result.status == 0, "\(result.output)")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any])
    }

    /// Two objects parsed from the same kind of output (a trial before and after a resume).
    func same(_ a: [String: Any], _ b: [String: Any]) -> Bool {
        NSDictionary(dictionary: a).isEqual(to: b)
    }

    /// Whether a number parsed from JSON is `expected`: Foundation's JSON parser on Linux can be off in
    /// the last bits (1.5146091657942522 comes back as 1.5146091657942526), so allow a few ulps.
    func close(_ value: Any?, _ expected: Double) -> Bool {
        guard let value = value as? Double else { return false }
        return abs(value - expected) <= 1e-12 * max(1, abs(expected))
    }

    func close(_ values: [Any?], _ expected: [Double]) -> Bool {
        values.count == expected.count && zip(values, expected).allSatisfy { close($0, $1) }
    }

    /// Puts the committed checkpoint files at the absolute paths the fixture's rows give (under `madeIn`),
    /// as they were on the machine that made it. Each is written through a temporary file renamed into place
    /// and never removed (a test in another checkout may be reading it).
    func placeCheckpointsAtTheirStoredPaths() throws {
        let committed = Self.fixture + "/studies.sqlite.checkpoints/hyperband-model"
        let stored = Self.madeIn + "/studies.sqlite.checkpoints/hyperband-model"
        try FileManager.default.createDirectory(atPath: stored, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: committed) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: committed + "/" + name))
            let target = URL(fileURLWithPath: stored + "/" + name)
            if (try? Data(contentsOf: target)) == bytes { continue }
            try bytes.write(to: target, options: .atomic)
        }
    }

    // MARK: The file itself

    @Test func theFixtureIsOneSmallClosedDatabaseWithItsCheckpoints() throws {
        let entries = try FileManager.default.contentsOfDirectory(atPath: Self.fixture).sorted()
        // No -wal / -shm / -journal: everything committed is in the .sqlite itself.
        #expect(entries == ["README.md", "data.csv", "hyperband.yaml", "random.yaml", "space.yaml",
                            "studies.sqlite", "studies.sqlite.checkpoints"])
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixture + "/" + Self.database))
        #expect(data.prefix(16) == Data("SQLite format 3\0".utf8))
        #expect(data.count < 300_000)
        let checkpoints = try FileManager.default.contentsOfDirectory(
            atPath: Self.fixture + "/studies.sqlite.checkpoints/hyperband-model").sorted()
        #expect(checkpoints == ["trial-1-epoch-1.safetensors", "trial-2-epoch-1.safetensors", "trial-3-epoch-1.safetensors"])
    }

    /// The one Swift-API check (to adapt when the store's API changes): the migrations the fixture was
    /// written with are still the first ones applied, by their released names, once today's store opened it.
    @Test func theReleasedMigrationsStayAppliedByName() throws {
        let directory = try copy()
        #expect(try tuner(["studies"], in: directory).status == 0)
        let applied = try SQLiteStudyStorage(path: directory.path(Self.database)).appliedMigrations()
        #expect(Array(applied.prefix(3)) == ["v1-studies-trials-metrics", "v2-study-sources", "v3-trial-worker-deaths"])
        // Migrated in place: the old layer's names were adopted into GRDB's table, the old table kept.
        let tables = try DatabaseQueue(path: directory.path(Self.database)).read { db in
            (try db.tableExists("grdb_migrations"), try db.tableExists("schema_migrations"),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid"))
        }
        #expect(tables.0 && tables.1)
        #expect(Array(tables.2.prefix(3)) == ["v1-studies-trials-metrics", "v2-study-sources", "v3-trial-worker-deaths"])
    }

    // MARK: Reading

    @Test func studiesListsTheThreeStudiesWithTheirCounts() throws {
        let directory = try copy()
        let list = try #require(try json(["studies", "--format", "json"], in: directory) as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: list.compactMap { row in (row["name"] as? String).map { ($0, row) } })
        #expect(byName.keys.sorted() == Self.studies)

        let random = try #require(byName["random-command"])
        #expect(random["objective"] as? String == "loss")
        #expect(random["direction"] as? String == "min")
        #expect(random["oracle"] as? String == "random")
        #expect(random["trials"] as? Int == 4)
        #expect(random["complete"] as? Int == 4)
        #expect(close(random["best"], 0.299078))

        let hyperband = try #require(byName["hyperband-model"])
        #expect(hyperband["objective"] as? String == "val_loss")
        #expect(hyperband["oracle"] as? String == "hyperband")
        #expect(hyperband["trials"] as? Int == 3)
        #expect(hyperband["complete"] as? Int == 3)

        let askTell = try #require(byName["ask-tell"])
        #expect(askTell["objective"] as? String == "accuracy")
        #expect(askTell["direction"] as? String == "max")
        #expect(askTell["trials"] as? Int == 3)
        #expect(askTell["complete"] as? Int == 1)
        #expect(askTell["failed"] as? Int == 1)
        #expect(askTell["running"] as? Int == 1)
        #expect(close(askTell["best"], 0.74))

        let table = try tuner(["studies"], in: directory)
        #expect(table.status == 0, "\(table.output)")
        for name in Self.studies { #expect(table.stdout.contains(name)) }
    }

    @Test func trialsShowEveryStoredTrialInEachFormat() throws {
        let directory = try copy()
        let random = try trials("random-command", in: directory)
        #expect(random.map { $0["trial"] as? Int } == [1, 2, 3, 4])
        #expect(random.allSatisfy { $0["state"] as? String == "COMPLETE" && $0["epochs"] as? Int == 3 })
        #expect(close(random.map { $0["score"] }, [0.299078, 0.350096, 0.569424, 7.328162]))
        #expect(random.map { $0["optimizer"] as? String } == ["adam", "sgd", "sgd", "sgd"])
        #expect(close(random.map { $0["x"] }, [1.5146091657942522, 0.8705285000986125, 1.4858920827998077, -1.6447739196539384]))

        let hyperband = try trials("hyperband-model", in: directory)
        #expect(hyperband.map { $0["trial"] as? Int } == [1, 2, 3])
        #expect(hyperband.allSatisfy { $0["state"] as? String == "COMPLETE" && $0["epochs"] as? Int == 1 })
        #expect(hyperband.map { $0["units"] as? Int } == [2, 2, 8])
        #expect(close(hyperband.map { $0["learning_rate"] }, [0.0031840416850742286, 0.02920040336818103, 0.030818920438305194]))
        #expect(close(hyperband.map { $0["score"] }, [0.4323664605617523, 0.20197844505310059, 0.3627309203147888]))

        let askTell = try trials("ask-tell", in: directory)
        #expect(askTell.map { $0["state"] as? String } == ["COMPLETE", "FAILED", "RUNNING"])
        #expect(close(askTell[0]["score"], 0.74))
        #expect(askTell[0]["epochs"] as? Int == 2)
        #expect(askTell[1]["error"] as? String == "out of memory on the fixture machine")
        #expect(askTell[2]["depth"] as? Int == 4)
        #expect(close(askTell[2]["lr"], 0.09388167651142679))

        let table = try tuner(["trials", "ask-tell"], in: directory)
        #expect(table.status == 0, "\(table.output)")
        #expect(table.stdout.contains("RUNNING") && table.stdout.contains("out of memory on the fixture machine"))
        let csv = try tuner(["trials", "random-command", "--format", "csv"], in: directory)
        #expect(csv.status == 0, "\(csv.output)")
        let lines = csv.stdout.split(whereSeparator: \.isNewline)
        #expect(lines.count == 5)
        #expect(lines.dropFirst().first?.hasPrefix("1,COMPLETE,1.5146091657942522,adam,0.299078,") == true, "\(csv.stdout)")
    }

    @Test func bestAndSummaryReadTheStoredScores() throws {
        let directory = try copy()
        let best = try #require(try json(["best", "random-command", "--format", "json"], in: directory) as? [String: Any])
        #expect(best["trial"] as? Int == 1)
        #expect(close(best["score"], 0.299078))
        #expect(best["objective"] as? String == "loss")
        let values = try #require(best["hyperparameters"] as? [String: Any])
        #expect(values.keys.sorted() == ["optimizer", "x"])
        #expect(values["optimizer"] as? String == "adam" && close(values["x"], 1.5146091657942522))
        let two = try #require(try json(["best", "random-command", "--count", "2", "--format", "json"], in: directory) as? [[String: Any]])
        #expect(two.map { $0["trial"] as? Int } == [1, 2])
        let hyperband = try #require(try json(["best", "hyperband-model", "--format", "json"], in: directory) as? [String: Any])
        #expect(hyperband["trial"] as? Int == 2)
        let hyperbandValues = try #require(hyperband["hyperparameters"] as? [String: Any])
        #expect(hyperbandValues.keys.sorted() == ["learning_rate", "units"])
        #expect(hyperbandValues["units"] as? Int == 2 && close(hyperbandValues["learning_rate"], 0.02920040336818103))
        let askTell = try #require(try json(["best", "ask-tell", "--format", "json"], in: directory) as? [String: Any])
        #expect(askTell["trial"] as? Int == 1)
        #expect(close(askTell["score"], 0.74))
        let table = try tuner(["best", "ask-tell"], in: directory)
        #expect(table.status == 0 && table.stdout.contains("0.74"), "\(table.output)")

        let summary = try tuner(["summary", "random-command", "--count", "2"], in: directory)
        #expect(summary.status == 0, "\(summary.output)")
        for line in ["Results in study \"random-command\"", "Showing 2 best trials", "Trial 1 summary", "optimizer: adam",
                     "Score: 0.299078", "Trial 2 summary", "Score: 0.350096", "x (Float)", "optimizer (Choice)"] {
            #expect(summary.stdout.contains(line), "\(line) in \(summary.stdout)")
        }
        #expect(!summary.stdout.contains("Trial 3 summary"))
        let hyperbandSummary = try tuner(["summary", "hyperband-model"], in: directory)
        #expect(hyperbandSummary.status == 0 && hyperbandSummary.stdout.contains("Trial 2 summary"), "\(hyperbandSummary.output)")
        let askTellSummary = try #require(try json(["summary", "ask-tell", "--format", "json"], in: directory) as? [[String: Any]])
        #expect(askTellSummary.map { $0["trial"] as? Int } == [1])
    }

    @Test func exportWritesEveryFormatForEveryStudy() throws {
        let directory = try copy()
        for study in Self.studies {
            for format in ["html", "md", "csv", "json"] {
                let output = directory.path("\(study)-report.\(format)")
                let result = try tuner(["export", study, "--format", format, "--output", output], in: directory)
                #expect(result.status == 0, "\(study) \(format): \(result.output)")
                let main = format == "md" ? output + "/report.md" : output
                let text = (try? String(contentsOfFile: main, encoding: .utf8)) ?? ""
                #expect(text.contains(study) || format == "csv", "\(study) \(format)")
                if format == "html" { #expect(text.contains("<html")) }
            }
        }
        let trialsCSV = try String(contentsOfFile: directory.path("random-command-report.csv"), encoding: .utf8)
        #expect(trialsCSV.split(whereSeparator: \.isNewline).count == 5)
        #expect(trialsCSV.hasPrefix("number,state,x,optimizer,score,"), "\(trialsCSV)")
        let metricsCSV = try String(contentsOfFile: directory.path("random-command-report.metrics.csv"), encoding: .utf8)
        #expect(metricsCSV.split(whereSeparator: \.isNewline).count == 13)
        for line in ["1,loss,0,0.632411", "1,loss,1,0.382411", "1,loss,2,0.299078"] { #expect(metricsCSV.contains(line), "\(metricsCSV)") }

        let random = try exported("random-command", in: directory)
        #expect(random["format"] as? String == "tuner-study")
        #expect(random["format_version"] as? Int == 1)
        let randomTrials = try #require(random["trials"] as? [[String: Any]])
        #expect(randomTrials.count == 4)
        let curve = try #require((randomTrials.first?["metrics"] as? [String: Any])?["loss"] as? [[Double]])
        #expect(curve.map { $0.first } == [0, 1, 2])
        #expect(close(curve.map { $0.last }, [0.632411, 0.382411, 0.299078]))

        let hyperband = try #require(try exported("hyperband-model", in: directory)["trials"] as? [[String: Any]])
        for trial in hyperband {
            let schedule = try #require(trial["hyperband"] as? [String: Any])
            #expect(schedule["bracket"] as? Int == 1 && schedule["round"] as? Int == 0 && schedule["epochs"] as? Int == 1)
            #expect(((trial["metrics"] as? [String: Any])?.keys.sorted() ?? []) == ["loss", "mae", "val_loss", "val_mae"])
        }

        let askTell = try #require(try exported("ask-tell", in: directory)["trials"] as? [[String: Any]])
        #expect(askTell.map { $0["state"] as? String } == ["COMPLETE", "FAILED", "RUNNING"])

        // The JSON export imports into another file as the same study.
        let imported = try TunerBinary.run(["import", directory.path("random-command.json"), "--storage", "other.sqlite"], in: directory.path)
        #expect(imported.status == 0, "\(imported.output)")
        let list = try TunerBinary.run(["trials", "random-command", "--format", "json", "--storage", "other.sqlite"], in: directory.path)
        let reimported = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(close(reimported.map { $0["score"] }, [0.299078, 0.350096, 0.569424, 7.328162]))
    }

    // MARK: Continuing

    @Test func tellingTheRunningTrialCompletesItAndAskGoesOn() throws {
        let directory = try copy()
        let before = try trials("ask-tell", in: directory)
        let told = try tuner(["tell", "ask-tell", "--trial", "3", "--step", "0", "--value", "0.7", "--value", "0.81"], in: directory)
        #expect(told.status == 0, "\(told.output)")
        let after = try trials("ask-tell", in: directory)
        #expect(after.count == 3)
        #expect(same(after[0], before[0]) && same(after[1], before[1]), "\(before) -> \(after)")
        #expect(after[2]["state"] as? String == "COMPLETE")
        #expect(close(after[2]["score"], 0.81))
        let best = try #require(try json(["best", "ask-tell", "--format", "json"], in: directory) as? [String: Any])
        #expect(best["trial"] as? Int == 3)

        // A trial that has ended cannot be told again.
        let again = try tuner(["tell", "ask-tell", "--trial", "2", "--value", "0.9"], in: directory)
        #expect(again.status != 0, "\(again.output)")

        let asked = try #require(try json(["ask", "ask-tell"], in: directory) as? [String: Any])
        #expect(asked["trial"] as? Int == 4)
        #expect(((asked["hyperparameters"] as? [String: Any])?.keys.sorted() ?? []) == ["depth", "lr"])
        let env = try tuner(["ask", "ask-tell", "--format", "env"], in: directory)
        #expect(env.status == 0 && env.stdout.contains("TUNER_TRIAL=5") && env.stdout.contains("TUNER_HP_LR="), "\(env.output)")
        let states = try trials("ask-tell", in: directory).map { $0["state"] as? String }
        #expect(states == ["COMPLETE", "FAILED", "COMPLETE", "RUNNING", "RUNNING"])
    }

    @Test func aRandomSearchResumesAfterTheStoredTrials() throws {
        let directory = try copy()
        let before = try trials("random-command", in: directory)
        let search = try tuner(["search", "random.yaml", "--max-trials", "6", "--quiet"], in: directory)
        #expect(search.status == 0, "\(search.output)")
        let after = try trials("random-command", in: directory)
        #expect(after.map { $0["trial"] as? Int } == [1, 2, 3, 4, 5, 6])
        for (old, new) in zip(before, after) { #expect(same(old, new), "\(old) -> \(new)") }
        #expect(after.dropFirst(4).allSatisfy { $0["state"] as? String == "COMPLETE" && $0["epochs"] as? Int == 3 }, "\(after)")
        // The other studies are untouched.
        #expect(try trials("ask-tell", in: directory).map { $0["state"] as? String } == ["COMPLETE", "FAILED", "RUNNING"])
    }

    /// A worker reads the study file stored with the study (study_sources); the fixture's budget is spent,
    /// so it ends at once without a new trial.
    @Test func aWorkerJoinsTheStoredStudy() throws {
        let directory = try copy()
        let worker = try tuner(["worker", "--study", "random-command"], in: directory)
        #expect(worker.status == 0, "\(worker.output)")
        #expect(worker.output.contains("4 finished trials kept"), "\(worker.output)")
        #expect(try trials("random-command", in: directory).count == 4)
    }

    /// Hyperband's next trial is a promotion of trial 2 (round 1 of bracket 1: epochs 1 to 3), which loads
    /// trial 2's checkpoint, written by the old tuner, through the path the fixture stored.
    @Test func aHyperbandSearchResumesFromTheStoredCheckpoint() throws {
        try placeCheckpointsAtTheirStoredPaths()
        let directory = try copy()
        let before = try trials("hyperband-model", in: directory)
        let search = try tuner(["search", "hyperband.yaml", "--max-trials", "6", "--quiet"], in: directory)
        #expect(search.status == 0, "\(search.output)")
        let after = try trials("hyperband-model", in: directory)
        #expect(after.map { $0["trial"] as? Int } == [1, 2, 3, 4, 5, 6])
        for (old, new) in zip(before, after) { #expect(same(old, new), "\(old) -> \(new)") }
        #expect(after.allSatisfy { $0["state"] as? String == "COMPLETE" }, "\(after.map { "\($0["trial"] ?? "") \($0["state"] ?? "") \($0["error"] ?? "")" })")

        let exported = try #require(try exported("hyperband-model", in: directory)["trials"] as? [[String: Any]])
        let promoted = try #require(exported.first { $0["number"] as? Int == 4 })
        let schedule = try #require(promoted["hyperband"] as? [String: Any])
        #expect(schedule["parentTrialID"] as? Int == 2)
        #expect(schedule["initialEpoch"] as? Int == 1)
        #expect(schedule["epochs"] as? Int == 3)
        #expect(same(try #require(promoted["hyperparameters"] as? [String: Any]),
                     try #require(exported.first { $0["number"] as? Int == 2 }?["hyperparameters"] as? [String: Any])))
        // It trained epochs 2 and 3 (steps 1 and 2) on top of the parent's first.
        let curve = try #require((promoted["metrics"] as? [String: Any])?["val_loss"] as? [[Double]])
        #expect(curve.map { $0[0] } == [1, 2])
        #expect(after[3]["epochs"] as? Int == 2)
    }

    // MARK: Copying to another storage

    /// `tuner copy` moves every study of the old file into a new one: the same trials, curves and
    /// exports, and a Hyperband search resumes there from the copied checkpoints (files in the new
    /// storage's own checkpoint folder, so the old folder is no longer needed).
    @Test func copyingEveryStudyToANewStorageKeepsThemWholeAndResumable() throws {
        try placeCheckpointsAtTheirStoredPaths()
        let directory = try copy()
        let copied = try TunerBinary.run(["copy", Self.database, "copied.sqlite"], in: directory.path)
        #expect(copied.status == 0, "\(copied.output)")
        #expect(copied.stdout.contains("Copied 3 studies"), "\(copied.stdout)")
        for study in Self.studies {
            let old = try trials(study, in: directory)
            let new = try #require(try JSONSerialization.jsonObject(with: Data(TunerBinary.run(
                ["trials", study, "--format", "json", "--storage", "copied.sqlite"], in: directory.path).stdout.utf8)) as? [[String: Any]])
            #expect(old.count == new.count && zip(old, new).allSatisfy { same($0, $1) }, "\(study): \(old) -> \(new)")
        }
        let checkpoints = try FileManager.default.contentsOfDirectory(
            atPath: directory.path("copied.sqlite.checkpoints/hyperband-model")).sorted()
        #expect(checkpoints == ["trial-1-epoch-1.safetensors", "trial-2-epoch-1.safetensors", "trial-3-epoch-1.safetensors"])

        // The copy is a study of its own: remove the original's checkpoints and resume the copy.
        try FileManager.default.removeItem(atPath: directory.path("studies.sqlite.checkpoints"))
        let search = try TunerBinary.run(["search", "hyperband.yaml", "--max-trials", "6", "--quiet", "--storage", "copied.sqlite"],
                                         in: directory.path)
        #expect(search.status == 0, "\(search.output)")
        let resumed = try #require(try JSONSerialization.jsonObject(with: Data(TunerBinary.run(
            ["trials", "hyperband-model", "--format", "json", "--storage", "copied.sqlite"], in: directory.path).stdout.utf8)) as? [[String: Any]])
        #expect(resumed.map { $0["trial"] as? Int } == [1, 2, 3, 4, 5, 6])
        #expect(resumed.allSatisfy { $0["state"] as? String == "COMPLETE" }, "\(resumed)")
    }

    /// A study that exists in the destination is not overwritten without `--replace`, and nothing of it
    /// is written; with `--replace` it is; copying a storage onto itself is refused.
    @Test func copyRefusesToOverwriteUnlessToldAndNeverCopiesOntoItself() throws {
        let directory = try copy()
        let first = try TunerBinary.run(["copy", Self.database, "copied.sqlite", "--study", "ask-tell"], in: directory.path)
        #expect(first.status == 0, "\(first.output)")
        let again = try TunerBinary.run(["copy", Self.database, "copied.sqlite", "--study", "ask-tell"], in: directory.path)
        #expect(again.status == 64 && again.stderr.contains("--replace"), "\(again.output)")
        let replaced = try TunerBinary.run(["copy", Self.database, "copied.sqlite", "--study", "ask-tell", "--replace"],
                                           in: directory.path)
        #expect(replaced.status == 0, "\(replaced.output)")
        let onto = try TunerBinary.run(["copy", Self.database, "./" + Self.database], in: directory.path)
        #expect(onto.status == 64 && onto.stderr.contains("source storage itself"), "\(onto.output)")
        let missing = try TunerBinary.run(["copy", Self.database, "copied.sqlite", "--study", "nope"], in: directory.path)
        #expect(missing.status != 0 && missing.stderr.contains("nope"), "\(missing.output)")
        let studies = try #require(try JSONSerialization.jsonObject(with: Data(TunerBinary.run(
            ["studies", "--format", "json", "--storage", "copied.sqlite"], in: directory.path).stdout.utf8)) as? [[String: Any]])
        #expect(studies.compactMap { $0["name"] as? String } == ["ask-tell"])
    }


    /// From the old SQLite file to a PostgreSQL database (a real server) and back to a new SQLite file:
    /// the trials read the same at every step, the checkpoint files became bytes stored on the server,
    /// and the Hyperband study resumes from those bytes in the last file, with no file of the original.
    @Test func copyingToPostgreSQLAndBackKeepsTheStudiesAndTheirCheckpoints() throws {
        try placeCheckpointsAtTheirStoredPaths()
        let directory = try copy()
        let server = try PostgresServer.shared()
        let database = try server.createDatabase()
        defer { server.dropDatabase(database) }
        let url = server.url(database: database)
        // A study's note goes with it (the dashboard writes it; the fixture's schema had none).
        let note = try StudyNote("copied with its study\nsecond line")
        let source = try SQLiteStudyStorage(path: directory.path(Self.database))
        try source.updateStudyNote(try source.requireStudy(named: Self.studies[0]).id, note)
        let there = try TunerBinary.run(["copy", Self.database, url], in: directory.path)
        #expect(there.status == 0, "\(there.output)")
        #expect(!there.output.contains(server.password), "the password was printed: \(there.output)")
        let back = try TunerBinary.run(["copy", url, "back.sqlite"], in: directory.path)
        #expect(back.status == 0, "\(back.output)")
        for study in Self.studies {
            let old = try trials(study, in: directory)
            for storage in [url, "back.sqlite"] {
                let new = try #require(try JSONSerialization.jsonObject(with: Data(TunerBinary.run(
                    ["trials", study, "--format", "json", "--storage", storage], in: directory.path).stdout.utf8)) as? [[String: Any]])
                #expect(old.count == new.count && zip(old, new).allSatisfy { same($0, $1) }, "\(study) in \(storage)")
            }
        }
        for storage in [url, directory.path("back.sqlite")] {
            let copied = try openStudyStorage(storage)
            #expect(try copied.requireStudy(named: Self.studies[0]).note == note, "\(storage)")
            #expect(try copied.requireStudy(named: Self.studies[1]).note.isEmpty, "\(storage)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("back.sqlite.checkpoints")))
        try FileManager.default.removeItem(atPath: directory.path("studies.sqlite.checkpoints"))
        let search = try TunerBinary.run(["search", "hyperband.yaml", "--max-trials", "6", "--quiet", "--storage", "back.sqlite"],
                                         in: directory.path)
        #expect(search.status == 0, "\(search.output)")
        let resumed = try #require(try JSONSerialization.jsonObject(with: Data(TunerBinary.run(
            ["trials", "hyperband-model", "--format", "json", "--storage", "back.sqlite"], in: directory.path).stdout.utf8)) as? [[String: Any]])
        #expect(resumed.allSatisfy { $0["state"] as? String == "COMPLETE" }, "\(resumed)")
        #expect(resumed.count == 6)
    }

}
