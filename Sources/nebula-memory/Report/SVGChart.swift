import Foundation

/// An SVG drawing put together element by element. Text and attribute values are escaped as
/// they go in, so a subject named `a<b&c` cannot break the markup; colours and fonts come from
/// the classes that the page's style sheet defines.
struct SVGChart {
    /// How a text is placed against its x coordinate.
    enum Anchor: String {
        case start, middle, end
    }

    /// Width and height in pixels (the drawing scales down with its page, never up).
    let width: Double
    let height: Double
    /// What the drawing shows, for screen readers.
    let label: String
    private var elements: [String] = []

    init(width: Double, height: Double, label: String) {
        self.width = width
        self.height = height
        self.label = label
    }

    /// The width in pixels of `text` in the charts' monospaced 12 px font (0.6 em a character).
    static func textWidth(_ text: String) -> Double {
        Double(text.count) * charWidth
    }

    /// The advance of one character of the charts' font, rounded up.
    static let charWidth = 7.3

    /// A rectangle; `tooltip` shows on hover, `attributes` are extra ones (e.g. `data-` values).
    mutating func rect(
        x: Double, y: Double, width: Double, height: Double, classes: String, tooltip: String? = nil,
        attributes: [(String, String)] = []
    ) {
        element(
            "rect",
            [
                ("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(width)),
                ("height", Self.number(height)), ("class", classes),
            ] + attributes,
            tooltip: tooltip)
    }

    /// A straight line.
    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, classes: String) {
        element(
            "line",
            [
                ("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)), ("y2", Self.number(y2)),
                ("class", classes),
            ])
    }

    /// A circle; `tooltip` shows on hover.
    mutating func circle(x: Double, y: Double, radius: Double, classes: String, tooltip: String? = nil) {
        element(
            "circle", [("cx", Self.number(x)), ("cy", Self.number(y)), ("r", Self.number(radius)), ("class", classes)],
            tooltip: tooltip)
    }

    /// Connected line segments through `points`.
    mutating func polyline(_ points: [(x: Double, y: Double)], classes: String) {
        element("polyline", [("points", Self.points(points)), ("class", classes)])
    }

    /// A closed shape through `points`.
    mutating func polygon(_ points: [(x: Double, y: Double)], classes: String) {
        element("polygon", [("points", Self.points(points)), ("class", classes)])
    }

    /// One line of text whose baseline is at `y`.
    mutating func text(_ content: String, x: Double, y: Double, anchor: Anchor = .start, classes: String = "") {
        var attributes = [("x", Self.number(x)), ("y", Self.number(y))]
        if anchor != .start { attributes.append(("text-anchor", anchor.rawValue)) }
        if !classes.isEmpty { attributes.append(("class", classes)) }
        elements.append("<text\(Self.attributes(attributes))>\(HTMLText.escaped(content))</text>")
    }

    /// The `<svg>` element with everything drawn so far.
    var markup: String {
        let open =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.number(width))\" "
            + "height=\"\(Self.number(height))\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" "
            + "role=\"img\" aria-label=\"\(HTMLText.escaped(label))\">"
        return ([open] + elements.map { "  " + $0 } + ["</svg>"]).joined(separator: "\n")
    }

    private mutating func element(_ name: String, _ attributes: [(String, String)], tooltip: String? = nil) {
        if let tooltip {
            elements.append(
                "<\(name)\(Self.attributes(attributes))><title>\(HTMLText.escaped(tooltip))</title></\(name)>")
        } else {
            elements.append("<\(name)\(Self.attributes(attributes))/>")
        }
    }

    private static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(HTMLText.escaped($0.1))\"" }.joined()
    }

    private static func points(_ points: [(x: Double, y: Double)]) -> String {
        points.map { "\(number($0.x)),\(number($0.y))" }.joined(separator: " ")
    }

    /// A coordinate with one decimal, `-0.0` written as `0.0`.
    static func number(_ value: Double) -> String {
        let text = String(format: "%.1f", value)
        return text == "-0.0" ? "0.0" : text
    }
}
