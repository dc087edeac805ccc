import Foundation

/// The page `nebula-memory bench --html FILE` writes: the run's facts, then per workload a bar
/// chart of every subject's median time with its min–max, its value and its ratios.
struct BenchHTML {
    /// One workload as it ran: its definition and every subject's rounds (empty for a subject
    /// that cannot run it).
    struct Section {
        let definition: WorkloadDefinition
        let results: [BenchResult]
    }

    let sections: [Section]
    /// What the header lists about the machine and the run, as label and value.
    let facts: [(String, String)]
    /// The build the timings come from; a debug build gets a warning at the top.
    let build: String

    /// The facts of this machine and run: CPU, cores, build, rounds, time of writing.
    static func facts(quick: Bool, rounds: Int, date: Date = Date()) -> [(String, String)] {
        [
            ("CPU", BenchReport.cpuModel()),
            ("cores", String(ProcessInfo.processInfo.activeProcessorCount)),
            ("build", BenchReport.build),
            ("rounds", quick ? "\(rounds), a tenth of the operations (--quick)" : String(rounds)),
            ("written", ISO8601DateFormatter().string(from: date)),
        ]
    }

    /// The whole page.
    var page: String {
        var body = ["<header>", "<h1>nebula-memory bench</h1>"]
        if build != "release" {
            body.append("<p class=\"warning\">A \(HTMLText.escaped(build)) build: these timings say nothing.</p>")
        }
        body.append(HTMLPage.facts(facts))
        body.append(Self.legend)
        body.append("</header>")
        for section in sections { body.append(Self.markup(section)) }
        return HTMLPage.document(title: "nebula-memory bench", body: body.joined(separator: "\n"))
    }

    private static let legend =
        "<div class=\"legend\">"
        + [
            HTMLPage.legendItem(swatch: "nebula", "NebulaMemory"),
            HTMLPage.legendItem(swatch: "system", "baseline: system allocator (swift-class in W7)"),
            HTMLPage.legendItem(swatch: "cref", "C reference: the floor"),
            HTMLPage.legendItem(swatch: "whisker", "min–max over the rounds"),
            HTMLPage.legendItem(
                swatch: "noisy", "noisy: spread over \(Int(BenchCommand.noisySpread * 100)) % of the median"),
        ].joined() + "</div>\n<p class=\"note\">Bars show the median time (shorter is faster); "
        + "\"vs system\" is the speed-up over the baseline, \"vs c-ref\" the time relative to the C reference.</p>"

    private static func markup(_ section: Section) -> String {
        let definition = section.definition
        var lines = [
            "<section id=\"\(HTMLText.escaped(definition.id))\">",
            "<h2>\(HTMLText.escaped(definition.id)) <span class=\"name\">\(HTMLText.escaped(definition.name))</span></h2>",
            "<p class=\"summary\">\(HTMLText.escaped(definition.summary))</p>",
        ]
        let rows = BenchRow.rows(definition, section.results)
        if let unavailable = definition.unavailable {
            lines.append("<p class=\"note\">\(HTMLText.escaped(unavailable))</p>")
        } else if rows.isEmpty {
            lines.append("<p class=\"note\">no subject ran this workload</p>")
        } else {
            let chart = BenchBarChart(definition: definition, rows: rows)
            lines.append(chart.chart.markup)
            if let limit = chart.cutAbove {
                let cut = rows.filter { $0.median > limit }.map { "\($0.subject) (\(BenchReport.format($0.median)))" }
                lines.append(
                    "<p class=\"note\">Cut at the end of the scale, so that the other bars stay readable: "
                        + HTMLText.escaped(cut.joined(separator: ", ")) + ".</p>")
            }
        }
        lines.append("</section>")
        return lines.joined(separator: "\n")
    }
}
