// `make bench`: prints one `BENCH <name> <value> <unit>` line per figure.
// Usage: tuner-bench [NAME_PREFIX...]   (runs only the benchmarks whose names start with a prefix;
// a CNN epoch's full name runs that epoch alone)
import Neural
import ReferenceWorkloads

import Foundation

func report(_ name: String, _ value: Double, _ unit: String) {
    let rounded = value >= 100 ? (value * 10).rounded() / 10 : (value * 10000).rounded() / 10000
    print("BENCH \(name) \(rounded) \(unit)")
    fflush(nil)
}

// A worker process of the storage throughput benchmark (started by it, not by people).
if CommandLine.arguments.count == 3, CommandLine.arguments[1] == StoreThroughputBenchmark.workerFlag {
    exit(StoreThroughputBenchmark.worker(study: CommandLine.arguments[2]))
}

let filters = Array(CommandLine.arguments.dropFirst())
func wanted(_ name: String) -> Bool { filters.isEmpty || filters.contains { name.hasPrefix($0) } }

do {
    if wanted("mlp") {
        let (train, _) = try ClassificationData.fashionMNIST()
        try MLPEpochBenchmark(train: train).run(report: report)
        try FitEpochBenchmark(train: train).run(report: report)
    }
    if wanted("data") {
        let (train, _) = try ClassificationData.fashionMNIST()
        try runDataBenchmarks(train: train, report: report)
    }
    if wanted("cnn") || filters.contains(where: { $0.hasPrefix("cnn_epoch") }) {
        let (train, _) = try ClassificationData.fashionMNIST()
        // A filter naming one epoch exactly (`cnn_epoch_1thread`) runs only that one; shorter
        // prefixes (`cnn`, `cnn_epoch`) run all three, as before.
        try CNNEpochBenchmark(train: train).run(report: report) { name in
            filters.isEmpty || filters.contains(name)
                || filters.contains { name.hasPrefix($0) && !CNNEpochBenchmark.names.contains($0) }
        }
    }
    if wanted("cnn_ops") || wanted("conv2d") {
        try ConvOpBenchmarks.run(report: report)
    } else if wanted("maxpool") || wanted("avgpool") {
        try ConvOpBenchmarks.runPooling(report: report)
    }
    if wanted("oracle") {
        // One BLAS thread: the GP's small products gain nothing from two, and timings stay steady.
        BLAS.setThreadCount(1)
        try runOracleBenchmarks(report: report)
    }
    if wanted("anytime_synthetic") {
        BLAS.setThreadCount(1)
        try AnytimeBenchmarks.runSynthetic(report: report)
    }
    if wanted("anytime_fmnist") {
        try AnytimeBenchmarks.runFashionMNIST(report: report)
    }
    if wanted("tpe") {
        BLAS.setThreadCount(1)
        try runTPEBenchmarks(report: report)
    }
    if wanted("gp_suite") || filters.contains(where: { $0.hasPrefix("gp_suite_") }) {
        // Issue 21's suite against Optuna and scikit-optimize (Scripts/gp_suite_peers.py); one BLAS thread as above.
        BLAS.setThreadCount(1)
        try runGPSuiteBenchmarks(filters: filters, report: report)
    }
    if wanted("mo") {
        BLAS.setThreadCount(1)
        try runMultiObjectiveBenchmarks(report: report)
    }
    if wanted("store") {
        try runStoreBenchmarks(report: report)
    }
    if wanted("store_throughput") {
        try StoreThroughputBenchmark.run(report: report)
    }
    if wanted("search") || filters.contains(where: { $0.hasPrefix("search_") }) {
        try runSearchBenchmarks(filters: filters, report: report)
    }
    if wanted("dashboard") {
        try runDashboardBenchmarks(report: report)
    }
} catch {
    FileHandle.standardError.write(Data("tuner-bench: \(error)\n".utf8))
    exit(1)
}
