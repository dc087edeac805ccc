/// Encoded as the counts up to the last non-zero class, so that a histogram of small requests
/// stays short in a snapshot.
extension SizeClassHistogram: Codable {
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

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        let used = (counts.lastIndex { $0 != 0 } ?? -1) + 1
        try container.encode(Array(counts[..<used]))
    }
}
