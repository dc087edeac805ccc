import Foundation

/// The page `nebula-memory soak --html FILE` writes: the verdict and why in its header, then
/// the resident set over time (with the warm-up and the allowed band shaded) and the
/// executions per second over time.
struct SoakHTML {
    let report: SoakReport

    private static let mebibyte = Double(1 << 20)

    /// The whole page.
    var page: String {
        let body = [
            "<header>", "<h1>nebula-memory soak</h1>",
            "<p><span class=\"verdict \(report.passed ? "pass" : "fail")\">\(report.passed ? "PASS" : "FAIL")</span>"
                + HTMLText.escaped(headline) + "</p>",
            "<ul class=\"reasons\">" + reasons.map { "<li>\(HTMLText.escaped($0))</li>" }.joined() + "</ul>",
            HTMLPage.facts(facts), "</header>",
            "<section>", "<h2>Resident set</h2>",
            "<div class=\"legend\">"
                + [
                    HTMLPage.legendItem(swatch: "series", "resident set"),
                    HTMLPage.legendItem(swatch: "warmup", "warm-up (its largest sample is the baseline)"),
                    HTMLPage.legendItem(
                        swatch: "band",
                        "allowed: baseline \(Self.mebibytes(report.baselineBytes)) to limit "
                            + "\(Self.mebibytes(report.ceilingBytes)) (+\(tolerance))"),
                ].joined() + (report.flat ? "" : HTMLPage.legendItem(swatch: "over", "over the limit")) + "</div>",
            residentChart.chart.markup, "</section>",
            "<section>", "<h2>Executions per second</h2>",
            "<div class=\"legend\">"
                + [
                    HTMLPage.legendItem(swatch: "series", "executions per second between samples"),
                    HTMLPage.legendItem(swatch: "mean", "mean over the run"),
                ].joined() + "</div>",
            throughputChart.chart.markup, "</section>",
        ]
        return HTMLPage.document(title: "nebula-memory soak", body: body.joined(separator: "\n"))
    }

    /// The tolerance of the verdict's band, e.g. `5 %`, from its baseline and limit.
    var tolerance: String {
        guard report.baselineBytes > 0 else { return "?" }
        let percent = 100 * (Double(report.ceilingBytes) / Double(report.baselineBytes) - 1)
        return String(format: "%.0f %%", percent)
    }

    /// The verdict in one sentence.
    var headline: String {
        switch (report.flat, report.leftovers.isEmpty) {
        case (true, true): "the resident set stayed flat and everything was given back"
        case (false, true): "the resident set grew past its limit"
        case (true, false): "the resident set stayed flat, but not everything was given back"
        case (false, false): "the resident set grew past its limit, and not everything was given back"
        }
    }

    /// Why: the growth with its figures, then each check that failed.
    var reasons: [String] {
        var reasons: [String] = []
        if let max = report.maxAfterWarmupBytes, let ratio = report.ratio {
            reasons.append(
                "after the warm-up the resident set reached at most \(Self.mebibytes(max)), "
                    + String(format: "%.4f", ratio) + " × the baseline of \(Self.mebibytes(report.baselineBytes))"
                    + "; the limit is \(Self.mebibytes(report.ceilingBytes)) (+\(tolerance))")
        } else {
            reasons.append("no sample came after the warm-up")
        }
        if let first = report.firstOverLimit {
            reasons.append(
                String(format: "it passed the limit at %.1f s", first.elapsed)
                    + " (\(Self.mebibytes(first.residentBytes)))")
        }
        if report.leftovers.isEmpty {
            reasons.append("budgets back to 0 used, pools report no leaks, allocators empty")
        } else {
            reasons += report.leftovers.map { "not given back: \($0)" }
        }
        return reasons
    }

    private var facts: [(String, String)] {
        [
            ("run", String(format: "%.1f s on \(report.threads) threads, seed \(report.seed)", report.seconds)),
            ("warm-up", String(format: "%.1f s", report.warmup)),
            (
                "executions",
                "\(ChartScale.grouped(String(report.executions))) ("
                    + ChartScale.grouped(String(format: "%.0f", report.executionsPerSecond)) + " a second)"
            ),
            ("samples", String(report.samples.count)),
        ]
    }

    /// The resident set in MiB: warm-up shaded, the allowed band after it, samples over the limit in red.
    var residentChart: TimeSeriesChart {
        let end = report.samples.last?.elapsed ?? report.seconds
        let overLimit = Set(
            report.samples.indices.filter {
                report.samples[$0].elapsed > report.warmup && report.samples[$0].residentBytes > report.ceilingBytes
            })
        return TimeSeriesChart(
            label: "resident set over time, in MiB", yTitle: "resident set (MiB)",
            points: report.samples.map { (x: $0.elapsed, y: Double($0.residentBytes) / Self.mebibyte) },
            describe: { String(format: "%.2f MiB", $0) }, xEnd: report.seconds,
            keepInView: [Double(report.baselineBytes), Double(report.ceilingBytes)].map { $0 / Self.mebibyte },
            regions: [
                .init(from: 0, to: report.warmup, classes: "warmup", label: "warm-up"),
                .init(
                    from: report.warmup, to: max(end, report.seconds),
                    low: Double(report.baselineBytes) / Self.mebibyte,
                    high: Double(report.ceilingBytes) / Self.mebibyte, classes: "band", label: nil),
            ],
            levels: [
                .init(
                    value: Double(report.ceilingBytes) / Self.mebibyte, from: report.warmup,
                    to: max(end, report.seconds), classes: "limit")
            ],
            highlighted: overLimit)
    }

    /// Executions per second between consecutive samples, from 0, with the run's mean.
    var throughputChart: TimeSeriesChart {
        var rates: [(x: Double, y: Double)] = []
        var previous = (elapsed: 0.0, executions: 0)
        for sample in report.samples where sample.elapsed > previous.elapsed {
            rates.append(
                (
                    x: sample.elapsed,
                    y: Double(sample.executions - previous.executions) / (sample.elapsed - previous.elapsed)
                ))
            previous = (sample.elapsed, sample.executions)
        }
        let end = max(report.samples.last?.elapsed ?? 0, report.seconds)
        return TimeSeriesChart(
            label: "executions per second over time", yTitle: "executions per second",
            points: rates, describe: { ChartScale.grouped(String(format: "%.0f", $0)) + " /s" }, xEnd: report.seconds,
            keepInView: [0],
            levels: [.init(value: report.executionsPerSecond, from: 0, to: end, classes: "mean")])
    }

    private static func mebibytes(_ bytes: Int) -> String {
        String(format: "%.2f MiB", Double(bytes) / mebibyte)
    }
}
