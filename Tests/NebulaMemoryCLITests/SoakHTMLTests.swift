import ArgumentParser
import Foundation
import Testing

@testable import nebula_memory

/// The page `nebula-memory soak --html` writes.
@Suite struct SoakHTMLTests {
    /// Samples one second apart with the given resident sizes (in MiB), 1,000 executions a second.
    private static func samples(_ mebibytes: [Double]) -> [SoakVerdict.Sample] {
        mebibytes.enumerated().map { index, size in
            SoakVerdict.Sample(
                elapsed: Double(index + 1), executions: 1000 * (index + 1), residentBytes: Int(size * Double(1 << 20)))
        }
    }

    private static func report(_ mebibytes: [Double], leftovers: [String] = []) -> SoakReport {
        let series = samples(mebibytes)
        return SoakReport(
            samples: series, verdict: SoakVerdict(samples: series, warmup: 2), leftovers: leftovers,
            seconds: Double(series.count), warmup: 2, threads: 2, seed: 1)
    }

    @Test func aPassingRunShowsItsVerdictTheBandAndBothSeries() throws {
        let report = Self.report([8, 20, 20.2, 20.4, 20.1, 20.3])
        let page = SoakHTML(report: report).page
        let parsed = try #require(ParsedMarkup.parse(page), "the page is not well-formed:\n\(page)")
        #expect(parsed.elements("span", class: "pass").map(\.text) == ["PASS"])
        #expect(parsed.elements("span", class: "fail").isEmpty)
        #expect(parsed.texts("li").contains { $0.contains("1.0200 × the baseline of 20.00 MiB") })
        #expect(parsed.texts("li").contains { $0.contains("limit is 21.00 MiB (+5 %)") })

        let svgs = parsed.elements("svg")
        #expect(svgs.count == 2)
        let series = parsed.elements("polyline", class: "series")
        #expect(series.map { $0.attributes["points"]!.split(separator: " ").count } == [6, 6])

        // The band spans baseline to limit on the resident set's axis, and starts at the warm-up's end.
        let band = try #require(parsed.elements("rect", class: "band").first)
        let limit = try #require(parsed.elements("line", class: "limit").first)
        #expect(abs(band.number("y")! - limit.number("y1")!) < 0.2)
        #expect(abs(band.number("x")! - limit.number("x1")!) < 0.2)
        let warmup = try #require(parsed.elements("rect", class: "warmup").first)
        #expect(abs(warmup.number("x")! + warmup.number("width")! - band.number("x")!) < 0.2)
        // 1 MiB (20 → 21) of band; 20.4 MiB lies inside it.
        let points = series[0].attributes["points"]!.split(separator: " ").map {
            $0.split(separator: ",").map { Double($0)! }
        }
        let bandTop = band.number("y")!
        let bandBottom = bandTop + band.number("height")!
        #expect(points[3][1] > bandTop && points[3][1] < bandBottom)
        #expect(parsed.elements("circle", class: "over").isEmpty)
    }

    @Test func aFailingRunSaysWhatGrewAndWhatWasNotGivenBack() throws {
        let report = Self.report([20, 20, 20, 22, 23], leftovers: ["budget <engine> & co still has 64 bytes"])
        let page = SoakHTML(report: report).page
        let parsed = try #require(ParsedMarkup.parse(page), "the page is not well-formed:\n\(page)")
        #expect(parsed.elements("span", class: "fail").map(\.text) == ["FAIL"])
        #expect(parsed.texts("p").contains { $0.contains("grew past its limit, and not everything was given back") })
        let reasons = parsed.texts("li")
        #expect(reasons.contains("it passed the limit at 4.0 s (22.00 MiB)"))
        #expect(reasons.contains("not given back: budget <engine> & co still has 64 bytes"))
        #expect(page.contains("budget &lt;engine&gt; &amp; co"))
        #expect(parsed.elements("circle", class: "over").count == 2)
    }

    @Test func executionsPerSecondAreTheRateBetweenSamples() {
        let series = [
            SoakVerdict.Sample(elapsed: 1, executions: 1000, residentBytes: 1 << 20),
            SoakVerdict.Sample(elapsed: 2, executions: 3000, residentBytes: 1 << 20),
            SoakVerdict.Sample(elapsed: 2.5, executions: 3500, residentBytes: 1 << 20),
        ]
        let report = SoakReport(
            samples: series, verdict: SoakVerdict(samples: series, warmup: 1), leftovers: [], seconds: 2.5,
            warmup: 1, threads: 2, seed: 1)
        let chart = SoakHTML(report: report).throughputChart
        #expect(chart.points.map(\.y) == [1000, 2000, 1000])
        #expect(chart.points.map(\.x) == [1, 2, 2.5])
        #expect(chart.keepInView.contains(0))
    }

    @Test func anHTMLPathThatCannotBeWrittenFailsBeforeTheRun() async throws {
        let command = try SoakCommand.parse(["--seconds", "30", "--html", "/nonexistent-folder/soak.html"])
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: ExitCode.failure) { try await command.run() }
        #expect(clock.now - start < .seconds(5), "it ran before failing")
    }

    @Test func aShortRunWritesItsPage() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("soak-\(getpid()).html").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let command = try SoakCommand.parse(["--seconds", "1", "--interval", "0.25", "--json", "--html", path])
        do { try await command.run() } catch let error as ExitCode where error == ExitCode(1) {
            // A debug build under load may fail the verdict; the page is written either way.
        }
        let parsed = try #require(ParsedMarkup.parse(try String(contentsOfFile: path, encoding: .utf8)))
        #expect(parsed.elements("svg").count == 2)
        #expect(
            parsed.elements("polyline", class: "series").first?.attributes["points"]?.split(separator: " ").count == 4)
    }
}
