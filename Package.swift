// swift-tools-version:6.0
// Tuner: hyperparameter tuning in Swift on an embedded tensor / autodiff core.
// See ARCHITECTURE.md for what each target holds and how a search flows through them.
import PackageDescription

/// Release builds of the numeric core are where the time goes; keep them fast but checked
/// (-O keeps overflow and bounds checks, unlike -Ounchecked).
let numericSettings: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
    // Lets sqrt inline as an instruction that vectorizes (with errno semantics it is a libm call).
    .unsafeFlags(["-Xcc", "-fno-math-errno"]),
]

let package = Package(
    name: "Tuner",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Neural", targets: ["Neural"]),
        .library(name: "Tuning", targets: ["Tuning"]),
        .library(name: "StudyStore", targets: ["StudyStore"]),
        .library(name: "TunerKit", targets: ["TunerKit"]),
        .library(name: "StudyFiles", targets: ["StudyFiles"]),
        .library(name: "StudyFileRuntime", targets: ["StudyFileRuntime"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "Dashboard", targets: ["Dashboard"]),
        .library(name: "TensorBoard", targets: ["TensorBoard"]),
        .executable(name: "tuner-bench", targets: ["TunerBench"]),
        .executable(name: "mlp-demo", targets: ["MLPDemo"]),
        .executable(name: "fashion-mnist-classifier", targets: ["FashionMNISTClassifier"]),
        .executable(name: "book-tuner-search", targets: ["BookTunerSearch"]),
        .executable(name: "tuner", targets: ["TunerCLI"]),
        .executable(name: "gan-example", targets: ["GANExample"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // SHA-256 for the checkpoint folders of long study names.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // SQLite for the study store: connections, transactions, migrations, Codable records.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // PostgreSQL for the study store's second backend (a `postgresql://` storage string).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // TLS to a PostgreSQL server (`sslmode`): the certificate settings PostgresNIO takes.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // The HTTP server of `tuner dashboard` (routing, streamed responses for Server-Sent Events).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Hummingbird's own dependencies, named because the dashboard uses them directly: header names, its
        // logger, and graceful shutdown (live streams end when the server stops).
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // C libraries from Debian packages, reached through module maps.
        .systemLibrary(name: "CLinearAlgebra", path: "Sources/CLinearAlgebra"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // Convolutions on oneDNN (Debian's `libdnnl-dev`): a C wrapper over its C API that caches
        // primitives per geometry and keeps per-thread streams and scratch (include/tuner_dnnl.h).
        .target(
            name: "CDNNL",
            path: "Sources/CDNNL",
            linkerSettings: [.linkedLibrary("dnnl"), .linkedLibrary("gomp")]
        ),

        // 2×2 stride-2 max and average pooling loops (include/tuner_pooling.h), in C because clang
        // vectorizes their selects and byte indices where Swift's SIMD masks compiled to scalar code.
        .target(name: "CPooling", path: "Sources/CPooling"),
        // The Adam update (include/tuner_optimizers.h), in C to run on AVX-512 or AVX2 where the machine
        // has them (picked at load time), with the Swift loop's results bit for bit. Without errno
        // semantics sqrtf is an instruction that vectorizes.
        .target(name: "COptimizers", path: "Sources/COptimizers", cSettings: [.unsafeFlags(["-fno-math-errno"])]),

        // The neural core: tensors, autodiff, (later) layers, models and training. Its Keras
        // configurations are `JSONValue`s (re-exported).
        // OpenBLAS's process-wide thread count and the one lock that holds it steady, shared by the
        // tensor core and the Gaussian process (results depend on the count).
        .target(name: "BLASThreads", dependencies: ["CLinearAlgebra"]),

        .target(
            name: "Neural",
            dependencies: ["CLinearAlgebra", "CZlib", "CDNNL", "CPooling", "COptimizers", "JSONValues", "BLASThreads"],
            swiftSettings: numericSettings
        ),
        // Hyperparameters and oracles; sees only hyperparameters and scores.
        .target(
            name: "Tuning",
            dependencies: ["CLinearAlgebra", "BLASThreads"],
            swiftSettings: numericSettings
        ),

        // The one JSON value type (stored oracle settings and state, exports), shared by every module.
        .target(name: "JSONValues"),

        // The storage boundary: studies, trials, learning curves, oracle state and checkpoints as
        // Tuning's types behind the `StudyStorage` protocol; SQLite (on GRDB) and PostgreSQL (on PostgresNIO)
        // are its conformers.
        .target(
            name: "StudyStore",
            dependencies: [
                "Tuning", "JSONValues", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            // Testable in release too: its tests write files as older versions did (the frozen schema
            // SQL) and read the connection's settings, which are internal.
            swiftSettings: numericSettings + [.unsafeFlags(["-enable-testing"])]
        ),

        // The tuner: hypermodels, the search loop over oracle + store + core, best models.
        .target(
            name: "TunerKit",
            dependencies: ["Neural", "Tuning", "StudyStore", "JSONValues", "TensorBoard", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: numericSettings
        ),

        // Declarative study files (YAML): parsing, validation, model templates, command lines.
        .target(
            name: "StudyFiles",
            dependencies: ["Neural", "Tuning", .product(name: "Yams", package: "Yams")],
            swiftSettings: numericSettings
        ),
        // A validated study file at work: its hypermodel, data, command trials and oracle settings for TunerKit.
        .target(
            name: "StudyFileRuntime",
            dependencies: ["StudyFiles", "TunerKit", "Neural", "Tuning"],
            swiftSettings: numericSettings
        ),
        // Study reports: HTML with SVG charts, Markdown, CSV, JSON export and import (docs/reports.md).
        .target(name: "Reports", dependencies: ["StudyStore", "Tuning", "JSONValues"]),
        // `tuner dashboard`: studies in a browser, pages rendered on the server with the Reports charts,
        // live updates over Server-Sent Events; reads the store only (docs/dashboard.md).
        .target(
            name: "Dashboard",
            dependencies: [
                "StudyStore", "Reports", "Tuning", "JSONValues",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // Testable in release too: its tests check the path encoding and the query parsing, which are internal.
            swiftSettings: [.unsafeFlags(["-enable-testing"])]
        ),

        // TensorBoard's event files: a hand-written protocol-buffer encoder of the few messages it reads
        // (the HParams plugin's among them), in Neural's TFRecord framing, `SummaryWriter`, and Keras's
        // `TensorBoard` callback for `fit` (docs/tensorboard.md). TunerKit writes searches through it.
        .target(name: "TensorBoard", dependencies: ["Neural"]),

        // The seeds' reference models as workloads, shared by the demo and the benchmarks.
        .target(name: "ReferenceWorkloads", dependencies: ["Neural", "Tuning", "TunerKit"], swiftSettings: numericSettings),

        // Executables.
        .executableTarget(
            name: "TunerBench",
            // TestSupport for its throwaway PostgreSQL server (the storage throughput figures).
            dependencies: ["Neural", "Tuning", "ReferenceWorkloads", "StudyStore", "TunerKit", "Reports", "JSONValues", "Dashboard",
                           "TestSupport"]
        ),
        .executableTarget(name: "MLPDemo", dependencies: ["Neural", "ReferenceWorkloads"]),
        .executableTarget(name: "FashionMNISTClassifier", dependencies: ["Neural"]),
        // The `tuner` command: thin adapters over TunerKit, StudyFiles (+ StudyFileRuntime) and Reports.
        .executableTarget(
            name: "TunerCLI",
            dependencies: [
                "TunerKit", "Tuning", "StudyStore", "JSONValues", "Neural", "StudyFiles", "StudyFileRuntime", "Reports",
                "Dashboard", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "BookTunerSearch", dependencies: ["Neural", "Tuning", "TunerKit", "ReferenceWorkloads"]),
        .executableTarget(name: "GANExample", dependencies: ["Neural", "ReferenceWorkloads"]),

        // Tests.
        // Helpers every test target shares (temporary folders, a lock box, real threads, a throwaway
        // PostgreSQL server, which the benchmarks use too).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // The JSON beside the generated Swift reference numbers is what the Keras script wrote; kept
        // for people, not read by the tests.
        .testTarget(
            name: "NeuralTests",
            // CDNNL: the tests of the kept Winograd source read its per-thread use count.
            dependencies: ["TestSupport", "Neural", "CZlib", "CDNNL"], exclude: ["Optimizers/Resources"]
        ),
        .testTarget(name: "ReferenceWorkloadsTests", dependencies: ["ReferenceWorkloads", "Neural", "Tuning", "TunerKit"]),
        .testTarget(name: "TuningTests", dependencies: ["Tuning"]),
        .testTarget(
            name: "StudyStoreTests",
            dependencies: ["TestSupport", "StudyStore", "Tuning", "JSONValues", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "TunerKitTests",
            dependencies: ["TestSupport", "TunerKit", "Neural", "Tuning", "StudyStore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "StudyFilesTests", dependencies: ["TestSupport", "StudyFiles", "Neural", "Tuning"]),
        .testTarget(
            name: "StudyFileRuntimeTests",
            dependencies: ["TestSupport", "StudyFileRuntime", "StudyFiles", "TunerKit", "Neural", "Tuning"]
        ),
        // GRDB: tests that damage a stored field write the SQLite file directly.
        .testTarget(
            name: "ReportsTests",
            dependencies: ["TestSupport", "Reports", "StudyStore", "Tuning", "JSONValues",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "TunerCLITests",
            dependencies: ["TestSupport", "StudyStore", "TunerKit", "Tuning", .product(name: "GRDB", package: "GRDB.swift")],
            // Fixtures/: study databases written by released `tuner` binaries (read by path, through #filePath).
            exclude: ["Fixtures"]
        ),
        // The dashboard's routes in process (HummingbirdTesting), its live stream on a real port, and the
        // browser test (Tests/DashboardTests/Browser/, Chromium through Selenium).
        .testTarget(
            name: "DashboardTests",
            dependencies: [
                "TestSupport", "Dashboard", "StudyStore", "Tuning", "JSONValues",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                // The write-lock test holds SQLite's lock the way a worker does.
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Browser"]
        ),
        // Fixtures/: protocol-buffer bytes Python wrote (Scripts/tensorboard_reference.py), read by path; the
        // TensorBoard test reads our files with TensorBoard itself (Scripts/tensorboard_read.py, `make tensorboard-venv`).
        // TunerKit, Tuning and StudyStore: searches written as HParams runs (`tensorBoard:`) and stored studies exported.
        .testTarget(name: "TensorBoardTests", dependencies: ["TestSupport", "TensorBoard", "Neural", "TunerKit", "Tuning", "StudyStore"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "SystemLibrariesTests", dependencies: ["CLinearAlgebra", "CZlib"]),
        // `make test` replays the fuzz targets' committed seeds (Fuzz/Corpus/) through the targets' own
        // input functions, and ask-tell's through the `tuner` binary; `make fuzz` runs the libFuzzer
        // entry points (Scripts/fuzz.sh builds those, with the files named here, apart from this build).
        .testTarget(
            name: "FuzzReplayTests",
            dependencies: ["TestSupport", "StudyFiles", "Tuning", "Reports", "StudyStore"],
            path: "Fuzz",
            exclude: ["Corpus", "StudyFile/StudyFileFuzzTarget.swift", "StudyImport/StudyImportFuzzTarget.swift",
                      "AskTell/AskTellFuzzTarget.swift"],
            sources: ["StudyFile/StudyFileFuzzInput.swift", "StudyImport/StudyImportFuzzInput.swift",
                      "AskTell/AskTellFuzzCommandLine.swift", "Replay"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
