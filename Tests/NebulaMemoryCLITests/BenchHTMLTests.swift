import ArgumentParser
import Foundation
import Testing

@testable import nebula_memory

/// The page `nebula-memory bench --html` writes.
@Suite struct BenchHTMLTests {
    private static func definition(_ id: String) -> WorkloadDefinition {
        WorkloadDefinition.all.first { $0.id == id }!
    }

    private static func result(_ workload: String, _ subject: String, _ samples: [Double]) -> BenchResult {
        BenchResult(workload: workload, subject: subject, unit: "ns", samples: samples)
    }

    /// W3 with the baselines, two steady subjects, a noisy one and one with markup in its name;
    /// W8, which cannot run; W9, whose difference is negative.
    private static let sections = [
        BenchHTML.Section(
            definition: definition("W3"),
            results: [
                result("W3", "system", [20, 20, 20]), result("W3", "c-reference", [5, 5, 5]),
                result("W3", "bump", [10, 10, 10]), result("W3", "pool", [40, 41, 42]),
                result("W3", "stack", [30, 40, 50]), result("W3", "a<b&c", [15, 15, 15]),
                result("W3", "concurrent-pool", []),
            ]),
        BenchHTML.Section(definition: definition("W8"), results: []),
        BenchHTML.Section(definition: definition("W9"), results: [result("W9", "bump", [-2, -1.5, -1])]),
    ]

    private static func page(build: String = "release") throws -> (String, ParsedMarkup) {
        let page = BenchHTML(sections: sections, facts: [("CPU", "Test <CPU>"), ("cores", "2")], build: build).page
        let parsed = try #require(ParsedMarkup.parse(page), "the page is not well-formed:\n\(page)")
        return (page, parsed)
    }

    @Test func thePageIsWellFormedAndShowsEveryWorkloadAndSubjectThatRan() throws {
        let (page, parsed) = try Self.page()
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(parsed.elements("svg").count == 2, "W3 and W9 have charts; W8 only its note")
        let headings = parsed.texts("h2").joined(separator: "\n")
        for id in ["W3", "W8", "W9"] { #expect(headings.contains(id)) }
        #expect(parsed.texts("p").contains("not available: needs MemoryOps"))
        let subjects = Set(parsed.elements("rect", class: "bar").compactMap { $0.attributes["data-subject"] })
        #expect(subjects == ["system", "c-reference", "bump", "pool", "stack", "a<b&c"])
        #expect(parsed.texts("text").contains("a<b&c"))
        #expect(parsed.texts("dd").contains("Test <CPU>"))
        // Escaped wherever it appears, never raw.
        #expect(!page.contains("a<b&c"))
        #expect(page.contains("a&lt;b&amp;c"))
        #expect(!page.contains("<script"))
        // Nothing is loaded from elsewhere: the SVG namespace is the only address.
        #expect(!page.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("://"))
        #expect(!page.contains("src="))
    }

    @Test func barWidthsAreProportionalToTheMedians() throws {
        let (_, parsed) = try Self.page()
        let w3 = parsed.elements("rect", class: "bar").prefix(6)
        let pixelsPerNanosecond = try w3.map { bar in
            let width = try #require(bar.number("width"))
            let median = try #require(bar.number("data-median"))
            return width / median
        }
        let first = try #require(pixelsPerNanosecond.first)
        #expect(first > 0)
        for value in pixelsPerNanosecond { #expect(abs(value - first) / first < 0.01, "\(pixelsPerNanosecond)") }
        // The bar of the slowest subject (pool, 41 ns) is four times bump's (10 ns), give or take rounding.
        let widths = Dictionary(uniqueKeysWithValues: w3.map { ($0.attributes["data-subject"]!, $0.number("width")!) })
        #expect(abs(widths["pool"]! / widths["bump"]! - 4.1) < 0.05)
    }

    @Test func aNegativeMedianDrawsItsBarLeftOfZero() throws {
        let (_, parsed) = try Self.page()
        let bar = try #require(parsed.elements("rect", class: "bar").last)
        #expect(bar.attributes["data-subject"] == "bump")
        let zero = try #require(parsed.elements("line", class: "zero").last)
        let x = try #require(bar.number("x"))
        let width = try #require(bar.number("width"))
        #expect(abs(x + width - zero.number("x1")!) < 0.2)
        #expect(parsed.texts("text").contains("-2.00 to -1.00"))
    }

    @Test func noisySubjectsAreMarkedAndBaselinesHaveTheirOwnColours() throws {
        let (_, parsed) = try Self.page()
        let bars = Dictionary(
            parsed.elements("rect", class: "bar").prefix(6).map { ($0.attributes["data-subject"]!, $0.classes) },
            uniquingKeysWith: { first, _ in first })
        #expect(bars["stack"]?.contains("noisy") == true)
        #expect(bars["pool"]?.contains("noisy") == false)
        #expect(bars["system"]?.contains("system") == true)
        #expect(bars["c-reference"]?.contains("cref") == true)
        for subject in ["bump", "pool", "stack", "a<b&c"] { #expect(bars[subject]?.contains("nebula") == true) }
        #expect(parsed.elements("text", class: "noisy").map(\.text) == ["noisy"])
    }

    @Test func theRatiosAndValuesAreWritten() throws {
        let (_, parsed) = try Self.page()
        let texts = parsed.texts("text")
        // bump: twice as fast as system's 20 ns, twice the C reference's 5 ns.
        #expect(texts.filter { $0 == "2.00×" }.count >= 2)
        #expect(texts.contains("vs system"))
        #expect(texts.contains("ns per pair (bar: median, whisker: min–max)"))
        #expect(texts.contains("30.0–50.0"))
    }

    @Test(arguments: ["release", "debug"])
    func aDebugBuildIsWarnedAbout(_ build: String) throws {
        let (_, parsed) = try Self.page(build: build)
        #expect(parsed.elements("p", class: "warning").isEmpty == (build == "release"))
    }

    /// Texts of one row never overlap each other or a bar (widths estimated as the chart does).
    @Test func textsNeverOverlapEachOtherOrTheBars() throws {
        let long = String(repeating: "very-long-subject-name-", count: 4)
        let definition = Self.definition("W7")
        let results = [
            Self.result("W7", "swift-class", [100_000, 120_000, 150_000]), Self.result("W7", long, [1.5, 1.5, 1.6]),
            Self.result("W7", "object-pool", [2.9, 3, 3.1]),
        ]
        let chart = BenchBarChart(definition: definition, rows: BenchRow.rows(definition, results)).chart
        let parsed = try #require(ParsedMarkup.parse(chart.markup))
        #expect(try #require(parsed.elements("svg").first?.number("width")) > BenchBarChart.preferredWidth)
        let extents = parsed.elements("text").map { text -> (y: Double, from: Double, to: Double) in
            let x = text.number("x")!
            let width = SVGChart.textWidth(text.text)
            switch text.attributes["text-anchor"] {
            case "middle": return (text.number("y")!, x - width / 2, x + width / 2)
            case "end": return (text.number("y")!, x - width, x)
            default: return (text.number("y")!, x, x + width)
            }
        }
        for (index, a) in extents.enumerated() {
            for b in extents[(index + 1)...] where a.y == b.y {
                #expect(a.to <= b.from || b.to <= a.from, "texts overlap: \(a) \(b)")
            }
        }
        let bars = parsed.elements("rect", class: "bar")
        let barsFrom = bars.map { $0.number("x")! }.min()!
        let barsTo = bars.map { $0.number("x")! + $0.number("width")! }.max()!
        for text in extents where text.y < parsed.elements("line", class: "axis").first!.number("y1")! {
            #expect(text.to <= barsFrom || text.from >= barsTo, "a text meets a bar: \(text)")
        }
        #expect(parsed.texts("text").contains("vs swift-class"))
    }

    @Test func oneSubjectFarSlowerThanTheRestIsCutSoThatTheOthersStayReadable() throws {
        let definition = Self.definition("W4-10K")
        let medians: [(String, Double)] = [
            ("system", 249_506), ("c-reference", 5), ("bump", 30), ("pool", 52), ("stack", 15),
            ("bump-hardened", 13_751), ("concurrent-pool", 298),
        ]
        let results = medians.map { Self.result("W4-10K", $0.0, [$0.1]) }
        let chart = BenchBarChart(definition: definition, rows: BenchRow.rows(definition, results))
        #expect(chart.cutAbove == 298)
        let parsed = try #require(ParsedMarkup.parse(chart.chart.markup))
        let bars = parsed.elements("rect", class: "bar")
        #expect(
            Set(bars.filter { $0.classes.contains("cut") }.map { $0.attributes["data-subject"]! }) == [
                "system", "bump-hardened",
            ])
        #expect(parsed.elements("polygon", class: "cut-mark").count == 2)
        // The bars that are not cut keep one scale, and the slowest of them is readable.
        let kept = bars.filter { !$0.classes.contains("cut") }
        let perNanosecond = kept.map { $0.number("width")! / $0.number("data-median")! }
        for value in perNanosecond { #expect(abs(value / perNanosecond[0] - 1) < 0.01, "\(perNanosecond)") }
        #expect(kept.map { $0.number("width")! }.max()! > 200)

        let page = BenchHTML(sections: [.init(definition: definition, results: results)], facts: [], build: "release")
        let note = try #require(ParsedMarkup.parse(page.page)).texts("p").first { $0.hasPrefix("Cut") }
        #expect(note?.contains("system (249506), bump-hardened (13751)") == true)
    }

    @Test func aChartWhoseBarsAreReadableIsNotCut() {
        let definition = Self.definition("W1")
        let medians: [(String, Double)] = [
            ("system", 85.7), ("c-reference", 3.6), ("bump", 44.8), ("pool", 4.5), ("bump-hardened", 51),
        ]
        let results = medians.map { Self.result("W1", $0.0, [$0.1]) }
        #expect(BenchBarChart(definition: definition, rows: BenchRow.rows(definition, results)).cutAbove == nil)
        #expect(BenchBarChart(definition: definition, rows: BenchRow.rows(Self.definition("W3"), [])).cutAbove == nil)
    }

    @Test func anHTMLPathThatCannotBeWrittenFailsBeforeAnyMeasurement() throws {
        let command = try BenchCommand.parse(["--filter", "W3", "--html", "/nonexistent-folder/bench.html"])
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: ExitCode.failure) { try command.run() }
        #expect(clock.now - start < .seconds(5), "it measured before failing")
    }

    @Test func theHTMLPageAndTheJSONAreWrittenTogether() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-html-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let html = folder.appendingPathComponent("bench.html").path
        let json = folder.appendingPathComponent("bench.json").path
        try BenchCommand.parse(["--quick", "--filter", "W8,W9", "--html", html, "--json", json]).run()
        let page = try String(contentsOfFile: html, encoding: .utf8)
        let parsed = try #require(ParsedMarkup.parse(page))
        #expect(
            parsed.elements("rect", class: "bar").map { $0.attributes["data-subject"] } == [
                "bump", "pool", "concurrent-pool",
            ])
        #expect(parsed.texts("h2").count == 2)
        #expect(try String(contentsOfFile: json, encoding: .utf8).contains("\"unavailable\":[\"W8\"]"))
    }
}
