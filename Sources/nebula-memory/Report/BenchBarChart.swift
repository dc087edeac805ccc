/// A workload's horizontal bar chart: a row per subject with its median time as a bar on one
/// scale from 0, its min–max as a whisker, and to the right, in columns of their own (so that no
/// text meets a bar), the median, the min–max, the two ratios and the `noisy` mark.
///
/// Every chart of a page has the same layout (label column, bars' area, columns), so that the
/// charts line up; only names or values longer than usual widen one.
struct BenchBarChart {
    let definition: WorkloadDefinition
    let rows: [BenchRow]

    /// The chart's width when its texts are no longer than usual; wider when they are.
    static let preferredWidth = 1080.0
    static let rowHeight = 24.0
    static let barHeight = 14.0
    /// The narrowest the bars' area may be.
    static let minimumPlotWidth = 320.0
    private static let margin = 8.0
    private static let gap = 18.0
    private static let top = 28.0
    /// How far a cut bar reaches past the end of the scale, to show that it goes on.
    private static let overshoot = 14.0

    /// A column of right-hand text, with its header, at least `minimum` characters wide so that
    /// the columns of all charts line up.
    private struct Column {
        let header: String
        let values: [String]
        var minimum: Int
        var anchor = SVGChart.Anchor.end
        var classes = ""

        var width: Double {
            SVGChart.textWidth(String(repeating: "0", count: ([header] + values).map(\.count).reduce(minimum, max)))
        }
    }

    /// `min–max`; `min to max` when a dash could be read as a minus sign.
    static func range(_ row: BenchRow) -> String {
        let separator = row.min < 0 || row.max < 0 ? " to " : "–"
        return BenchReport.format(row.min) + separator + BenchReport.format(row.max)
    }

    /// The colour class of a subject: one for NebulaMemory's, one per kind of baseline.
    func colour(of subject: String) -> String {
        if subject == BenchSubjectKind.cReference.rawValue { return "cref" }
        if subject == BenchSubjectKind.system.rawValue || subject == definition.baseline.rawValue { return "system" }
        return "nebula"
    }

    /// Whether any row's rounds differ (with one round, min–max says nothing new).
    private var hasSpread: Bool { rows.contains { $0.max > $0.min } }

    private var columns: [Column] {
        var columns = [Column(header: "median", values: rows.map { BenchReport.format($0.median) }, minimum: 7)]
        if hasSpread { columns.append(Column(header: "min–max", values: rows.map(Self.range), minimum: 13)) }
        columns += [
            Column(header: "vs \(definition.baseline.rawValue)", values: rows.map(\.speedup), minimum: 14),
            Column(header: "vs c-ref", values: rows.map(\.floor), minimum: 8),
            Column(
                header: "", values: rows.map { $0.isNoisy ? "noisy" : "" }, minimum: 5, anchor: .start,
                classes: "noisy"),
        ]
        return columns
    }

    /// The drawing.
    var chart: SVGChart {
        let columns = self.columns
        let longestName = (rows.map(\.subject) + BenchSubjectKind.allCases.map(\.rawValue)).map(\.count).max() ?? 0
        let columnsWidth = columns.map { $0.width + Self.gap }.reduce(0, +)
        let plotStart = Self.margin + SVGChart.textWidth(String(repeating: "0", count: longestName)) + 14
        let width = max(Self.preferredWidth, plotStart + Self.minimumPlotWidth + 28 + columnsWidth + Self.margin)
        let plotEnd = width - Self.margin - columnsWidth - 28
        let plotBottom = Self.top + Double(rows.count) * Self.rowHeight + 4
        let cut = cutAbove
        let shown = rows.filter { row in cut.map { row.median <= $0 } ?? true }
        let scale = ChartScale(
            covering: [0] + shown.flatMap { [$0.min, $0.median, $0.max] }, from: plotStart, to: plotEnd)

        var chart = SVGChart(
            width: width, height: plotBottom + 44, label: "\(definition.id): median \(definition.unit) per subject")
        for tick in scale.ticks {
            chart.line(x1: scale(tick), y1: Self.top - 4, x2: scale(tick), y2: plotBottom, classes: "grid")
            chart.text(scale.label(tick), x: scale(tick), y: plotBottom + 15, anchor: .middle, classes: "tick")
        }
        chart.line(x1: plotStart, y1: plotBottom, x2: plotEnd, y2: plotBottom, classes: "axis")
        chart.line(
            x1: scale(0), y1: Self.top - 4, x2: scale(0), y2: plotBottom, classes: scale.lower < 0 ? "zero" : "axis")
        chart.text(
            "\(definition.unit) (bar: median" + (hasSpread ? ", whisker: min–max)" : ")"),
            x: (plotStart + plotEnd) / 2, y: plotBottom + 36, anchor: .middle, classes: "axis-title")

        chart.text("subject", x: plotStart - 14, y: Self.top - 10, anchor: .end, classes: "head")
        var right = width - Self.margin
        var columnX: [Double] = []
        for column in columns.reversed() {
            columnX.insert(column.anchor == .end ? right : right - column.width, at: 0)
            right -= column.width + Self.gap
        }
        for (column, x) in zip(columns, columnX) where !column.header.isEmpty {
            chart.text(column.header, x: x, y: Self.top - 10, anchor: column.anchor, classes: "head")
        }

        // Cut bars and whiskers stop a little past the scale's end, inside the gap before the columns.
        let limit = { (value: Double) in min(scale(value), plotEnd + Self.overshoot) }
        for (index, row) in rows.enumerated() {
            let center = Self.top + (Double(index) + 0.5) * Self.rowHeight
            let baseline = center + 4
            chart.text(row.subject, x: plotStart - 14, y: baseline, anchor: .end)
            let from = scale(min(0, row.median))
            let to = limit(max(0, row.median))
            let isCut = cut.map { row.median > $0 } ?? false
            chart.rect(
                x: from, y: center - Self.barHeight / 2, width: to - from, height: Self.barHeight,
                classes: "bar \(colour(of: row.subject))" + (row.isNoisy ? " noisy" : "") + (isCut ? " cut" : ""),
                tooltip: "\(row.subject): median \(BenchReport.format(row.median)), min–max \(Self.range(row)) "
                    + definition.unit,
                attributes: [("data-subject", row.subject), ("data-median", String(row.median))])
            if isCut {
                // A white slash across the bar: it goes on beyond the scale.
                let x = plotEnd - 6
                let top = center - Self.barHeight / 2 - 2
                let bottom = center + Self.barHeight / 2 + 2
                chart.polygon(
                    [(x: x + 3, y: top), (x: x + 7, y: top), (x: x + 1, y: bottom), (x: x - 3, y: bottom)],
                    classes: "cut-mark")
            } else if row.max > row.min {
                chart.line(x1: scale(row.min), y1: center, x2: limit(row.max), y2: center, classes: "whisker")
                for end in [row.min, row.max] where scale(end) <= plotEnd + Self.overshoot {
                    chart.line(x1: scale(end), y1: center - 4, x2: scale(end), y2: center + 4, classes: "whisker")
                }
            }
            for (column, x) in zip(columns, columnX) where !column.values[index].isEmpty {
                chart.text(column.values[index], x: x, y: baseline, anchor: column.anchor, classes: column.classes)
            }
        }
        return chart
    }
}
