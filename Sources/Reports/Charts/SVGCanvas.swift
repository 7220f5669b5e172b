import Foundation

/// A tiny SVG writer: shapes and text with presentation attributes (no CSS classes), so a chart looks
/// the same inline in HTML and as a standalone `.svg` file. Every text is XML-escaped.
struct SVGCanvas {
    let width: Double
    let height: Double
    private(set) var body = ""

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
        body.reserveCapacity(4096)
    }

    /// A coordinate with one decimal, written without `String(format:)` (charts write many of them).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        // A point far outside the chart (an extreme value from an imported study) is drawn at the
        // clamp, not converted: Int(_:) traps past Int.max.
        let tenths = Int((min(max(value, -1e12), 1e12) * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }

    private static func n(_ value: Double) -> String { number(value) }

    mutating func raw(_ text: String) { body += text }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
                       width: Double = 1, dash: String? = nil, opacity: Double = 1) {
        body += "<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(width)\""
        if let dash { body += " stroke-dasharray=\"\(dash)\"" }
        if opacity < 1 { body += " stroke-opacity=\"\(opacity)\"" }
        body += "/>"
    }

    /// A polyline through `points`; NaN points break it into pieces.
    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5, opacity: Double = 1,
                           title: String? = nil) {
        var d = ""
        var pen = false
        for (x, y) in points {
            guard x.isFinite, y.isFinite else { pen = false; continue }
            d += (pen ? "L" : "M") + Self.n(x) + " " + Self.n(y)
            pen = true
        }
        guard !d.isEmpty else { return }
        body += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(width)\" stroke-linejoin=\"round\""
        if opacity < 1 { body += " stroke-opacity=\"\(opacity)\"" }
        if let title { body += "><title>\(Escape.html(title))</title></path>" } else { body += "/>" }
    }

    /// A filled polygon (for uncertainty bands).
    mutating func polygon(_ points: [(Double, Double)], fill: String, opacity: Double) {
        let finite = points.filter { $0.0.isFinite && $0.1.isFinite }
        guard finite.count > 2 else { return }
        let list = finite.map { Self.n($0.0) + "," + Self.n($0.1) }.joined(separator: " ")
        body += "<polygon points=\"\(list)\" fill=\"\(fill)\" fill-opacity=\"\(opacity)\" stroke=\"none\"/>"
    }

    mutating func circle(_ x: Double, _ y: Double, radius: Double, fill: String, opacity: Double = 1,
                         stroke: String? = nil, title: String? = nil) {
        guard x.isFinite, y.isFinite else { return }
        body += "<circle cx=\"\(Self.n(x))\" cy=\"\(Self.n(y))\" r=\"\(radius)\" fill=\"\(fill)\""
        if opacity < 1 { body += " fill-opacity=\"\(opacity)\"" }
        if let stroke { body += " stroke=\"\(stroke)\"" }
        if let title { body += "><title>\(Escape.html(title))</title></circle>" } else { body += "/>" }
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil,
                       opacity: Double = 1, title: String? = nil) {
        body += "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(w, 0)))\" height=\"\(Self.n(max(h, 0)))\" fill=\"\(fill)\""
        if let stroke { body += " stroke=\"\(stroke)\"" }
        if opacity < 1 { body += " fill-opacity=\"\(opacity)\"" }
        if let title { body += "><title>\(Escape.html(title))</title></rect>" } else { body += "/>" }
    }

    /// Many dots in one path (zero-length segments with round caps): a fraction of the bytes of one
    /// `<circle>` each, for charts with hundreds of points (no per-point tooltips).
    mutating func dots(_ points: [(Double, Double)], radius: Double, fill: String, opacity: Double = 1) {
        var d = ""
        d.reserveCapacity(points.count * 14)
        for (x, y) in points where x.isFinite && y.isFinite { d += "M" + Self.n(x) + " " + Self.n(y) + "h0" }
        guard !d.isEmpty else { return }
        body += "<path d=\"\(d)\" stroke=\"\(fill)\" stroke-width=\"\(Self.n(radius * 2))\" stroke-linecap=\"round\" fill=\"none\""
        if opacity < 1 { body += " stroke-opacity=\"\(opacity)\"" }
        body += "/>"
    }

    /// Dots with tooltips while there are few, one compact path when there are many.
    mutating func points(_ points: [(x: Double, y: Double, title: String)], radius: Double, fill: String, opacity: Double = 1) {
        if points.count > 200 {
            dots(points.map { ($0.x, $0.y) }, radius: radius, fill: fill, opacity: opacity)
        } else {
            for point in points { circle(point.x, point.y, radius: radius, fill: fill, opacity: opacity, title: point.title) }
        }
    }

    /// A cross marker (failed trials).
    mutating func cross(_ x: Double, _ y: Double, size: Double, stroke: String, title: String? = nil) {
        let d = "M\(Self.n(x - size)) \(Self.n(y - size))L\(Self.n(x + size)) \(Self.n(y + size))M\(Self.n(x - size)) \(Self.n(y + size))L\(Self.n(x + size)) \(Self.n(y - size))"
        body += "<path d=\"\(d)\" stroke=\"\(stroke)\" stroke-width=\"1.5\" fill=\"none\""
        if let title { body += "><title>\(Escape.html(title))</title></path>" } else { body += "/>" }
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ x: Double, _ y: Double, _ content: String, anchor: Anchor = .start, size: Double = 12,
                       weight: String? = nil, fill: String = Palette.text, rotate: Double? = nil,
                       baseline: String? = nil) {
        body += "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" font-size=\"\(Self.n(size))\" fill=\"\(fill)\""
        if anchor != .start { body += " text-anchor=\"\(anchor.rawValue)\"" }
        if let weight { body += " font-weight=\"\(weight)\"" }
        if let baseline { body += " dominant-baseline=\"\(baseline)\"" }
        if let rotate { body += " transform=\"rotate(\(Self.n(rotate)) \(Self.n(x)) \(Self.n(y)))\"" }
        body += ">\(Escape.html(content))</text>"
    }

    /// The finished `<svg>` element with an accessible title.
    func render(title: String) -> String {
        let w = Self.n(width), h = Self.n(height)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" role=\"img\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif\"><title>\(Escape.html(title))</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
            + body + "</svg>"
    }
}

/// The colours every chart uses; chosen to stay distinct in greyscale print too.
enum Palette {
    static let text = "#1f2328"
    static let muted = "#57606a"
    static let grid = "#e6e8eb"
    static let axis = "#8c959f"
    static let main = "#1f77b4"
    static let background = "#9aa3ad"
    static let failed = "#cf222e"
    /// Pruned trials: stopped on purpose, not broken.
    static let pruned = "#9a6700"
    static let best = "#d62728"
    static let highlights = ["#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"]
    /// Hyperband budgets, fewest epochs lightest.
    static let budgets = ["#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]

    /// Viridis-like ramp: 0 → light yellow-green (worst), 1 → dark blue-purple (best).
    static func ramp(_ t: Double) -> String {
        let stops: [(Double, Double, Double)] = [
            (253, 231, 37), (94, 201, 98), (33, 145, 140), (59, 82, 139), (68, 1, 84),
        ]
        let clamped = t.isFinite ? min(max(t, 0), 1) : 0
        let position = clamped * Double(stops.count - 1)
        let index = min(Int(position), stops.count - 2)
        let f = position - Double(index)
        let a = stops[index], b = stops[index + 1]
        func channel(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * f).rounded()) }
        return String(format: "#%02x%02x%02x", channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
    }
}
