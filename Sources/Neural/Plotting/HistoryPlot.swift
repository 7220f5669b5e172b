import Foundation

/// Learning curves of a ``History`` as a standalone SVG chart: the twin of seed 002's
/// `pd.DataFrame(history.history).plot(xlim=..., ylim=[0, 1], grid=True, xlabel="Epoch")`. One line per
/// metric over the epochs; a metric and its `val_` twin share a colour, training solid and validation
/// dashed (the seed's `style=["r--", "r--.", "b-", "b-*"]` pairs them the same way), each epoch marked by
/// a dot; a grid, axes with round ticks, and a legend.
///
/// Why Neural draws its own chart rather than using the Reports module's SVG kit: Reports depends on
/// the study store and Tuning, and Neural is the core every module builds on, so Neural cannot depend on
/// Reports; moving the kit down into Neural would put study-report code into the numeric core. A
/// learning-curve chart needs only lines, dots, text and a scale, which this file holds.
public struct HistoryPlot: Sendable, Equatable {
    /// The metrics drawn, in the order of ``History/names``.
    public var metrics: [String]
    /// The epochs (x values).
    public var epochs: [Int]
    /// Each metric's values per epoch.
    public var values: [String: [Float]]
    /// The y range; nil to fit the values (with zero included when all values are positive and near it).
    public var yRange: ClosedRange<Double>?
    /// The chart's size in pixels.
    public var width: Double
    /// The chart's height in pixels.
    public var height: Double
    /// The x axis' label.
    public var xLabel: String

    /// The curves of `history`, all or only `metrics`.
    public init(_ history: History, metrics: [String]? = nil, yRange: ClosedRange<Double>? = nil,
                width: Double = 640, height: Double = 400, xLabel: String = "Epoch") {
        self.metrics = (metrics ?? history.names).filter { history.values[$0] != nil }
        self.epochs = history.epochs
        self.values = history.values
        self.yRange = yRange
        self.width = max(width, 200)
        self.height = max(height, 150)
        self.xLabel = xLabel
    }

    private static let palette = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

    /// The chart as an SVG document.
    public func svg() -> String {
        let left = 56.0, right = 150.0, top = 16.0, bottom = 44.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let finite = metrics.flatMap { values[$0] ?? [] }.map(Double.init).filter(\.isFinite)
        var low = yRange?.lowerBound ?? finite.min() ?? 0
        var high = yRange?.upperBound ?? finite.max() ?? 1
        if yRange == nil, low > 0, low < (high - low) { low = 0 }
        if high <= low { (low, high) = (low - 0.5, high + 0.5) }
        let firstEpoch = Double(epochs.first ?? 0), lastEpoch = Double(max(epochs.last ?? 1, (epochs.first ?? 0) + 1))
        func x(_ epoch: Double) -> Double { left + (epoch - firstEpoch) / (lastEpoch - firstEpoch) * plotWidth }
        func y(_ value: Double) -> Double { top + (1 - (value - low) / (high - low)) * plotHeight }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" "
            + "viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" font-family=\"sans-serif\" font-size=\"11\">"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
        // Grid and ticks.
        for tick in Self.ticks(low, high) {
            svg += "<line x1=\"\(Self.n(left))\" y1=\"\(Self.n(y(tick)))\" x2=\"\(Self.n(left + plotWidth))\" y2=\"\(Self.n(y(tick)))\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(Self.n(left - 6))\" y=\"\(Self.n(y(tick) + 4))\" text-anchor=\"end\">\(Self.label(tick))</text>"
        }
        for tick in Self.ticks(firstEpoch, lastEpoch) where tick == tick.rounded() {
            svg += "<line x1=\"\(Self.n(x(tick)))\" y1=\"\(Self.n(top))\" x2=\"\(Self.n(x(tick)))\" y2=\"\(Self.n(top + plotHeight))\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(Self.n(x(tick)))\" y=\"\(Self.n(top + plotHeight + 16))\" text-anchor=\"middle\">\(Self.label(tick))</text>"
        }
        svg += "<rect x=\"\(Self.n(left))\" y=\"\(Self.n(top))\" width=\"\(Self.n(plotWidth))\" height=\"\(Self.n(plotHeight))\" fill=\"none\" stroke=\"#333\"/>"
        svg += "<text x=\"\(Self.n(left + plotWidth / 2))\" y=\"\(Self.n(height - 8))\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>"

        // One colour per base metric (`accuracy` and `val_accuracy` alike), in order of first appearance.
        var colours: [String: String] = [:]
        for (index, metric) in metrics.enumerated() {
            let base = metric.hasPrefix("val_") ? String(metric.dropFirst(4)) : metric
            if colours[base] == nil { colours[base] = Self.palette[colours.count % Self.palette.count] }
            let colour = colours[base] ?? "#000"
            let dashed = metric.hasPrefix("val_")
            let series = values[metric] ?? []
            var path = ""
            var pen = false
            var dots = ""
            for (epoch, value) in zip(epochs, series) {
                let v = Double(value)
                // A value outside a given range, or not finite, breaks the line rather than leaving the chart.
                guard v.isFinite, v >= low, v <= high else { pen = false; continue }
                path += (pen ? "L" : "M") + Self.n(x(Double(epoch))) + " " + Self.n(y(v))
                pen = true
                dots += "<circle cx=\"\(Self.n(x(Double(epoch))))\" cy=\"\(Self.n(y(v)))\" r=\"2.5\" fill=\"\(colour)\"/>"
            }
            if !path.isEmpty {
                svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\"" + (dashed ? " stroke-dasharray=\"6 3\"" : "")
                    + "><title>\(Self.escape(metric))</title></path>" + dots
            }
            let legendY = top + 14 + Double(index) * 18
            svg += "<line x1=\"\(Self.n(left + plotWidth + 12))\" y1=\"\(Self.n(legendY - 4))\" x2=\"\(Self.n(left + plotWidth + 36))\" y2=\"\(Self.n(legendY - 4))\" stroke=\"\(colour)\" stroke-width=\"1.8\""
                + (dashed ? " stroke-dasharray=\"6 3\"" : "") + "/>"
            svg += "<text x=\"\(Self.n(left + plotWidth + 42))\" y=\"\(Self.n(legendY))\">\(Self.escape(metric))</text>"
        }
        return svg + "</svg>\n"
    }

    /// Writes ``svg()`` to `url`.
    ///
    /// - Throws: the file system's error when the file cannot be written.
    public func write(to url: URL) throws {
        try Data(svg().utf8).write(to: url, options: .atomic)
    }

    /// About five round ticks from `low` to `high` (steps of 1, 2 or 5 times a power of ten).
    static func ticks(_ low: Double, _ high: Double) -> [Double] {
        let span = high - low
        guard span > 0, span.isFinite else { return [low] }
        let raw = span / 5
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var tick = (low / step).rounded(.up) * step
        while tick <= high + step * 1e-9, ticks.count < 50 {
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
            tick += step
        }
        return ticks
    }

    static func label(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%g", value)
    }

    /// A number with one decimal for coordinates.
    static func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        return String(format: "%.1f", value)
    }

    /// `text` with XML's special characters escaped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

extension History {
    /// Draws the curves (all metrics, or `metrics`) into an SVG file at `url`: seed 002's
    /// `pd.DataFrame(history.history).plot(...)` (see ``HistoryPlot``).
    ///
    /// ```swift
    /// try history.plot(to: URL(fileURLWithPath: "learning_curves.svg"), yRange: 0...1)
    /// ```
    ///
    /// - Throws: the file system's error when the file cannot be written.
    public func plot(to url: URL, metrics: [String]? = nil, yRange: ClosedRange<Double>? = nil,
                     width: Double = 640, height: Double = 400) throws {
        try HistoryPlot(self, metrics: metrics, yRange: yRange, width: width, height: height).write(to: url)
    }
}
