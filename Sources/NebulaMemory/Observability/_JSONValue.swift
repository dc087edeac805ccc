/// A JSON value under construction by `_JSONEncoder`: containers are boxes, so nested
/// containers handed out by the encoder fill their parent in place.
final class _JSONValue {
    enum Storage {
        case object([(key: String, value: _JSONValue)])
        case array([_JSONValue])
        case string(String)
        /// A number or a literal (`true`, `false`, `null`), written as is.
        case literal(String)
    }

    var storage: Storage

    /// A value that a container or a single value will define: what `superEncoder()` hands out.
    static func placeholder() -> _JSONValue { _JSONValue(.literal("null")) }

    /// Whether this is still a placeholder, which the first container or value asked for
    /// turns into an object, an array or a scalar.
    var isPlaceholder: Bool {
        if case .literal("null") = storage { return true }
        return false
    }

    init(_ storage: Storage) {
        self.storage = storage
    }

    /// Appends `value` under `key` to this object (replacing an earlier value of that key).
    func set(_ value: _JSONValue, forKey key: String) {
        guard case .object(var members) = storage else {
            preconditionFailure("a keyed value encoded into a JSON array or scalar")
        }
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append((key, value))
        }
        storage = .object(members)
    }

    /// Appends `value` to this array.
    func append(_ value: _JSONValue) {
        guard case .array(var elements) = storage else {
            preconditionFailure("an element encoded into a JSON object or scalar")
        }
        elements.append(value)
        storage = .array(elements)
    }

    /// The number of elements of an array.
    var count: Int {
        if case .array(let elements) = storage { return elements.count }
        return 0
    }

    /// The value as JSON text.
    func write(to text: inout String) {
        switch storage {
        case .object(let members):
            text += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { text += "," }
                Self.appendString(member.key, to: &text)
                text += ":"
                member.value.write(to: &text)
            }
            text += "}"
        case .array(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += "," }
                element.write(to: &text)
            }
            text += "]"
        case .string(let string):
            Self.appendString(string, to: &text)
        case .literal(let literal):
            text += literal
        }
    }

    /// Appends `value` as a JSON string: quotes, backslashes and control characters escaped
    /// (RFC 8259, section 7).
    static func appendString(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
