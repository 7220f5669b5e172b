import Foundation
import Neural
import Testing
import TestSupport

/// `History.plot(to:)`: one path per metric through every epoch, paired colours, the legend, the range.
@Suite struct HistoryPlotTests {
    static func history() -> History {
        let history = History()
        let rows: [[(String, Float)]] = [
            [("loss", 0.9), ("accuracy", 0.6), ("val_loss", 1.0), ("val_accuracy", 0.55)],
            [("loss", 0.5), ("accuracy", 0.8), ("val_loss", 0.6), ("val_accuracy", 0.75)],
            [("loss", 0.3), ("accuracy", 0.9), ("val_loss", 0.5), ("val_accuracy", 0.8)],
        ]
        for (epoch, row) in rows.enumerated() { history.append(epoch: epoch, logs: Logs(row)) }
        return history
    }

    /// The `d` attribute of each `<path>` with its title.
    static func paths(_ svg: String) -> [String: String] {
        var result: [String: String] = [:]
        for piece in svg.components(separatedBy: "<path d=\"").dropFirst() {
            let d = piece.prefix { $0 != "\"" }
            guard let title = piece.components(separatedBy: "<title>").dropFirst().first?.components(separatedBy: "</title>").first
            else { continue }
            result[title] = String(d)
        }
        return result
    }

    @Test func everyMetricIsALineThroughEachEpochWithItsValidationTwinInItsColour() throws {
        let svg = HistoryPlot(Self.history(), yRange: 0...1, width: 640, height: 400).svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        let paths = Self.paths(svg)
        #expect(Set(paths.keys) == ["loss", "accuracy", "val_loss", "val_accuracy"])
        for (name, d) in paths {
            #expect(d.filter { $0 == "M" }.count == 1 && d.filter { $0 == "L" }.count == 2, "\(name): \(d)")
        }
        // y = top + (1 - value) × plot height (16 + 0.1 × 340 for loss 0.9 at epoch 0, x = left = 56).
        #expect(paths["loss"]?.hasPrefix("M56.0 50.0") == true, "\(paths["loss"] ?? "")")
        // The last epoch is at the right edge of the plot (640 - 150).
        #expect(paths["accuracy"]?.hasSuffix("L490.0 50.0") == true, "\(paths["accuracy"] ?? "")")
        // val_ lines are dashed, in the colour of their training twin.
        func colour(_ metric: String) -> String? {
            svg.components(separatedBy: "<title>\(metric)</title>").first?.components(separatedBy: "stroke=\"").last?.prefix(7).description
        }
        #expect(colour("loss") == colour("val_loss"))
        #expect(colour("accuracy") == colour("val_accuracy"))
        #expect(colour("loss") != colour("accuracy"))
        #expect(svg.components(separatedBy: "stroke-dasharray=\"6 3\"").count - 1 == 4)  // two lines and their legend marks
        #expect(svg.contains(">Epoch</text>"))
    }

    @Test func valuesOutsideTheRangeOrNotFiniteBreakTheLine() {
        let history = History()
        for (epoch, value) in [Float(0.5), 2, .nan, 0.4].enumerated() { history.append(epoch: epoch, logs: Logs([("loss", value)])) }
        let d = Self.paths(HistoryPlot(history, yRange: 0...1).svg())["loss"] ?? ""
        #expect(d.filter { $0 == "M" }.count == 2 && d.filter { $0 == "L" }.count == 0, "\(d)")
    }

    @Test func plotWritesTheFileAndNamesAreEscaped() throws {
        let directory = try TemporaryDirectory("history-plot")
        let history = History()
        history.append(epoch: 0, logs: Logs([("a<b&c", 1)]))
        history.append(epoch: 1, logs: Logs([("a<b&c", 3)]))
        let url = URL(fileURLWithPath: directory.file("curves.svg"))
        try history.plot(to: url)
        let written = try String(contentsOf: url, encoding: .utf8)
        #expect(written.contains("a&lt;b&amp;c"))
        #expect(!written.contains("a<b"))
        // Fitted range: 0 joins the values (all positive, near it), ticks are round.
        #expect(written.contains("y=\"360.0\" text-anchor=\"end\">0</text>"), "\(written)")  // 0 at the bottom of the plot
        #expect(written.contains(">3</text>"))
    }
}
