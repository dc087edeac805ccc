/// The frame of the pages `bench --html` and `soak --html` write: one self-contained file (its
/// style sheet inline, its charts inline SVG, no scripts, fonts or images from elsewhere),
/// written as well-formed XML too, so that a test can parse it.
enum HTMLPage {
    /// A whole page titled `title` around `body`, which must already be markup.
    static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(HTMLText.escaped(title))</title>
        <style>
        \(styleSheet)
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    /// A definition list of `facts` (label and value, both plain text).
    static func facts(_ facts: [(String, String)]) -> String {
        let items = facts.map { "<dt>\(HTMLText.escaped($0.0))</dt><dd>\(HTMLText.escaped($0.1))</dd>" }
        return "<dl class=\"facts\">\n" + items.joined(separator: "\n") + "\n</dl>"
    }

    /// A legend entry: a swatch of the class `swatch` and its plain-text meaning.
    static func legendItem(swatch: String, _ meaning: String) -> String {
        "<span class=\"item\"><span class=\"swatch \(swatch)\"></span>\(HTMLText.escaped(meaning))</span>"
    }

    /// Colours: NebulaMemory's subjects in blue, the baselines in orange (`system`, or the
    /// workload's own baseline) and grey (the C reference); soak bands in green, failures in red.
    static let styleSheet = """
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
          margin: 24px auto; padding: 0 16px; max-width: 1120px; color: #1d1d1f; background: #fff; }
        h1 { font-size: 22px; margin: 0 0 8px; }
        h2 { font-size: 17px; margin: 0; }
        h2 .name { font-weight: normal; color: #555; }
        p { margin: 4px 0; }
        .summary { color: #444; }
        .note { color: #666; font-style: italic; }
        .warning { background: #fff4e5; border-left: 4px solid #e08a2c; padding: 6px 10px; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 12px; }
        dl.facts dt { color: #666; }
        dl.facts dd { margin: 0; }
        .legend { display: flex; flex-wrap: wrap; gap: 6px 20px; margin: 8px 0 4px; color: #333; }
        .legend .item { display: inline-flex; align-items: center; gap: 6px; }
        .swatch { display: inline-block; width: 14px; height: 12px; border-radius: 2px;
          box-shadow: inset 0 0 0 1px rgba(0, 0, 0, .12); }
        .swatch.whisker, .swatch.limit, .swatch.mean, .swatch.series { box-shadow: none; }
        .swatch.whisker { height: 2px; background: #222; }
        .swatch.noisy { background: #3b6fd8; opacity: .4; outline: 1.5px dashed #3b6fd8; }
        section { margin: 22px 0; padding-top: 12px; border-top: 1px solid #e5e5e5; }
        svg { display: block; max-width: 100%; height: auto; margin-top: 6px; }
        svg text { font: 12px ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; fill: #222; }
        .grid { stroke: #e6e6e6; stroke-width: 1; }
        .axis { stroke: #888; stroke-width: 1; }
        .zero { stroke: #444; stroke-width: 1; }
        text.head { font-weight: bold; fill: #555; }
        text.tick { fill: #666; }
        text.axis-title { fill: #333; }
        text.noisy { fill: #c0392b; font-weight: bold; }
        .nebula { fill: #3b6fd8; background: #3b6fd8; stroke: #3b6fd8; }
        .system { fill: #e08a2c; background: #e08a2c; stroke: #e08a2c; }
        .cref { fill: #8f8f8f; background: #8f8f8f; stroke: #8f8f8f; }
        rect.bar { stroke-width: 0; }
        rect.bar.noisy { fill-opacity: .4; stroke-width: 1.5; stroke-dasharray: 4 2; }
        .whisker { stroke: #222; stroke-width: 1.3; }
        .cut-mark { fill: #fff; }
        .verdict { display: inline-block; font-weight: bold; font-size: 18px; padding: 2px 12px;
          border-radius: 4px; color: #fff; margin-right: 10px; }
        .verdict.pass { background: #2e8b57; }
        .verdict.fail { background: #c0392b; }
        ul.reasons { margin: 6px 0; padding-left: 22px; }
        .warmup { fill: #efefef; background: #efefef; }
        .band { fill: #2e8b57; fill-opacity: .16; background: rgba(46, 139, 87, .25); }
        .limit { stroke: #2e8b57; stroke-width: 1.5; stroke-dasharray: 6 4; fill: none; }
        .swatch.limit { height: 0; border-top: 2px dashed #2e8b57; background: none; }
        .series { fill: none; stroke: #3b6fd8; stroke-width: 2; }
        .swatch.series { height: 3px; background: #3b6fd8; }
        .mean { stroke: #e08a2c; stroke-width: 1.5; stroke-dasharray: 6 4; fill: none; }
        .swatch.mean { height: 0; border-top: 2px dashed #e08a2c; background: none; }
        circle.point { fill: #3b6fd8; }
        circle.over, .swatch.over { fill: #c0392b; background: #c0392b; }
        .swatch.over { width: 9px; height: 9px; border-radius: 50%; }
        text.region { fill: #777; font-style: italic; }
        """
}
