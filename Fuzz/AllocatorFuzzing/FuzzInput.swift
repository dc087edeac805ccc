/// The fuzzer's bytes read as a stream of small decisions.
///
/// Reads past the end give zeros, so every input decodes to some operation sequence and a
/// mutation anywhere in the input changes the sequence only from that point on.
struct FuzzInput {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: some Sequence<UInt8>) {
        self.bytes = Array(bytes)
    }

    /// Whether every byte has been read.
    var isAtEnd: Bool { index >= bytes.count }

    mutating func byte() -> UInt8 {
        defer { index += 1 }
        return index < bytes.count ? bytes[index] : 0
    }

    /// A value in `0..<65536`, little-endian.
    mutating func uint16() -> Int {
        Int(byte()) | Int(byte()) << 8
    }

    /// One of `choices`, picked by the next byte.
    mutating func pick<T>(_ choices: [T]) -> T {
        choices[Int(byte()) % choices.count]
    }
}
