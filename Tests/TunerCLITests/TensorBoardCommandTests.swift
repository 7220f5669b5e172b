import Foundation
import Testing
import TestSupport

/// `tuner search --tensorboard DIR`, the study file's `tensorboard:` key and `tuner export --format
/// tensorboard`, read back by TensorBoard itself (Scripts/tensorboard_hparams.py in the venv of
/// `make tensorboard-venv`, which also asks a `tensorboard --logdir` server's HTTP API).
@Suite("TensorBoard from the command line", .serialized, .timeLimit(.minutes(5)))
struct TensorBoardCommandTests {
    static var python: String { packageRoot + "/.build/tensorboard-venv/bin/python" }

    /// Scripts/tensorboard_hparams.py's JSON for `folder`, or a failure saying how to get TensorBoard.
    static func readHParams(_ folder: String, serve: Bool) throws -> [String: Any] {
        try #require(FileManager.default.isExecutableFile(atPath: python),
                     "no TensorBoard virtual environment at \(python): run `make tensorboard-venv` (`make test` does)")
        let result = try runProcess(python, [packageRoot + "/Scripts/tensorboard_hparams.py", folder] + (serve ? ["--serve"] : []))
        try #require(result.status == 0, "tensorboard_hparams.py failed (\(result.status)): \(result.errors)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    }

    static func trials(_ name: String, in directory: String) throws -> [[String: Any]] {
        let result = try TunerBinary.run(["trials", name, "--format", "json"], in: directory)
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], "\(result.output)")
    }

    /// Checks that `log` holds a run per trial of `trials` with its values and end, and the experiment.
    static func check(_ log: [String: Any], trials: [[String: Any]]) throws {
        let hparams = try #require(log["hparams"] as? [String: [String: Any]])
        let experiment = try #require(hparams["."]?["experiment"] as? [String: Any], "no experiment in \(hparams.keys.sorted())")
        let names = (experiment["hparamInfos"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(Set(names) == ["units", "learning_rate"])
        for trial in trials {
            let number = try #require(trial["trial"] as? Int)
            let run = "trial_\(number)"
            let start = try #require(hparams[run]?["session_start_info"] as? [String: Any], "no session in \(run)")
            let values = start["hparams"] as? [String: Any] ?? [:]
            #expect((values["units"] as? NSNumber)?.intValue == trial["units"] as? Int, "\(run)")
            let end = hparams[run]?["session_end_info"] as? [String: Any]
            #expect(end?["status"] as? String == "STATUS_SUCCESS", "\(run)")
            let scalars = (log["scalars"] as? [String: [String: [[Any]]]])?["\(run)/validation"]?["epoch_loss"] ?? []
            #expect(scalars.map { $0.first as? Int } == [0, 1, 2], "\(run)")
        }
    }

    @Test func aSearchWithTensorBoardIsListedByTensorBoardAndExportsTheSame() throws {
        let directory = try TemporaryDirectory()
        try directory.write("data.csv", regressionCSV())
        try directory.write("tiny.yaml", modelStudy(trials: 3, epochs: 3))
        let search = try TunerBinary.run(["search", "tiny.yaml", "--quiet", "--parallel", "1", "--tensorboard", "logs"], in: directory.path)
        #expect(search.status == 0, "\(search.output)")
        let trials = try Self.trials("tiny", in: directory.path)
        #expect(trials.count == 3)

        let live = try Self.readHParams(directory.path("logs"), serve: true)
        try Self.check(live, trials: trials)
        let http = try #require(live["http"] as? [String: Any])
        let runs = http["runs"] as? [String] ?? []
        for trial in trials { #expect(runs.contains("trial_\(trial["trial"] as? Int ?? -1)"), "\(runs)") }
        let groups = (http["session_groups"] as? [String: Any])?["sessionGroups"] as? [[String: Any]] ?? []
        #expect(groups.count == 3, "\(http)")

        let export = try TunerBinary.run(["export", "tiny", "--format", "tensorboard", "--output", "exported"], in: directory.path)
        #expect(export.status == 0, "\(export.output)")
        #expect(export.stdout.contains("Wrote 3 TensorBoard runs"))
        try Self.check(try Self.readHParams(directory.path("exported"), serve: false), trials: trials)

        // A second export into the same folder would double every curve: refused.
        let again = try TunerBinary.run(["export", "tiny", "--format", "tensorboard", "--output", "exported"], in: directory.path)
        #expect(again.status == 64, "\(again.output)")
        #expect(again.stderr.contains("not empty"), "\(again.stderr)")
    }

    /// An IDX file of unsigned bytes with `shape` (the format Fashion-MNIST comes in).
    static func idx(shape: [Int], bytes: [UInt8]) -> Data {
        var data = Data([0, 0, 0x08, UInt8(shape.count)])
        for dimension in shape { data.append(contentsOf: [24, 16, 8, 0].map { UInt8((dimension >> $0) & 0xff) }) }
        data.append(contentsOf: bytes)
        return data
    }

    /// Seed 002's random search (Studies/fashion-mnist-random.yaml, smaller) on Fashion-MNIST-shaped IDX
    /// files made here (28 × 28 bytes; a class is a brighter pair of rows), with `--tensorboard`: the
    /// HParams dashboard's columns are the study's hyperparameters, and every trial's curves are there.
    @Test func theSeedsFashionSearchIsListedInTheHParamsDashboard() throws {
        let directory = try TemporaryDirectory()
        let count = 150
        var state: UInt64 = 99
        var pixels: [UInt8] = [], labels: [UInt8] = []
        for index in 0..<count {
            let label = index % 10
            labels.append(UInt8(label))
            for row in 0..<28 {
                for _ in 0..<28 {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    let noise = Int(state >> 58)  // 0–63
                    pixels.append(UInt8((row == 4 + 2 * label || row == 5 + 2 * label ? 150 : 0) + noise))
                }
            }
        }
        try Self.idx(shape: [count, 28, 28], bytes: pixels).write(to: URL(fileURLWithPath: directory.path("train-images.idx")))
        try Self.idx(shape: [count], bytes: labels).write(to: URL(fileURLWithPath: directory.path("train-labels.idx")))
        try directory.write("fashion.yaml", """
            name: my_rnd_search
            objective: { metric: val_accuracy, direction: max }
            oracle: { type: random, max_trials: 3, seed: 42 }
            hyperparameters:
              n_hidden:      { type: int,    min: 0,    max: 2,    default: 1 }
              n_neurons:     { type: int,    min: 16,   max: 64 }
              learning_rate: { type: float,  min: 1e-4, max: 1e-2, sampling: log }
              optimizer:     { type: choice, values: [sgd, adam] }
            data: { source: idx, images: train-images.idx, labels: train-labels.idx, validation: 30, scale: 255 }
            model:
              - flatten
              - repeat: n_hidden
                layers:
                  - dense: { units: n_neurons, activation: relu }
              - dense: { units: 10, activation: softmax }
            compile: { loss: sparse_categorical_crossentropy, optimizer: optimizer, learning_rate: learning_rate, metrics: [accuracy] }
            fit: { epochs: 2, batch_size: 32 }
            """)
        let search = try TunerBinary.run(["search", "fashion.yaml", "--quiet", "--parallel", "1", "--tensorboard", "my_fashion_mnist/tensorboard"],
                                         in: directory.path)
        #expect(search.status == 0, "\(search.output)")
        let trials = try Self.trials("my_rnd_search", in: directory.path)
        #expect(trials.count == 3)

        let log = try Self.readHParams(directory.path("my_fashion_mnist/tensorboard"), serve: true)
        let http = try #require(log["http"] as? [String: Any])
        let experiment = try #require(http["experiment"] as? [String: Any])
        let columns = (experiment["hparamInfos"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(Set(columns) == ["n_hidden", "n_neurons", "learning_rate", "optimizer"])
        let groups = (http["session_groups"] as? [String: Any])?["sessionGroups"] as? [[String: Any]] ?? []
        #expect(groups.count == 3, "\(http)")
        let scalars = log["scalars"] as? [String: [String: [[Any]]]] ?? [:]
        for trial in trials {
            let number = try #require(trial["trial"] as? Int)
            let group = try #require(groups.first { $0["name"] as? String == "trial_\(number)" }, "\(groups)")
            let values = group["hparams"] as? [String: Any] ?? [:]
            #expect(values["optimizer"] as? String == trial["optimizer"] as? String)
            #expect((values["n_neurons"] as? NSNumber)?.intValue == trial["n_neurons"] as? Int)
            for run in ["trial_\(number)/train", "trial_\(number)/validation"] {
                #expect(scalars[run]?["epoch_accuracy"]?.map { $0.first as? Int } == [0, 1], "\(run)")
                #expect(scalars[run]?["epoch_loss"]?.count == 2, "\(run)")
            }
        }
    }

    @Test func theStudyFilesKeyNamesTheFolderAndTheFlagWins() throws {
        let directory = try TemporaryDirectory()
        try directory.write("data.csv", regressionCSV())
        try directory.write("keyed.yaml", modelStudy(name: "keyed", trials: 2, epochs: 3) + "\ntensorboard: runs/keyed\n")
        let search = try TunerBinary.run(["search", "keyed.yaml", "--quiet", "--parallel", "1"], in: directory.path)
        #expect(search.status == 0, "\(search.output)")
        try Self.check(try Self.readHParams(directory.path("runs/keyed"), serve: false), trials: try Self.trials("keyed", in: directory.path))

        try directory.write("flag.yaml", modelStudy(name: "flag", trials: 2, epochs: 3) + "\ntensorboard: runs/unused\n")
        let flagged = try TunerBinary.run(["search", "flag.yaml", "--quiet", "--parallel", "1", "--tensorboard", "runs/flag"], in: directory.path)
        #expect(flagged.status == 0, "\(flagged.output)")
        #expect(FileManager.default.fileExists(atPath: directory.path("runs/flag/trial_1")))
        #expect(!FileManager.default.fileExists(atPath: directory.path("runs/unused")))
    }

    @Test func anUnusableFolderIsAClearErrorBeforeAnyTrial() throws {
        let directory = try TemporaryDirectory()
        try directory.write("data.csv", regressionCSV())
        try directory.write("tiny.yaml", modelStudy(trials: 2, epochs: 1))
        try directory.write("blocker", "a file, not a folder")
        let result = try TunerBinary.run(["search", "tiny.yaml", "--quiet", "--tensorboard", "blocker/logs"], in: directory.path)
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot create the TensorBoard folder blocker/logs"), "\(result.stderr)")
        let empty = try TunerBinary.run(["search", "tiny.yaml", "--tensorboard", ""], in: directory.path)
        #expect(empty.status == 64, "\(empty.output)")
        #expect(empty.stderr.contains("--tensorboard needs a folder path"), "\(empty.stderr)")
    }
}
