import Testing

@testable import nebula_memory

/// The drawing builder and the axis scale that the HTML pages are made of.
@Suite struct SVGChartTests {
    @Test func textAndAttributesAreEscaped() throws {
        var chart = SVGChart(width: 100, height: 50, label: "a \"quoted\" <label>")
        chart.text("a<b & 'c'>", x: 1, y: 2)
        chart.rect(
            x: 0, y: 0, width: 10, height: 5, classes: "bar", tooltip: "</title><script>",
            attributes: [("data-subject", "x\"y")])
        let markup = chart.markup
        #expect(!markup.contains("a<b"))
        #expect(markup.contains("a&lt;b &amp; &#39;c&#39;&gt;"))
        let parsed = try #require(ParsedMarkup.parse(markup), "not well-formed:\n\(markup)")
        #expect(parsed.texts("text") == ["a<b & 'c'>"])
        #expect(parsed.elements("rect").first?.attributes["data-subject"] == "x\"y")
        #expect(parsed.texts("title") == ["</title><script>"])
        #expect(parsed.elements("svg").first?.attributes["aria-label"] == "a \"quoted\" <label>")
    }

    @Test func theCheckRefusesMarkupThatIsNotWellFormed() {
        #expect(ParsedMarkup.parse("<svg><g></svg>") == nil)
        #expect(ParsedMarkup.parse("<svg><text>a<b</text></svg>") == nil)
        #expect(ParsedMarkup.parse("<svg><text>a&lt;b</text></svg>") != nil)
    }

    @Test func aScaleEndsOnRoundTicksThatCoverItsValues() {
        let scale = ChartScale(covering: [0, 768], from: 100, to: 500)
        #expect(scale.ticks == [0, 200, 400, 600, 800])
        #expect(scale(0) == 100)
        #expect(scale(800) == 500)
        #expect(scale(400) == 300)
        let negative = ChartScale(covering: [-9.85, 0], from: 0, to: 100)
        #expect(negative.lower == -10)
        #expect(negative.upper == 0)
        #expect(negative.ticks.contains(0))
        let small = ChartScale(covering: [24.4, 25.9], from: 300, to: 0)
        #expect(small.ticks.map(small.label) == ["24.0", "24.5", "25.0", "25.5", "26.0"])
        #expect(small(24) == 300)
    }

    @Test func aScaleOfOneValueStillHasRoom() {
        let zero = ChartScale(covering: [0, 0], from: 0, to: 100)
        #expect(zero.lower < 0 && zero.upper > 0)
        let one = ChartScale(covering: [5], from: 0, to: 100)
        #expect(one.lower < 5 && one.upper > 5)
    }

    @Test func largeTickLabelsAreGrouped() {
        let scale = ChartScale(covering: [0, 41_234], from: 0, to: 100)
        #expect(scale.ticks.map(scale.label).last == "50,000")
        #expect(ChartScale.grouped("-1234567") == "-1,234,567")
        #expect(ChartScale.grouped("999") == "999")
    }
}
