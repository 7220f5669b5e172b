import Foundation
import Neural
import Testing

/// The progress output in the book's (Keras 2) format, captured through a `write` closure.
@Suite struct ProgressLoggerTests {
    /// Fits a scripted model (`steps` batches per epoch) with a logger of `verbosity` writing to a sink.
    private func run(
        _ verbosity: Verbosity, epochs: Int = 2, steps: Int = 2, training: [String: [Float]] = [:],
        validation: [String: [Float]]? = nil, extra: [Callback] = []
    ) throws -> TextSink {
        let sink = TextSink()
        let (x, y) = CallbackData.regression(count: 4 * steps)
        let model = try ScriptedModel.compiled()
        model.trainingScript = training
        let (xValid, yValid) = CallbackData.regression(count: 4, seed: 9)
        if let validation { model.validationScript = validation }
        let logger = ProgressLogger(verbosity: verbosity, write: { sink.append($0) })
        try model.fit(x, y, batchSize: 4, epochs: epochs, verbosity: .silent, callbacks: extra + [logger],
                      validationData: validation == nil ? nil : (xValid, yValid), shuffle: false)
        return sink
    }

    private let time = #"\d+(s|ms|us)"#

    /// One line per epoch (Keras 2's `verbose=2`), headed by `Epoch n/N`, without carriage returns.
    @Test func oneLinePerEpoch() throws {
        let sink = try run(.oneLinePerEpoch, training: ["loss": [0.9, 0.75, 0.5, 0.25]], validation: ["loss": [0.8, 0.3]])
        #expect(!sink.text.contains("\r"))
        let lines = sink.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 5)
        #expect(lines[0] == "Epoch 1/2")
        #expect(lines[2] == "Epoch 2/2")
        #expect(lines[4] == "")
        let first = try Regex(#"^2/2 - \d+s - loss: 0\.7500 - val_loss: 0\.8000 - "# + time + "/epoch - " + time + "/step$")
        let second = try Regex(#"^2/2 - \d+s - loss: 0\.2500 - val_loss: 0\.3000 - "# + time + "/epoch - " + time + "/step$")
        #expect(lines[1].wholeMatch(of: first) != nil, "\(lines[1])")
        #expect(lines[3].wholeMatch(of: second) != nil, "\(lines[3])")
        // One write per line: nothing is drawn between epochs' ends.
        #expect(sink.pieces.count == 4)
    }

    /// A single epoch has no `Epoch 1/1` header, as in Keras.
    @Test func singleEpochHasNoHeader() throws {
        let sink = try run(.oneLinePerEpoch, epochs: 1, steps: 3, training: ["loss": [1, 1, 2]])
        #expect(sink.pieces.count == 1)
        #expect(sink.text.hasPrefix("3/3 - "))
        #expect(sink.text.contains(" - loss: 2.0000 - "))
    }

    /// Keras prints values with 4 decimals, or `%.4e` when their magnitude is at most 1e-3.
    @Test func valueFormatting() throws {
        let sink = try run(.oneLinePerEpoch, epochs: 1, steps: 1, training: [
            "loss": [1234.56789], "tiny": [1e-5], "zero": [0], "negative": [-0.5], "edge": [0.001], "small": [-0.0009], "nan": [.nan], "inf": [-.infinity],
        ])
        #expect(sink.text.contains(" - loss: 1234.5679 - "))
        #expect(sink.text.contains(" - tiny: 1.0000e-05 - "))
        #expect(sink.text.contains(" - zero: 0.0000e+00 - "))
        #expect(sink.text.contains(" - negative: -0.5000 - "))
        // The float nearest 0.001 is slightly above it, so Keras prints it with decimals too.
        #expect(sink.text.contains(" - edge: 0.0010 - "))
        #expect(sink.text.contains(" - small: -9.0000e-04 - "))
        #expect(sink.text.contains(" - nan: nan - "))
        #expect(sink.text.contains(" - inf: -inf - "))
    }

    /// The terminal bar: redrawn with `\r`, ending with the full bar, the time and time per step.
    @Test func progressBarLines() throws {
        let sink = try run(.progressBar, epochs: 1, steps: 10, training: ["loss": Array(repeating: 0.5, count: 10)])
        let first = try #require(sink.pieces.first)
        // The first batch is always drawn: 3 of 30 cells (the last one an arrow), then the ETA.
        let firstPattern = try Regex(#"^\r 1/10 \[==>\.{27}\] - ETA: \d+s - loss: 0\.5000$"#)
        #expect(first.wholeMatch(of: firstPattern) != nil, "\(first.debugDescription)")
        let last = try #require(sink.pieces.last)
        #expect(last.hasPrefix("\r10/10 [" + String(repeating: "=", count: 30) + "] - "))
        #expect(last.hasSuffix(" - loss: 0.5000\n"))
        let finalPattern = try Regex(#"^\r10/10 \[=+\] - \d+s "# + time + #"/step - loss: 0\.5000 *\n$"#)
        #expect(last.wholeMatch(of: finalPattern) != nil, "\(last.debugDescription)")
    }

    @Test func silentWritesNothing() throws {
        let sink = try run(.silent, training: ["loss": [1, 1, 1, 1]])
        #expect(sink.pieces.isEmpty)
    }

    /// Entries callbacks add (the scheduler's `learning_rate`) show in the line.
    @Test func learningRateShows() throws {
        let scheduler = LearningRateScheduler { _, _ in 0.005 }
        let sink = try run(.oneLinePerEpoch, epochs: 1, steps: 1, training: ["loss": [0.5]], extra: [scheduler])
        #expect(sink.text.contains(" - loss: 0.5000 - learning_rate: 0.0050 - "))
    }

    /// An epoch cut short shows the steps it ran.
    @Test func stoppedEpochShowsStepsRun() throws {
        let terminate = TerminateOnNaN()
        terminate.messages = { _ in }
        let sink = try run(.oneLinePerEpoch, epochs: 1, steps: 4, training: ["loss": [1, .nan, 1, 1]], extra: [terminate])
        #expect(sink.text.hasPrefix("2/4 - "))
    }
}
