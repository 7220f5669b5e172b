import Foundation
import StudyStore
import Testing
import TestSupport

/// The built `tuner` binary, command by command.
@Suite(.serialized) struct TunerCommandTests {
    @Test func helpAndUsageErrors() throws {
        let directory = try TemporaryDirectory()
        let help = try TunerBinary.run(["--help"], in: directory.path)
        #expect(help.status == 0)
        for command in ["search", "worker", "studies", "trials", "best", "summary", "delete", "create", "ask", "tell", "export", "import"] {
            #expect(help.stdout.contains(command), "help lacks \(command)")
            let sub = try TunerBinary.run([command, "--help"], in: directory.path)
            #expect(sub.status == 0, "\(command) --help failed: \(sub.output)")
        }
        let unknown = try TunerBinary.run(["frobnicate"], in: directory.path)
        #expect(unknown.status == 64)
        let badOption = try TunerBinary.run(["search", "x.yaml", "--parallel", "0"], in: directory.path)
        #expect(badOption.status == 64)
        let noStorage = try TunerBinary.run(["studies"], in: directory.path)
        #expect(noStorage.status == 64)
        #expect(noStorage.stderr.contains("no study storage at tuner.sqlite"))
    }

    @Test func searchListInspectExportImportAndDelete() throws {
        let directory = try TemporaryDirectory()
        try directory.write("data.csv", regressionCSV())
        try directory.write("tiny.yaml", modelStudy())
        let search = try TunerBinary.run(["search", "tiny.yaml"], in: directory.path)
        #expect(search.status == 0, "\(search.output)")
        #expect(search.stdout.contains("Trial 3 Complete ["))
        #expect(search.stdout.contains("Best val_loss So Far: "))
        #expect(FileManager.default.fileExists(atPath: directory.path + "/tuner.sqlite"))
        // Checkpoint paths are stored absolute, so workers in other folders find them.
        let store = try SQLiteStudyStorage(path: directory.path + "/tuner.sqlite")
        let study = try #require(try store.study(named: "tiny"))
        let paths = try store.trials(study: study.id).flatMap { try store.checkpoints(trial: $0.id).compactMap(\.path) }
        #expect(!paths.isEmpty)
        #expect(paths.allSatisfy { $0.hasPrefix("/") && FileManager.default.fileExists(atPath: $0) })

        let studies = try TunerBinary.run(["studies", "--format", "csv"], in: directory.path)
        #expect(studies.status == 0)
        #expect(studies.stdout.hasPrefix("name,objective,direction,oracle,trials,complete"))
        #expect(studies.stdout.contains("tiny,val_loss,min,random,3,3"))

        let trials = try TunerBinary.run(["trials", "tiny", "--format", "json"], in: directory.path)
        let list = try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]]
        #expect(list?.count == 3)
        #expect(list?.allSatisfy { $0["state"] as? String == "COMPLETE" && $0["units"] is Int } == true)

        let best = try TunerBinary.run(["best", "tiny", "--format", "json"], in: directory.path)
        let bestObject = try JSONSerialization.jsonObject(with: Data(best.stdout.utf8)) as? [String: Any]
        #expect(bestObject?["study"] as? String == "tiny")
        #expect((bestObject?["hyperparameters"] as? [String: Any])?["units"] is Int)
        #expect(bestObject?["score"] is Double)

        let summary = try TunerBinary.run(["summary", "tiny"], in: directory.path)
        #expect(summary.stdout.contains("Results summary"))
        #expect(summary.stdout.contains("Search space summary"))

        // Running it again resumes: nothing more to do. A larger budget runs the extra trials.
        let again = try TunerBinary.run(["search", "tiny.yaml", "--max-trials", "4", "--quiet"], in: directory.path)
        #expect(again.status == 0, "\(again.output)")
        let four = try TunerBinary.run(["trials", "tiny", "--format", "csv"], in: directory.path)
        #expect(four.stdout.split(separator: "\n").count == 5)

        for format in ["html", "md", "csv", "json"] {
            let output = format == "md" ? "report-md" : "report.\(format)"
            let export = try TunerBinary.run(["export", "tiny", "--format", format, "--output", output], in: directory.path)
            #expect(export.status == 0, "\(format): \(export.output)")
            #expect(FileManager.default.fileExists(atPath: directory.path + "/" + output))
        }
        #expect(FileManager.default.fileExists(atPath: directory.path + "/report.metrics.csv"))

        let imported = try TunerBinary.run(["import", "report.json", "--storage", "copy.sqlite"], in: directory.path)
        #expect(imported.status == 0, "\(imported.output)")
        let copied = try TunerBinary.run(["trials", "tiny", "--storage", "copy.sqlite", "--format", "csv"], in: directory.path)
        #expect(copied.stdout == four.stdout)
        let twice = try TunerBinary.run(["import", "report.json", "--storage", "copy.sqlite"], in: directory.path)
        #expect(twice.status == 64)

        let delete = try TunerBinary.run(["delete", "tiny", "--format", "json"], in: directory.path)
        #expect(delete.status == 0)
        let deleted = try JSONSerialization.jsonObject(with: Data(delete.stdout.utf8)) as? [String: Any]
        #expect((deleted?["checkpoints_removed"] as? Int ?? 0) >= paths.count)
        #expect(paths.allSatisfy { !FileManager.default.fileExists(atPath: $0) })
        let gone = try TunerBinary.run(["trials", "tiny"], in: directory.path)
        #expect(gone.status == 1)
        #expect(gone.stderr.contains("tiny"))
    }

    @Test func badStudyFilesAreRefusedWithFileLineAndKey() throws {
        let directory = try TemporaryDirectory()
        try directory.write("data.csv", regressionCSV())
        let cases: [(String, String, String)] = [
            ("unknown-key.yaml", modelStudy().replacingOccurrences(of: "oracle:", with: "orcale:"), "did you mean"),
            ("bad-ref.yaml", modelStudy().replacingOccurrences(of: "units: units", with: "units: unit"), "unit"),
            ("bad-range.yaml", modelStudy().replacingOccurrences(of: "min: 2, max: 16", with: "min: 20, max: 16"), "units"),
            ("missing-data.yaml", modelStudy().replacingOccurrences(of: "path: data.csv", with: "path: nowhere.csv"), "nowhere.csv"),
        ]
        for (file, text, expected) in cases {
            try directory.write(file, text)
            let result = try TunerBinary.run(["search", file], in: directory.path)
            #expect(result.status == 64, "\(file): status \(result.status) \(result.output)")
            #expect(result.stderr.contains(file), "\(file): \(result.stderr)")
            #expect(result.stderr.contains(expected), "\(file): \(result.stderr)")
        }
        // Nothing ran, nothing was stored.
        let storage = directory.path + "/tuner.sqlite"
        let stored = FileManager.default.fileExists(atPath: storage) ? try SQLiteStudyStorage(path: storage).studies() : []
        #expect(stored.isEmpty)
    }

    @Test func aCommandStudyRunsAScriptPerTrial() throws {
        let directory = try TemporaryDirectory()
        try directory.write("objective.sh", """
            #!/bin/sh
            # Prints two steps and the final metric; fails for x > 4.
            awk -v x="$1" 'BEGIN { if (x > 4) { print "x too large" > "/dev/stderr"; exit 3 }
                                   printf "{\\"step\\": 0, \\"loss\\": %f}\\n", (x - 1) * (x - 1) + 1
                                   printf "{\\"step\\": 1, \\"loss\\": %f}\\n", (x - 1) * (x - 1)
                                   printf "{\\"loss\\": %f}\\n", (x - 1) * (x - 1) }'
            """)
        try directory.write("command.yaml", """
            name: shell
            objective: { metric: loss, direction: min }
            oracle: { type: grid, seed: 1, max_consecutive_failed_trials: 5 }
            hyperparameters:
              x: { type: int, min: 0, max: 5, step: 1 }
            command: { run: "sh objective.sh {x}", timeout: 30 }
            """)
        let result = try TunerBinary.run(["search", "command.yaml", "--quiet"], in: directory.path)
        #expect(result.status == 0, "\(result.output)")
        let trials = try TunerBinary.run(["trials", "shell", "--format", "json"], in: directory.path)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        #expect(list.count == 6)
        let failed = list.filter { $0["state"] as? String == "FAILED" }
        #expect(failed.count == 1)
        #expect((failed.first?["error"] as? String)?.contains("x too large") == true)
        let best = try TunerBinary.run(["best", "shell", "--format", "json"], in: directory.path)
        #expect(best.stdout.contains("\"x\" : 1"))
    }

    /// A study file's pruner stops a command's trials: the threshold prunes every trial whose first step
    /// is above it, the command is stopped, and the others run to the end.
    @Test func aStudyFilesPrunerStopsCommandTrials() throws {
        let directory = try TemporaryDirectory()
        try directory.write("objective.sh", """
            #!/bin/sh
            # Three steps of loss 5x, 5x - 1, 5x - 2.
            for i in 0 1 2; do
              awk -v x="$1" -v i="$i" 'BEGIN { printf "{\\"step\\": %d, \\"loss\\": %f}\\n", i, 5 * x - i }'
              sleep 0.1
            done
            """)
        try directory.write("pruned.yaml", """
            name: pruned
            objective: { metric: loss, direction: min }
            oracle: { type: grid, seed: 1 }
            pruner: { type: threshold, upper: 10 }
            hyperparameters:
              x: { type: int, min: 0, max: 4, step: 1 }
            command: { run: "sh objective.sh {x}", timeout: 30 }
            """)
        let result = try TunerBinary.run(["search", "pruned.yaml", "--quiet", "--parallel", "1"], in: directory.path)
        #expect(result.status == 0, "\(result.output)")
        let trials = try TunerBinary.run(["trials", "pruned", "--format", "json"], in: directory.path)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        func x(_ trial: [String: Any]) -> Int? { trial["x"] as? Int }
        let pruned = Set(list.filter { $0["state"] as? String == "PRUNED" }.compactMap(x))
        let complete = Set(list.filter { $0["state"] as? String == "COMPLETE" }.compactMap(x))
        #expect(pruned == [3, 4], "\(trials.stdout)")
        #expect(complete == [0, 1, 2])
    }

    /// `tuner create --pruner` and the prune answer of `tuner tell --step S --value V`: status 3 and
    /// `"should_prune": true` when the stored pruner says stop, 0 and false otherwise.
    @Test func tellAnswersWhetherToPrune() throws {
        let directory = try TemporaryDirectory()
        try directory.write("space.yaml", "hyperparameters:\n  x: { type: float, min: -2, max: 2 }\n")
        func create(_ name: String, _ extra: [String]) throws -> TunerBinary.Result {
            try TunerBinary.run(["create", name, "--space", "space.yaml", "--oracle", "random", "--direction", "min",
                                 "--max-trials", "4"] + extra, in: directory.path)
        }
        let created = try create("bounded", ["--pruner", "{type: threshold, upper: 1}"])
        #expect(created.status == 0, "\(created.output)")
        #expect(created.stdout.contains("\"threshold\""), "\(created.stdout)")
        func ask(_ name: String) throws -> Int {
            let ask = try TunerBinary.run(["ask", name], in: directory.path)
            return try #require((try JSONSerialization.jsonObject(with: Data(ask.stdout.utf8)) as? [String: Any])?["trial"] as? Int,
                                "\(ask.output)")
        }
        let trial = try ask("bounded")
        let goOn = try TunerBinary.run(["tell", "bounded", "--trial", "\(trial)", "--step", "0", "--value", "0.5"], in: directory.path)
        #expect(goOn.status == 0, "\(goOn.output)")
        #expect((try JSONSerialization.jsonObject(with: Data(goOn.stdout.utf8)) as? [String: Any])?["should_prune"] as? Bool == false)
        let stop = try TunerBinary.run(["tell", "bounded", "--trial", "\(trial)", "--step", "1", "--value", "5"], in: directory.path)
        #expect(stop.status == 3, "\(stop.output)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(stop.stdout.utf8)) as? [String: Any])
        #expect(answer["should_prune"] as? Bool == true && answer["state"] as? String == "RUNNING")
        let pruned = try TunerBinary.run(["tell", "bounded", "--trial", "\(trial)", "--state", "pruned"], in: directory.path)
        #expect(pruned.status == 0, "\(pruned.output)")
        let trials = try TunerBinary.run(["trials", "bounded", "--format", "json"], in: directory.path)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        #expect(list.first?["state"] as? String == "PRUNED" && list.first?["epochs"] as? Int == 2, "\(trials.stdout)")

        // Without a pruner the answer is always "go on".
        #expect(try create("free", []).status == 0)
        let free = try TunerBinary.run(["tell", "free", "--trial", "\(try ask("free"))", "--step", "0", "--value", "1e9"], in: directory.path)
        #expect(free.status == 0, "\(free.output)")
        #expect((try JSONSerialization.jsonObject(with: Data(free.stdout.utf8)) as? [String: Any])?["should_prune"] as? Bool == false)

        // A misspelt pruner, and a pruner on Hyperband, are refused before anything is stored.
        let misspelt = try create("misspelt", ["--pruner", "{type: ashaa}"])
        #expect(misspelt.status == 64 && misspelt.stderr.contains("asha"), "\(misspelt.output)")
        let hyperband = try TunerBinary.run(["create", "hb", "--space", "space.yaml", "--oracle", "hyperband", "--direction", "min",
                                             "--max-epochs", "9", "--pruner", "median"], in: directory.path)
        #expect(hyperband.status == 64 && hyperband.stderr.contains("hyperband"), "\(hyperband.output)")
        let studies = try TunerBinary.run(["studies"], in: directory.path)
        #expect(!studies.stdout.contains("misspelt") && !studies.stdout.contains("hb"), "\(studies.stdout)")
    }

    /// An ask/tell loop in a shell script with a median pruner: trials reported worse than the median of
    /// the completed ones at a step are told pruned, the others complete.
    @Test func aShellScriptPrunesWithTheStudysPruner() throws {
        let directory = try TemporaryDirectory()
        try directory.write("space.yaml", "hyperparameters:\n  x: { type: float, min: -2, max: 2 }\n")
        try directory.write("loop.sh", """
            #!/bin/sh
            set -e
            tuner=$1
            $tuner create curves --space space.yaml --oracle random --direction min --metric loss --max-trials 12 --seed 5 \\
              --pruner '{type: median, startup_trials: 2}' > /dev/null
            while true; do
              eval "$($tuner ask curves --format env)"
              [ "$TUNER_STATUS" = run ] || break
              state=complete
              for step in 0 1 2 3 4; do
                value=$(awk -v x="$TUNER_HP_X" -v s="$step" 'BEGIN { printf "%f", (x * x + 1) * (5 - s) }')
                status=0
                $tuner tell curves --trial "$TUNER_TRIAL" --step "$step" --value "$value" > /dev/null || status=$?
                if [ "$status" = 3 ]; then state=pruned; break; fi
                [ "$status" = 0 ] || exit "$status"
              done
              if [ "$state" = pruned ]; then
                $tuner tell curves --trial "$TUNER_TRIAL" --state pruned > /dev/null
              else
                $tuner tell curves --trial "$TUNER_TRIAL" --value "$value" > /dev/null
              fi
            done
            echo "status: $TUNER_STATUS"
            """)
        let (status, output) = try TunerBinary.runScript("loop.sh", in: directory.path)
        #expect(status == 0, "\(output)")
        let trials = try TunerBinary.run(["trials", "curves", "--format", "json"], in: directory.path)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        #expect(list.count == 12)
        let pruned = list.filter { $0["state"] as? String == "PRUNED" }
        let complete = list.filter { $0["state"] as? String == "COMPLETE" }
        #expect(!pruned.isEmpty && complete.count >= 2 && pruned.count + complete.count == 12, "\(trials.stdout)")
        // The first two trials are the median's startup trials; a pruned trial stopped before its last step.
        #expect(list.prefix(2).allSatisfy { $0["state"] as? String == "COMPLETE" }, "\(trials.stdout)")
        #expect(pruned.allSatisfy { ($0["epochs"] as? Int ?? 5) < 5 }, "\(trials.stdout)")
    }

    @Test func anAskTellLoopFromAShellScript() throws {
        let directory = try TemporaryDirectory()
        try directory.write("space.yaml", """
            hyperparameters:
              x: { type: float, min: -2, max: 2 }
            """)
        try directory.write("loop.sh", """
            #!/bin/sh
            set -e
            tuner=$1
            $tuner create external --space space.yaml --oracle random --direction min --metric loss --max-trials 4 --seed 3 > /dev/null
            while true; do
              eval "$($tuner ask external --format env)"
              [ "$TUNER_STATUS" = run ] || break
              value=$(awk -v x="$TUNER_HP_X" 'BEGIN { printf "%f", x * x }')
              $tuner tell external --trial "$TUNER_TRIAL" --step 0 --value 9 --value "$value" > /dev/null
            done
            echo "status: $TUNER_STATUS"
            """)
        let (status, output) = try TunerBinary.runScript("loop.sh", in: directory.path)
        #expect(status == 0, "\(output)")
        #expect(output.contains("status: search_is_over"))
        let trials = try TunerBinary.run(["trials", "external", "--format", "json"], in: directory.path)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        #expect(list.count == 4)
        #expect(list.allSatisfy { $0["state"] as? String == "COMPLETE" && $0["epochs"] as? Int == 1 })
        let ask = try TunerBinary.run(["ask", "external"], in: directory.path)
        #expect(ask.stdout.contains("search_is_over"))
        let badTell = try TunerBinary.run(["tell", "external", "--trial", "1", "--value", "1"], in: directory.path)
        #expect(badTell.status == 64)
        #expect(badTell.stderr.contains("not RUNNING"))
    }
}
