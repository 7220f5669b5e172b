import Foundation
import TensorBoard
import Testing
import TestSupport

/// Our event files read by TensorBoard itself: a run written with `SummaryWriter` (scalars over several
/// steps, NaN and infinity among them, a histogram, a grayscale and an RGB image, a text) is loaded by
/// TensorBoard's `EventAccumulator` (Scripts/tensorboard_read.py, in the virtual environment that
/// `make tensorboard-venv` makes with TensorBoard from PyPI), and what it found is checked here: tags,
/// steps, values, sizes and pixels.
@Suite("Read by TensorBoard", .timeLimit(.minutes(3)))
struct TensorBoardReadTests {
    /// The venv's python, or a failure saying how to make it (never a skip: `make test` makes it).
    static func python() throws -> String {
        let python = PackagePaths.tensorBoardPython
        try #require(FileManager.default.isExecutableFile(atPath: python),
                     "no TensorBoard virtual environment at \(python): run `make tensorboard-venv` (`make test` does)")
        return python
    }

    /// What Scripts/tensorboard_read.py printed for the run folder `folder`.
    static func read(_ folder: String) async throws -> [String: Any] {
        let python = try python()
        let script = PackagePaths.script("tensorboard_read.py")
        // Python starts in seconds: on a thread of its own, not one of Swift's few cooperative threads.
        let result = try await onOwnThread { try runProcess(python, [script, folder]) }
        try #require(result.status == 0, "tensorboard_read.py failed (\(result.status)): \(result.errors)")
        let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
        return try #require(json as? [String: Any], "not a JSON object: \(result.output)")
    }

    static let losses: [Double] = [2.5, 1.25, 0.625, .nan, -.infinity, 0.1]
    static let weights: [Double] = (0..<100).map { Double($0) / 10 - 3 }
    static let grayscale: [UInt8] = (0..<(4 * 3)).map { UInt8($0 * 20) }  // 4 wide, 3 high
    static let rgb: [UInt8] = (0..<(2 * 2 * 3)).map { UInt8(255 - $0 * 10) }  // 2 × 2
    static let note = "# Run 1\nlearning rate **0.001**, héllo ✓"

    @Test func eventAccumulatorReadsScalarsHistogramsImagesAndText() async throws {
        let directory = try TemporaryDirectory("tensorboard-read")
        let run = directory.path("logs/run_1")
        let writer = try SummaryWriter(logDirectory: run)
        for (step, loss) in Self.losses.enumerated() {
            try writer.scalar("loss", value: loss, step: step * 10)
            try writer.scalar("train/accuracy", value: Double(step) / 10, step: step * 10)
        }
        try writer.histogram("dense/kernel", values: Self.weights, step: 50)
        try writer.histogram("dense/kernel", values: Self.weights.map { $0 * 2 }, step: 60, buckets: 5)
        try writer.image("digit", pixels: Self.grayscale, width: 4, height: 3, step: 50)
        try writer.image("colour", pixels: Self.rgb, width: 2, height: 2, channels: 3, step: 50)
        try writer.text("notes", Self.note, step: 0)
        try writer.close()

        let found = try await Self.read(run)
        // TensorBoard keeps the number of "brain.Event:2".
        #expect((found["file_version"] as? NSNumber)?.doubleValue == 2)

        // Scalars: every step, the values as float32 (NaN and minus infinity as written).
        let scalars = try #require(found["scalars"] as? [String: [[String: Any]]])
        #expect(Set(scalars.keys) == ["loss", "train/accuracy"])
        let loss = try #require(scalars["loss"])
        #expect(loss.map { $0["step"] as? Int } == [0, 10, 20, 30, 40, 50])
        let lossValues = loss.compactMap { ($0["value"] as? String).flatMap(Double.init) }
        #expect(lossValues.count == 6)
        for (read, written) in zip(lossValues, Self.losses) {
            #expect(read.isNaN ? written.isNaN : read == Double(Float(written)), "read \(read), wrote \(written)")
        }
        let accuracy = try #require(scalars["train/accuracy"])
        #expect(accuracy.compactMap { ($0["value"] as? String).flatMap(Double.init) }
                == (0..<6).map { Double(Float(Double($0) / 10)) })

        // Histograms: the statistics and buckets of both steps.
        let histograms = try #require(found["histograms"] as? [String: [[String: Any]]])
        let kernel = try #require(histograms["dense/kernel"])
        #expect(kernel.map { $0["step"] as? Int } == [50, 60])
        func number(_ entry: [String: Any], _ key: String) -> Double? { (entry[key] as? String).flatMap(Double.init) }
        func numbers(_ entry: [String: Any], _ key: String) -> [Double] {
            (entry[key] as? [String] ?? []).compactMap(Double.init)
        }
        let expected = HistogramProto.equalWidthBuckets(of: Self.weights, buckets: 30)
        #expect(number(kernel[0], "min") == -3)
        #expect(number(kernel[0], "max") == Self.weights.max())
        #expect(number(kernel[0], "num") == 100)
        #expect(number(kernel[0], "sum") == Self.weights.reduce(0, +))
        #expect(number(kernel[0], "sum_squares") == expected.sumSquares)
        #expect(numbers(kernel[0], "bucket_limit") == expected.bucketLimit)
        #expect(numbers(kernel[0], "bucket") == expected.bucket)
        #expect(numbers(kernel[0], "bucket").reduce(0, +) == 100)
        #expect(numbers(kernel[1], "bucket").count == 5)
        #expect(number(kernel[1], "min") == -6)

        // Images: sizes from the Summary.Image and from the PNG, and the pixels back.
        let images = try #require(found["images"] as? [String: [[String: Any]]])
        let digit = try #require(images["digit"]?.first)
        #expect(digit["step"] as? Int == 50)
        #expect(digit["width"] as? Int == 4 && digit["height"] as? Int == 3)
        #expect(digit["png_width"] as? Int == 4 && digit["png_height"] as? Int == 3)
        #expect(digit["png_colour_type"] as? Int == 0)
        #expect((digit["pixels"] as? [Int])?.map { UInt8($0) } == Self.grayscale)
        let colour = try #require(images["colour"]?.first)
        #expect(colour["width"] as? Int == 2 && colour["height"] as? Int == 2)
        #expect(colour["png_colour_type"] as? Int == 2)
        #expect((colour["pixels"] as? [Int])?.map { UInt8($0) } == Self.rgb)

        // Text: through the text plugin's metadata, the string as written.
        #expect(found["text_plugin_tags"] as? [String] == ["notes"])
        let texts = try #require(found["texts"] as? [String: [[String: Any]]])
        #expect(texts["notes"]?.map { $0["step"] as? Int } == [0])
        #expect(texts["notes"]?.first?["text"] as? String == Self.note)
    }

    @Test func eventsFlushedWhileTheWriterIsOpenAreRead() async throws {
        let directory = try TemporaryDirectory("tensorboard-read")
        let writer = try SummaryWriter(logDirectory: directory.path, flushInterval: nil)
        try writer.scalar("loss", value: 0.5, step: 1)
        try writer.flush()
        let found = try await Self.read(directory.path)
        let scalars = try #require(found["scalars"] as? [String: [[String: Any]]])
        #expect(scalars["loss"]?.map { $0["step"] as? Int } == [1])
        try writer.close()
    }
}
