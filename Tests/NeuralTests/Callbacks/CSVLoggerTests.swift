import Foundation
import Neural
import Testing
import TestSupport

/// CSVLogger through real `fit` calls, on scripted logs.
@Suite struct CSVLoggerTests {
    private func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    private func fit(
        _ logger: CSVLogger, training: [Float], validation: [Float]?, extra: [Callback] = []
    ) throws {
        let (x, y) = CallbackData.regression(count: 4)
        let model = try ScriptedModel.compiled()
        model.trainingScript = ["loss": training]
        if let validation { model.validationScript = ["loss": validation] }
        try model.fit(x, y, batchSize: 4, epochs: training.count, verbosity: .silent, callbacks: [logger] + extra,
                      validationData: validation == nil ? nil : (x, y), shuffle: false)
    }

    @Test func writesHeaderAndOneRowPerEpoch() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.file("training.log")
        try fit(CSVLogger(filename: path), training: [0.5, 0.25, 0.125], validation: [0.75, 0.375, 0.1875])
        #expect(try read(path) == "epoch,loss,val_loss\n0,0.5,0.75\n1,0.25,0.375\n2,0.125,0.1875\n")
    }

    /// Keras adds `val_` columns when the first epoch has none, and writes `NA` for missing values.
    @Test func withoutValidationValColumnsHoldNA() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.file("log.csv")
        try fit(CSVLogger(filename: path), training: [1.5, 0.1], validation: nil)
        #expect(try read(path) == "epoch,loss,val_loss\n0,1.5,NA\n1,0.1,NA\n")
    }

    @Test func columnsAreSortedAndTheSeparatorIsUsed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.file("log.tsv")
        let (x, y) = CallbackData.regression(count: 4)
        let model = ScriptedModel()
        try model.compile(optimizer: try SGD(), loss: Losses.MeanSquaredError(), metrics: ["mae"])
        #expect(model.metrics.map(\.name) == ["loss", "mae"])
        model.trainingScript = ["loss": [2], "mae": [1], "a_first": [3]]
        try model.fit(x, y, batchSize: 4, epochs: 1, verbosity: .silent, callbacks: [CSVLogger(filename: path, separator: "\t")], shuffle: false)
        #expect(try read(path) == "epoch\ta_first\tloss\tmae\tval_a_first\tval_loss\tval_mae\n0\t3.0\t2.0\t1.0\tNA\tNA\tNA\n")
    }

    /// Fields holding the separator or quotes are quoted as Python's `csv` module does.
    @Test func fieldsAreQuotedWhenNeeded() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.file("log.csv")
        let (x, y) = CallbackData.regression(count: 4)
        let model = try ScriptedModel.compiled()
        model.trainingScript = ["loss": [2], "a,b": [1], "say \"hi\"": [0.5]]
        try model.fit(x, y, batchSize: 4, epochs: 1, verbosity: .silent, callbacks: [CSVLogger(filename: path)], shuffle: false)
        let header = try #require(try read(path).split(separator: "\n").first)
        #expect(header == #"epoch,"a,b",loss,"say ""hi""","val_a,b",val_loss,"val_say ""hi""""#)
    }

    /// Each row is in the file at the end of its epoch (before training ends).
    @Test func rowsAreWrittenAtEachEpochEnd() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.file("log.csv")
        var seen: [String] = []
        let reader = LambdaCallback(onEpochEnd: { _, _ in seen.append((try? String(contentsOfFile: path, encoding: .utf8)) ?? "") })
        try fit(CSVLogger(filename: path), training: [3, 2], validation: nil, extra: [reader])
        #expect(seen == ["epoch,loss,val_loss\n0,3.0,NA\n", "epoch,loss,val_loss\n0,3.0,NA\n1,2.0,NA\n"])
    }

    /// Appending: rows join the existing file without a second header; a new file gets one.
    @Test func appendKeepsOneHeader() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.file("log.csv")
        try fit(CSVLogger(filename: path, append: true), training: [4], validation: nil)
        try fit(CSVLogger(filename: path, append: true), training: [2], validation: nil)
        #expect(try read(path) == "epoch,loss,val_loss\n0,4.0,NA\n0,2.0,NA\n")
        try fit(CSVLogger(filename: path), training: [1], validation: nil)
        #expect(try read(path) == "epoch,loss,val_loss\n0,1.0,NA\n")
    }

    @Test func nonFiniteValuesAreWrittenAsPythonWouldRead() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.file("log.csv")
        try fit(CSVLogger(filename: path), training: [.nan, .infinity], validation: nil)
        #expect(try read(path) == "epoch,loss,val_loss\n0,nan,NA\n1,inf,NA\n")
    }

    /// A file that cannot be opened surfaces as a typed error from `fit`.
    @Test func unwritableFileThrowsATypedError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.file("missing-directory/log.csv")
        do {
            try fit(CSVLogger(filename: path), training: [1], validation: nil)
            Issue.record("fit should throw")
        } catch let error as CallbackError {
            guard case let .fileWriteFailed(failedPath, reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(failedPath == path)
            #expect(reason.contains("No such file"))
        }
    }
}
