/// Hyperparameter importance as horizontal bars (η², with the normalized share as a label).
struct ImportanceChart {
    let importance: ParameterImportance

    func svg(studyName: String) -> String? {
        let entries = importance.entries
        guard !entries.isEmpty else { return nil }
        let rowHeight = 26.0
        let left = 180.0, right = 90.0, top = 40.0
        let width = 1000.0
        let height = top + Double(entries.count) * rowHeight + 44
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(16, 20, "Hyperparameter importance (η² of score ranks, \(importance.trialCount) trials"
            + (importance.hyperbandEpochs.map { " trained to \($0) epochs" } ?? "") + ")", size: 14, weight: "600")
        let plotWidth = width - left - right
        let maxEffect = max(entries.map(\.effect).max() ?? 0, 1e-9)
        let scaleMax = min(1, AxisScale.niceStep(maxEffect / 4) * 4 >= maxEffect ? AxisScale.niceStep(maxEffect / 4) * 4 : maxEffect)
        let axis = AxisScale.linear(0, max(scaleMax, maxEffect))
        let bottom = top + Double(entries.count) * rowHeight
        for tick in axis.ticks(target: 5) {
            guard let fraction = axis.fraction(tick.value) else { continue }
            let x = left + fraction * plotWidth
            canvas.line(x, top - 4, x, bottom, stroke: Palette.grid)
            canvas.text(x, bottom + 16, tick.label, anchor: .middle, size: 11, fill: Palette.muted)
        }
        canvas.text(left + plotWidth / 2, bottom + 36, "share of score-rank variance explained by the parameter alone (η²)",
                    anchor: .middle, size: 12)
        for (index, entry) in entries.enumerated() {
            let y = top + Double(index) * rowHeight
            let barWidth = (axis.fraction(entry.effect) ?? 0) * plotWidth
            canvas.text(left - 8, y + rowHeight / 2 + 4, ChartFrame.clip(entry.name, 26), anchor: .end, size: 12)
            canvas.rect(left, y + 4, barWidth, rowHeight - 8, fill: index == 0 ? Palette.best : Palette.main,
                        title: "\(entry.name): η² \(NumberFormat.short(entry.effect, digits: 3))")
            canvas.text(left + barWidth + 6, y + rowHeight / 2 + 4,
                        "\(NumberFormat.short(entry.effect, digits: 2)) (\(Int((entry.share * 100).rounded())) %)",
                        size: 11, fill: Palette.muted)
        }
        canvas.line(left, top - 4, left, bottom, stroke: Palette.axis)
        return canvas.render(title: "Hyperparameter importance of \(studyName)")
    }
}
