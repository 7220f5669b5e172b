import Foundation
import Testing
import TestSupport

/// `tuner create --oracle tpe` and an ask/tell loop on it from a shell script.
@Suite(.serialized) struct TPECommandTests {
    @Test func aTPEStudyRunsAnAskTellLoopAndFindsTheMinimum() throws {
        let directory = try TemporaryDirectory()
        try directory.write("space.yaml", """
            hyperparameters:
              x: { type: float, min: -2, max: 2 }
              shape: { type: choice, values: [bowl, shelf] }
            """)
        try directory.write("loop.sh", """
            #!/bin/sh
            set -e
            tuner=$1
            $tuner create tpe-study --space space.yaml --oracle tpe --direction min --metric loss --max-trials 24 \\
              --initial-points 6 --candidates 16 --seed 5 > /dev/null
            while true; do
              eval "$($tuner ask tpe-study --format env)"
              [ "$TUNER_STATUS" = run ] || break
              value=$(awk -v x="$TUNER_HP_X" -v s="$TUNER_HP_SHAPE" 'BEGIN { printf "%f", x * x + (s == "shelf" ? 1 : 0) }')
              $tuner tell tpe-study --trial "$TUNER_TRIAL" --value "$value" > /dev/null
            done
            echo "status: $TUNER_STATUS"
            """)
        let (status, output) = try TunerBinary.runScript("loop.sh", in: directory.path)
        #expect(status == 0, "\(output)")
        #expect(output.contains("status: search_is_over"))
        let trials = try TunerBinary.run(["trials", "tpe-study", "--format", "json"], in: directory.path)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(trials.stdout.utf8)) as? [[String: Any]])
        #expect(list.count == 24)
        #expect(list.allSatisfy { $0["state"] as? String == "COMPLETE" })
        let best = try TunerBinary.run(["best", "tpe-study", "--format", "json"], in: directory.path)
        #expect(best.status == 0, "\(best.stderr)")
        #expect(best.stdout.contains("bowl"), "\(best.stdout)")
    }

    @Test func candidatesBelongToTheTPEOracleOnly() throws {
        let directory = try TemporaryDirectory()
        try directory.write("space.yaml", "hyperparameters:\n  x: { type: float, min: 0, max: 1 }\n")
        let wrong = try TunerBinary.run(
            ["create", "s", "--space", "space.yaml", "--oracle", "random", "--direction", "min", "--max-trials", "3", "--candidates", "8"],
            in: directory.path)
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("--candidates applies to --oracle tpe only"))
        let missing = try TunerBinary.run(["create", "s", "--space", "space.yaml", "--oracle", "tpe", "--direction", "min"], in: directory.path)
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("--oracle tpe needs --max-trials"))
        let negative = try TunerBinary.run(
            ["create", "s", "--space", "space.yaml", "--oracle", "tpe", "--direction", "min", "--max-trials", "3", "--candidates", "0"],
            in: directory.path)
        #expect(negative.status == 64, "\(negative.stderr)")
        #expect(negative.stderr.contains("numCandidates"))
    }
}
