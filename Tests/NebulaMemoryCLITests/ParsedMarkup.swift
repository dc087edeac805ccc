import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A page read back with an XML parser: it exists only when the markup is well-formed (every
/// tag closed in order, attributes quoted, `<` and `&` escaped), so parsing it is the check.
final class ParsedMarkup: NSObject, XMLParserDelegate {
    /// An element with its attributes and the text directly inside it.
    struct Element {
        let name: String
        let attributes: [String: String]
        var text = ""

        var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }

        func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
    }

    /// Every element in document order.
    private(set) var elements: [Element] = []
    private var open: [Int] = []
    /// Set by the parser's error callback: some versions of `parse()` return true after an error.
    private var failed = false

    /// The parsed page, or nil when `markup` is not well-formed.
    static func parse(_ markup: String) -> ParsedMarkup? {
        let result = ParsedMarkup()
        let parser = XMLParser(data: Data(markup.utf8))
        parser.delegate = result
        return parser.parse() && !result.failed && result.open.isEmpty ? result : nil
    }

    /// The elements named `name`, optionally only those of class `className`.
    func elements(_ name: String, class className: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (className.map($0.classes.contains) ?? true) }
    }

    /// The text of every element named `name`.
    func texts(_ name: String) -> [String] { elements(name).map(\.text) }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        open.append(elements.count)
        elements.append(Element(name: elementName, attributes: attributes))
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        open.removeLast()
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        failed = true
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let index = open.last { elements[index].text += string }
    }
}
