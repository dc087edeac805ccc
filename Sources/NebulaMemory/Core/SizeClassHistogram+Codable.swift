/// Encoded as the counts up to the last non-zero class, so that a histogram of small requests
/// stays short in a snapshot.
extension SizeClassHistogram: Codable {
    /// Decodes the counts, class 0 first.
    ///
    /// - Parameter decoder: the decoder to read from.
    /// - Throws: `DecodingError` for more than ``SizeClassHistogram/classCount`` counts or a negative one.
    public init(from decoder: any Decoder) throws {
        let counts = try decoder.singleValueContainer().decode([Int].self)
        guard counts.count <= Self.classCount, counts.allSatisfy({ $0 >= 0 }) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "a size-class histogram has at most \(Self.classCount) non-negative counts"))
        }
        self.init(counts: counts)
    }

    /// Encodes the counts up to the last class that counted anything.
    ///
    /// - Parameter encoder: the encoder to write to.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        let used = (counts.lastIndex { $0 != 0 } ?? -1) + 1
        try container.encode(Array(counts[..<used]))
    }
}
