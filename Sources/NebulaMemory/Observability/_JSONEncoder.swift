/// Encodes an `Encodable` value as JSON text without Foundation, so that the library can
/// export its snapshots while depending on the standard library alone.
///
/// Keys keep the order the value encodes them in; `nil` optionals are left out (as the
/// synthesized `encodeIfPresent` asks); non-finite floating-point numbers, which JSON cannot
/// hold, are written as `null`. Asking one encoder for a keyed container after an unkeyed one
/// (or the reverse) is a bug in the value's `encode(to:)` and stops the program, as with
/// Foundation's encoder.
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
        KeyedEncodingContainer(_JSONKeyedContainer<Key>(object: define(as: .object([])), codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        _JSONUnkeyedContainer(array: define(as: .array([])), codingPath: codingPath)
    }

    /// The value, made `empty` when it is not defined yet (or is a placeholder).
    private func define(as empty: _JSONValue.Storage) -> _JSONValue {
        guard let value else {
            let made = _JSONValue(empty)
            self.value = made
            return made
        }
        if value.isPlaceholder { value.storage = empty }
        return value
    }

    /// Sets the value to `scalar`, in place when a parent already holds a placeholder for it.
    func setSingle(_ scalar: _JSONValue) {
        if let value, value.isPlaceholder {
            value.storage = scalar.storage
        } else {
            value = scalar
        }
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
        superEncoder(key: _JSONKey("super"))
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(key: key)
    }

    private func superEncoder(key: any CodingKey) -> any Encoder {
        let encoder = _JSONValueEncoder(codingPath: codingPath + [key])
        let nested = _JSONValue.placeholder()
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
        array.append(try _JSONValueEncoder.box(value, codingPath: codingPath + [_JSONKey(index: count)]))
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
        let encoder = _JSONValueEncoder(codingPath: codingPath + [_JSONKey(index: count)])
        let nested = _JSONValue.placeholder()
        encoder.value = nested
        array.append(nested)
        return encoder
    }
}

private struct _JSONSingleValueContainer: SingleValueEncodingContainer {
    let encoder: _JSONValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws {
        encoder.setSingle(_JSONValue(.literal("null")))
    }

    mutating func encode(_ value: some Encodable) throws {
        encoder.setSingle(try _JSONValueEncoder.box(value, codingPath: codingPath))
    }
}

/// A coding key of the encoder's own: `super`, and array indices in coding paths.
private struct _JSONKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    init?(stringValue: String) { self.init(stringValue) }

    init?(intValue: Int) { self.init(index: intValue) }
}
