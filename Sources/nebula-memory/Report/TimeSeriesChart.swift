/// A line chart of values over time, with shaded regions and dashed reference lines behind the
/// line; the y axis covers the values and whatever `keepInView` asks for (a band, or 0).
struct TimeSeriesChart {
    /// A shaded rectangle from `from` to `to` seconds, between `low` and `high` on the y axis
    /// (the whole height where nil), with an optional label in its top left corner.
    struct Region {
        var from: Double
        var to: Double
        var low: Double?
        var high: Double?
        var classes: String
        var label: String?
    }

    /// A dashed horizontal line at `value`, from `from` to `to` seconds.
    struct Level {
        var value: Double
        var from: Double
        var to: Double
        var classes: String
    }

    var label: String
    /// The y axis title, with its unit.
    var yTitle: String
    var points: [(x: Double, y: Double)]
    /// How `points` are shown on hover, e.g. `22.5 MiB`.
    var describe: (Double) -> String
    /// The end of the x axis (the run's length), at least the last point.
    var xEnd: Double
    var keepInView: [Double] = []
    var regions: [Region] = []
    var levels: [Level] = []
    /// Indices of points drawn in the warning colour.
    var highlighted: Set<Int> = []

    static let width = 1080.0
    static let height = 300.0
    private static let top = 30.0
    private static let bottom = height - 48
    private static let right = width - 24

    /// The drawing.
    var chart: SVGChart {
        let scaleY = ChartScale(covering: points.map(\.y) + keepInView, from: Self.bottom, to: Self.top)
        // Room for labels up to `100,000` at least, so that charts over the same time line up.
        let labelWidth = scaleY.ticks.map { SVGChart.textWidth(scaleY.label($0)) }.max() ?? 0
        let left = 8 + max(labelWidth, SVGChart.textWidth("100,000")) + 10
        let scaleX = ChartScale(covering: [0, max(xEnd, points.last?.x ?? 0)], from: left, to: Self.right)

        var chart = SVGChart(width: Self.width, height: Self.height, label: label)
        for region in regions {
            let x1 = scaleX(max(region.from, scaleX.lower))
            let x2 = scaleX(min(region.to, scaleX.upper))
            let y1 = region.high.map { scaleY($0) } ?? Self.top
            let y2 = region.low.map { scaleY($0) } ?? Self.bottom
            guard x2 > x1 else { continue }
            chart.rect(x: x1, y: y1, width: x2 - x1, height: y2 - y1, classes: region.classes)
            if let text = region.label, SVGChart.textWidth(text) + 12 < x2 - x1 {
                chart.text(text, x: x1 + 6, y: y1 + 15, classes: "region")
            }
        }
        for tick in scaleY.ticks {
            chart.line(x1: left, y1: scaleY(tick), x2: Self.right, y2: scaleY(tick), classes: "grid")
            chart.text(scaleY.label(tick), x: left - 8, y: scaleY(tick) + 4, anchor: .end, classes: "tick")
        }
        for tick in scaleX.ticks {
            chart.line(x1: scaleX(tick), y1: Self.bottom, x2: scaleX(tick), y2: Self.bottom + 5, classes: "axis")
            chart.text(scaleX.label(tick), x: scaleX(tick), y: Self.bottom + 19, anchor: .middle, classes: "tick")
        }
        chart.line(x1: left, y1: Self.bottom, x2: Self.right, y2: Self.bottom, classes: "axis")
        chart.line(x1: left, y1: Self.top, x2: left, y2: Self.bottom, classes: "axis")
        // A zoomed axis says so: a flat line near the bottom must not look like a drop to nothing.
        chart.text(
            yTitle + (scaleY.lower > 0 ? ", axis not from 0" : ""), x: left, y: Self.top - 12, classes: "axis-title")
        chart.text(
            "time since the start (s)", x: (left + Self.right) / 2, y: Self.bottom + 40, anchor: .middle,
            classes: "axis-title")

        for level in levels {
            chart.line(
                x1: scaleX(level.from), y1: scaleY(level.value), x2: scaleX(level.to), y2: scaleY(level.value),
                classes: level.classes)
        }
        let plotted = points.map { (x: scaleX($0.x), y: scaleY($0.y)) }
        chart.polyline(plotted, classes: "series")
        // Dots help while they stay apart; a long run's hundreds would only thicken the line.
        let dots = plotted.count <= 300
        for (index, point) in plotted.enumerated() where dots || highlighted.contains(index) {
            let over = highlighted.contains(index)
            chart.circle(
                x: point.x, y: point.y, radius: over ? 4 : 2.5, classes: over ? "over" : "point",
                tooltip: String(format: "%.1f s: ", points[index].x) + describe(points[index].y))
        }
        return chart
    }
}
