/// The plot area of a chart with its two axes: ticks, grid lines, axis titles and a chart title.
struct ChartFrame {
    var width: Double = 1000
    var height: Double = 380
    var left: Double = 72
    var right: Double = 24
    var top: Double = 36
    var bottom: Double = 52
    var x: AxisScale
    var y: AxisScale
    var xTitle: String
    var yTitle: String
    var title: String

    var plotLeft: Double { left }
    var plotRight: Double { width - right }
    var plotTop: Double { top }
    var plotBottom: Double { height - bottom }

    /// Pixel x of a value (nil when the scale cannot show it).
    func px(_ value: Double) -> Double? {
        x.fraction(value).map { plotLeft + $0 * (plotRight - plotLeft) }
    }

    /// Pixel y of a value (up is larger).
    func py(_ value: Double) -> Double? {
        y.fraction(value).map { plotBottom - $0 * (plotBottom - plotTop) }
    }

    /// Pixel y clamped into the plot area (for values beyond a clipped domain).
    func pyClamped(_ value: Double) -> Double? {
        py(value).map { min(max($0, plotTop), plotBottom) }
    }

    func makeCanvas() -> SVGCanvas { SVGCanvas(width: width, height: height) }

    /// Draws grid lines, axes, tick labels and titles.
    func drawAxes(on canvas: inout SVGCanvas) {
        canvas.text(plotLeft, 20, title, size: 14, weight: "600")
        let xTicks = x.ticks(target: x.isCategorical ? 100 : 8)
        let labelEvery = max(1, xTicks.count / 14)
        for (index, tick) in xTicks.enumerated() {
            guard let position = px(tick.value), position >= plotLeft - 0.5, position <= plotRight + 0.5 else { continue }
            canvas.line(position, plotTop, position, plotBottom, stroke: Palette.grid)
            canvas.line(position, plotBottom, position, plotBottom + 5, stroke: Palette.axis)
            if index % labelEvery == 0 {
                canvas.text(position, plotBottom + 18, Self.clip(tick.label, 14), anchor: .middle, size: 11, fill: Palette.muted)
            }
        }
        for tick in y.ticks(target: 6) {
            guard let position = py(tick.value), position >= plotTop - 0.5, position <= plotBottom + 0.5 else { continue }
            canvas.line(plotLeft, position, plotRight, position, stroke: Palette.grid)
            canvas.line(plotLeft - 5, position, plotLeft, position, stroke: Palette.axis)
            canvas.text(plotLeft - 8, position + 4, Self.clip(tick.label, 10), anchor: .end, size: 11, fill: Palette.muted)
        }
        canvas.line(plotLeft, plotBottom, plotRight, plotBottom, stroke: Palette.axis)
        canvas.line(plotLeft, plotTop, plotLeft, plotBottom, stroke: Palette.axis)
        canvas.text((plotLeft + plotRight) / 2, height - 10, xTitle, anchor: .middle, size: 12)
        canvas.text(16, (plotTop + plotBottom) / 2, yTitle, anchor: .middle, size: 12, rotate: -90)
    }

    /// A label shortened to `limit` characters with an ellipsis.
    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// A legend row at the top right: coloured swatches with labels, laid out right to left.
    func drawLegend(on canvas: inout SVGCanvas, _ entries: [(color: String, label: String, dashed: Bool)]) {
        var xPosition = plotRight
        for entry in entries.reversed() {
            let label = Self.clip(entry.label, 28)
            let textWidth = Double(label.count) * 6.3
            xPosition -= textWidth
            canvas.text(xPosition, 22, label, size: 11, fill: Palette.muted)
            xPosition -= 22
            canvas.line(xPosition, 18, xPosition + 16, 18, stroke: entry.color, width: 2.5, dash: entry.dashed ? "4 3" : nil)
            xPosition -= 14
        }
    }
}
