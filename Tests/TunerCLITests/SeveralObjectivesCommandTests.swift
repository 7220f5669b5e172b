import Foundation
import Testing
import TestSupport

/// `tuner create --metric NAME:DIR` repeated, `tuner tell --values ... --constraint ...`, `tuner best`
/// printing the Pareto front and `tuner trials` each objective and feasibility, through the binary.
@Suite(.serialized) struct SeveralObjectivesCommandTests {
    private func json(_ text: String) -> Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }

    private func ask(_ name: String, in directory: TemporaryDirectory) throws -> (trial: Int, x: Double) {
        let ask = try TunerBinary.run(["ask", name], in: directory.path)
        let object = try #require(json(ask.stdout) as? [String: Any], "\(ask.output)")
        let trial = try #require(object["trial"] as? Int)
        let x = try #require((object["hyperparameters"] as? [String: Any])?["x"] as? Double, "\(ask.output)")
        return (trial, x)
    }

    @Test func aTwoObjectiveStudyThroughTheCommandLine() throws {
        let directory = try TemporaryDirectory()
        try directory.write("space.yaml", "hyperparameters:\n  x: { type: float, min: 0, max: 1 }\n")
        let create = try TunerBinary.run(["create", "mo", "--space", "space.yaml", "--oracle", "random", "--max-trials", "6",
                                          "--metric", "accuracy:max", "--metric", "params:min"], in: directory.path)
        #expect(create.status == 0, "\(create.output)")

        var numbers: [Int] = []
        for index in 0..<5 {
            let (trial, x) = try ask("mo", in: directory)
            numbers.append(trial)
            // Trial 3 (index 2) is infeasible; the others are on the front (accuracy and params both grow with x).
            var arguments = ["tell", "mo", "--trial", "\(trial)", "--values", "\(x)", "\(1000 * x)"]
            arguments += ["--constraint", index == 2 ? "0.5" : "-1"]
            let tell = try TunerBinary.run(arguments, in: directory.path)
            #expect(tell.status == 0, "\(tell.output)")
            let told = try #require(json(tell.stdout) as? [String: Any], "\(tell.output)")
            #expect((told["values"] as? [Double])?.count == 2 && told["feasible"] as? Bool == (index != 2))
        }

        // Bad input: a third value, no values, a direction that is not one; nothing changes.
        let (running, _) = try ask("mo", in: directory)
        let third = try TunerBinary.run(["tell", "mo", "--trial", "\(running)", "--values", "1", "2", "3"], in: directory.path)
        #expect(third.status == 64 && third.stderr.contains("has 2 objectives"), "\(third.output)")
        let single = try TunerBinary.run(["tell", "mo", "--trial", "\(running)", "--value", "1"], in: directory.path)
        #expect(single.status == 64 && single.stderr.contains("1 values were given"), "\(single.output)")
        let wrongDirection = try TunerBinary.run(["create", "bad", "--space", "space.yaml", "--oracle", "random", "--max-trials", "2",
                                                  "--metric", "a:up", "--metric", "b:min"], in: directory.path)
        #expect(wrongDirection.status == 64 && wrongDirection.stderr.contains("must be min or max"), "\(wrongDirection.output)")
        let median = try TunerBinary.run(["create", "bad", "--space", "space.yaml", "--oracle", "random", "--max-trials", "2",
                                         "--pruner", "median", "--metric", "a:max", "--metric", "b:min"], in: directory.path)
        #expect(median.status == 64 && median.stderr.contains("use the asha pruner"), "\(median.output)")
        let bohb = try TunerBinary.run(["create", "bohb-mo", "--space", "space.yaml", "--oracle", "bohb", "--max-epochs", "3",
                                       "--metric", "a:max", "--metric", "b:min"], in: directory.path)
        #expect(bohb.status == 0, "\(bohb.output)")

        let best = try TunerBinary.run(["best", "mo", "--format", "json"], in: directory.path)
        #expect(best.status == 0, "\(best.output)")
        let front = try #require(json(best.stdout) as? [[String: Any]], "\(best.output)")
        #expect(front.compactMap { $0["trial"] as? Int }.sorted() == [numbers[0], numbers[1], numbers[3], numbers[4]].sorted())
        #expect(front.allSatisfy { ($0["values"] as? [String: Any])?.keys.sorted() == ["accuracy", "params"] })

        let trials = try TunerBinary.run(["trials", "mo", "--format", "csv"], in: directory.path)
        #expect(trials.status == 0, "\(trials.output)")
        let header = trials.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.contains("accuracy,params,feasible"), "\(header)")
        #expect(trials.stdout.contains(",no,"), "\(trials.stdout)")

        // A whole number (a count of weights) prints as one, in the table and in CSV; fractions keep theirs.
        let whole = try TunerBinary.run(["tell", "mo", "--trial", "\(running)", "--values", "0.25", "8755", "--constraint", "-1"],
                                        in: directory.path)
        #expect(whole.status == 0, "\(whole.output)")
        for format in ["table", "csv"] {
            let listed = try TunerBinary.run(["trials", "mo", "--format", format], in: directory.path)
            let row = listed.stdout.split(separator: "\n").first { $0.contains("8755") }.map(String.init) ?? ""
            #expect(row.contains("0.25") && !row.contains("8755.0"), "\(listed.output)")
        }
    }

    /// `tuner tell --step S --values ...` reports every objective at a step, and the asha pruner ranks
    /// the rung's trials by non-dominated sorting: a dominated trial stops, one on the front goes on.
    @Test func theASHAPrunerJudgesEveryObjective() throws {
        let directory = try TemporaryDirectory()
        try directory.write("space.yaml", "hyperparameters:\n  x: { type: float, min: 0, max: 1 }\n")
        let create = try TunerBinary.run(["create", "mo", "--space", "space.yaml", "--oracle", "random", "--max-trials", "6",
                                          "--pruner", "{type: asha, min_epochs: 1, factor: 2}",
                                          "--metric", "accuracy:max", "--metric", "params:min"], in: directory.path)
        #expect(create.status == 0, "\(create.output)")
        func report(_ values: [Double]) throws -> (status: Int32, shouldPrune: Bool?, output: String) {
            let (trial, _) = try ask("mo", in: directory)
            let run = try TunerBinary.run(["tell", "mo", "--trial", "\(trial)", "--step", "1", "--values"] + values.map { "\($0)" },
                                          in: directory.path)
            return (run.status, (json(run.stdout) as? [String: Any])?["should_prune"] as? Bool, run.output)
        }
        let first = try report([0.9, 100])
        #expect(first.status == 0 && first.shouldPrune == false, "\(first.output)")
        // Dominated by the first at the rung, which keeps 1 of 2: stop (exit status 3).
        let dominated = try report([0.5, 200])
        #expect(dominated.status == 3 && dominated.shouldPrune == true, "\(dominated.output)")
        // Better on both: the one kept of 3.
        let better = try report([0.95, 50])
        #expect(better.status == 0 && better.shouldPrune == false, "\(better.output)")

        // One value at a step cannot be judged on every objective: a clear error, nothing recorded.
        let (trial, _) = try ask("mo", in: directory)
        let single = try TunerBinary.run(["tell", "mo", "--trial", "\(trial)", "--step", "1", "--value", "0.1"], in: directory.path)
        #expect(single.status == 64 && single.stderr.contains("report one value for each"), "\(single.output)")
    }
}
