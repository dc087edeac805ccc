/// Encodes an `Encodable` value as JSON text without Foundation, so that the library can
/// export its snapshots while depending on the standard library alone.
///
/// Keys keep the order the value encodes them in; `nil` optionals are left out (as the
/// synthesized `encodeIfPresent` asks); non-finite floating-point numbers, which JSON cannot
/// hold, are written as `null`.
struct _JSONEncoder {
    /// The JSON text of `value`.
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = _JSONValueEncoder(codingPath: [])
        try value.encode(to: encoder)
        var text = ""
        (encoder.value ?? _JSONValue(.literal("null"))).write(to: &text)
        return text
    }
}

/// The `Encoder` behind `_JSONEncoder`: builds a `_JSONValue` tree.
final class _JSONValueEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// What was encoded: set by the first container asked for.
    var value: _JSONValue?

    init(codingPath: [any CodingKey]) {
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object = value ?? _JSONValue(.object([]))
        value = object
        return KeyedEncodingContainer(_JSONKeyedContainer<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array = value ?? _JSONValue(.array([]))
        value = array
        return _JSONUnkeyedContainer(array: array, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        _JSONSingleValueContainer(encoder: self)
    }

    /// The JSON value of `value`, encoded with its own `encode(to:)` unless it is a scalar.
    static func box(_ value: some Encodable, codingPath: [any CodingKey]) throws -> _JSONValue {
        if let scalar = scalar(value) { return scalar }
        let encoder = _JSONValueEncoder(codingPath: codingPath)
        try value.encode(to: encoder)
        return encoder.value ?? _JSONValue(.object([]))
    }

    /// Strings, booleans and numbers, written directly.
    static func scalar(_ value: Any) -> _JSONValue? {
        switch value {
        case let string as String: return _JSONValue(.string(string))
        case let bool as Bool: return _JSONValue(.literal(bool ? "true" : "false"))
        case let int as any BinaryInteger: return _JSONValue(.literal("\(int)"))
        case let double as Double: return _JSONValue(.literal(double.isFinite ? "\(double)" : "null"))
        case let float as Float: return _JSONValue(.literal(float.isFinite ? "\(float)" : "null"))
        default: return nil
        }
    }
}

private struct _JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: _JSONValue
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws {
        object.set(_JSONValue(.literal("null")), forKey: key.stringValue)
    }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        object.set(try _JSONValueEncoder.box(value, codingPath: codingPath + [key]), forKey: key.stringValue)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = _JSONValue(.object([]))
        object.set(nested, forKey: key.stringValue)
        return KeyedEncodingContainer(_JSONKeyedContainer<NestedKey>(object: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = _JSONValue(.array([]))
        object.set(nested, forKey: key.stringValue)
        return _JSONUnkeyedContainer(array: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(forKey: Key(stringValue: "super")!)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let encoder = _JSONValueEncoder(codingPath: codingPath + [key])
        let nested = _JSONValue(.object([]))
        encoder.value = nested
        object.set(nested, forKey: key.stringValue)
        return encoder
    }
}

private struct _JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let array: _JSONValue
    let codingPath: [any CodingKey]
    var count: Int { array.count }

    mutating func encodeNil() throws {
        array.append(_JSONValue(.literal("null")))
    }

    mutating func encode(_ value: some Encodable) throws {
        array.append(try _JSONValueEncoder.box(value, codingPath: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = _JSONValue(.object([]))
        array.append(nested)
        return KeyedEncodingContainer(_JSONKeyedContainer<NestedKey>(object: nested, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = _JSONValue(.array([]))
        array.append(nested)
        return _JSONUnkeyedContainer(array: nested, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = _JSONValueEncoder(codingPath: codingPath)
        let nested = _JSONValue(.object([]))
        encoder.value = nested
        array.append(nested)
        return encoder
    }
}

private struct _JSONSingleValueContainer: SingleValueEncodingContainer {
    let encoder: _JSONValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws {
        encoder.value = _JSONValue(.literal("null"))
    }

    mutating func encode(_ value: some Encodable) throws {
        encoder.value = try _JSONValueEncoder.box(value, codingPath: codingPath)
    }
}
