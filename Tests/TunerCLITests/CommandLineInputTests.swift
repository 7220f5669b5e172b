import Foundation
import StudyStore
import Testing
import TunerKit
import Tuning
import TestSupport

/// What users type on the command line: negative numbers, an empty storage path, names that must become
/// shell variables, and messages that must read as sentences.
@Suite(.serialized) struct CommandLineInputTests {
    private func createStudy(_ name: String, space: String, in directory: TemporaryDirectory) throws -> TunerBinary.Result {
        try directory.write("space.yaml", space)
        return try TunerBinary.run(["create", name, "--space", "space.yaml", "--oracle", "random", "--direction", "min",
                                    "--max-trials", "3"], in: directory.path)
    }

    private func askedTrial(_ name: String, in directory: TemporaryDirectory) throws -> Int {
        let ask = try TunerBinary.run(["ask", name], in: directory.path)
        return try #require((try JSONSerialization.jsonObject(with: Data(ask.stdout.utf8)) as? [String: Any])?["trial"] as? Int, "\(ask.output)")
    }

    @Test func negativeNumbersAreValues() throws {
        let directory = try TemporaryDirectory()
        #expect(try createStudy("ll", space: "hyperparameters:\n  x: { type: float, min: -2, max: 2 }\n", in: directory).status == 0)
        let trial = try askedTrial("ll", in: directory)
        let tell = try TunerBinary.run(["tell", "ll", "--trial", "\(trial)", "--step", "0", "--value", "-3.2", "--value", "-3.5"],
                                       in: directory.path)
        #expect(tell.status == 0, "\(tell.output)")
        let told = try JSONSerialization.jsonObject(with: Data(tell.stdout.utf8)) as? [String: Any]
        #expect(told?["score"] as? Double == -3.5)

        let second = try askedTrial("ll", in: directory)
        let negativeStep = try TunerBinary.run(["tell", "ll", "--trial", "\(second)", "--step", "-1", "--value", "-1e3", "--state", "complete"], in: directory.path)
        #expect(negativeStep.status == 0, "\(negativeStep.output)")
        #expect((try JSONSerialization.jsonObject(with: Data(negativeStep.stdout.utf8)) as? [String: Any])?["score"] as? Double == -1000)

        let negativeTrial = try TunerBinary.run(["tell", "ll", "--trial", "-4", "--value", "1"], in: directory.path)
        #expect(negativeTrial.status == 64)
        #expect(negativeTrial.stderr.contains("no trial -4"), "\(negativeTrial.stderr)")
        let failed = try TunerBinary.run(["tell", "ll", "--trial", "\(try askedTrial("ll", in: directory))", "--state", "failed",
                                          "--reason", "-inf loss"], in: directory.path)
        #expect(failed.status == 0, "\(failed.output)")
        let threads = try TunerBinary.run(["search", "x.yaml", "--blas-threads", "-1"], in: directory.path)
        #expect(threads.status == 64)
        #expect(threads.stderr.contains("--blas-threads must be at least 1"), "\(threads.stderr)")
        let negativeCount = try TunerBinary.run(["summary", "ll", "--count", "-1"], in: directory.path)
        #expect(negativeCount.status == 64)
        #expect(negativeCount.stderr.contains("--count must be at least 1"), "\(negativeCount.stderr)")
    }

    @Test func anEmptyStoragePathIsRefused() throws {
        let directory = try TemporaryDirectory()
        try directory.write("space.yaml", "hyperparameters:\n  x: { type: float, min: -2, max: 2 }\n")
        let create = ["create", "x", "--space", "space.yaml", "--oracle", "random", "--direction", "min", "--max-trials", "3"]
        let flag = try TunerBinary.run(create + ["--storage", ""], in: directory.path)
        #expect(flag.status == 64, "\(flag.output)")
        #expect(flag.stderr.contains("--storage is empty"), "\(flag.stderr)")
        #expect(!flag.stdout.contains("created"))
        let variable = try TunerBinary.run(create, in: directory.path, environment: ["TUNER_STORAGE": ""])
        #expect(variable.status == 64, "\(variable.output)")
        #expect(variable.stderr.contains("TUNER_STORAGE is set but empty"), "\(variable.stderr)")
        let studies = try TunerBinary.run(["studies", "--storage", ""], in: directory.path)
        #expect(studies.status == 64)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/tuner.sqlite"))
    }

    @Test func importPrintsASentence() throws {
        let directory = try TemporaryDirectory()
        #expect(try createStudy("s", space: "hyperparameters:\n  x: { type: float, min: -2, max: 2 }\n", in: directory).status == 0)
        let trial = try askedTrial("s", in: directory)
        #expect(try TunerBinary.run(["tell", "s", "--trial", "\(trial)", "--value", "1"], in: directory.path).status == 0)
        #expect(try TunerBinary.run(["export", "s", "--format", "json", "--output", "s.json"], in: directory.path).status == 0)
        let imported = try TunerBinary.run(["import", "s.json", "--storage", "other.sqlite"], in: directory.path)
        #expect(imported.status == 0, "\(imported.output)")
        #expect(imported.stdout == "Imported study \"s\" with 1 trial into other.sqlite.\n", "\(imported.stdout)")
        let replaced = try TunerBinary.run(["import", "s.json", "--storage", "other.sqlite", "--replace"], in: directory.path)
        #expect(replaced.stdout.hasPrefix("Imported study \"s\" with 1 trial into other.sqlite (replacing the stored study"), "\(replaced.stdout)")
        let missing = try TunerBinary.run(["import", "nothing.json"], in: directory.path)
        #expect(missing.status == 64)
        #expect(missing.stderr == "tuner: cannot read nothing.json: no such file\n", "\(missing.stderr)")
    }

    @Test func everyHyperparameterNameBecomesAShellVariable() throws {
        let directory = try TemporaryDirectory()
        let space = """
            hyperparameters:
              taux_é: { type: float, min: 0, max: 1 }
              learning-rate: { type: fixed, value: 0.25 }
              "日本": { type: choice, values: ["it's", "b"] }
            """
        let create = try createStudy("env", space: space, in: directory)
        #expect(create.status == 0, "\(create.output)")
        let ask = try TunerBinary.run(["ask", "env", "--format", "env"], in: directory.path)
        #expect(ask.status == 0, "\(ask.output)")
        for line in ask.stdout.split(separator: "\n") {
            let name = line.prefix { $0 != "=" }
            #expect(name.first.map { $0.isASCII && ($0.isLetter || $0 == "_") } == true
                    && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }, "\(line)")
        }
        try directory.write("ask.sh", """
            eval "$("$1" ask env --format env)"
            printf '%s|%s|%s|%s\\n' "$TUNER_STATUS" "$TUNER_HP_TAUX__U00E9" "$TUNER_HP_LEARNING_RATE" "$TUNER_HP__U65E5_U672C"
            """)
        let output = try TunerBinary.runScript("ask.sh", in: directory.path).output
        let fields = output.trimmingCharacters(in: .newlines).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        #expect(fields.count == 4, "\(output)")
        #expect(fields.first == "run", "\(output)")
        #expect(fields.count == 4 && Double(fields[1]).map { (0...1).contains($0) } == true, "\(output)")
        #expect(fields.count == 4 && fields[2] == "0.25" && ["it's", "b"].contains(fields[3]), "\(output)")
    }

    @Test func collidingNamesAreRefusedWhenTheSpaceIsDefinedAndWhenAsked() throws {
        let directory = try TemporaryDirectory()
        let space = "hyperparameters:\n  a=b: { type: float, min: 0, max: 1 }\n  a_b: { type: float, min: 0, max: 1 }\n"
        let create = try createStudy("clash", space: space, in: directory)
        #expect(create.status == 64, "\(create.output)")
        #expect(create.stderr.contains("\"a=b\" and \"a_b\""), "\(create.stderr)")
        #expect(create.stderr.contains("TUNER_HP_A_B"), "\(create.stderr)")

        try directory.write("clash.yaml", """
            name: clash
            objective: { metric: loss, direction: min }
            oracle: { type: random, max_trials: 2 }
            \(space)command:
              run: "echo 'loss: 1'"
            """)
        let search = try TunerBinary.run(["search", "clash.yaml"], in: directory.path)
        #expect(search.status == 64, "\(search.output)")
        #expect(search.stderr.contains("\"a=b\" and \"a_b\""), "\(search.stderr)")

        // A study stored before such spaces were refused (here through the library, which does not check).
        var stored = SearchSpace()
        try stored.add(.float("a=b", min: 0, max: 1))
        try stored.add(.float("A_B", min: 0, max: 1))
        let storage = directory.path + "/tuner.sqlite"
        try StudyRunner(definition: StudyDefinition(name: "old", objective: Objective("loss", direction: .minimize),
                                                    oracle: .randomSearch(maxTrials: 3), searchSpace: stored),
                        storage: storage).createOrResume()
        let ask = try TunerBinary.run(["ask", "old", "--format", "env"], in: directory.path)
        #expect(ask.status == 64, "\(ask.output)")
        #expect(ask.stderr.contains("\"a=b\" and \"A_B\""), "\(ask.stderr)")
        #expect(!ask.stdout.contains("TUNER_HP_"))
        let store = try SQLiteStudyStorage(path: storage)
        #expect(try store.trials(study: try store.requireStudy(named: "old").id).isEmpty, "a refused ask started a trial")
        let json = try TunerBinary.run(["ask", "old"], in: directory.path)
        #expect(json.status == 0, "json keeps the names apart: \(json.output)")
    }

    @Test func aCheckpointFolderThatCannotBeCreatedIsASentence() throws {
        let directory = try TemporaryDirectory()
        try directory.write("data.csv", regressionCSV(rows: 40))
        try directory.write("tiny.yaml", modelStudy(trials: 1, epochs: 1))
        try directory.write("tuner.sqlite.checkpoints", "a file where the checkpoint folder should be\n")
        let search = try TunerBinary.run(["search", "tiny.yaml"], in: directory.path)
        #expect(search.output.contains("tuner.sqlite.checkpoints"), "\(search.output)")
        #expect(search.output.contains("cannot create the checkpoint folder (Not a directory)"), "\(search.output)")
        #expect(!search.output.contains("Error Domain"), "\(search.output)")
    }
}
