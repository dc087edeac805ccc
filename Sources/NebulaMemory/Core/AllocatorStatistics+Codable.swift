/// Failures are encoded as an object keyed by the codes' raw values
/// (`{"ALLOC_POOL_EXHAUSTED": 3}`), as a JSON reader expects; the other fields by name.
extension AllocatorStatistics: Codable {
    private enum CodingKeys: String, CodingKey {
        case allocations, deallocations, bytesInUse, peakBytesInUse, failedAllocations, failures, resets
        case sizeClasses
    }

    private struct CodeKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes statistics; a missing `failures` or `sizeClasses` reads as empty.
    ///
    /// - Parameter decoder: the decoder to read from.
    /// - Throws: `DecodingError` for a missing counter or an unknown error code.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var failures: [AllocError.Code: Int] = [:]
        for (raw, count) in try container.decodeIfPresent([String: Int].self, forKey: .failures) ?? [:] {
            guard let code = AllocError.Code(rawValue: raw) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .failures, in: container, debugDescription: "unknown error code \(raw)")
            }
            failures[code] = count
        }
        self.init(
            allocations: try container.decode(Int.self, forKey: .allocations),
            deallocations: try container.decode(Int.self, forKey: .deallocations),
            bytesInUse: try container.decode(Int.self, forKey: .bytesInUse),
            peakBytesInUse: try container.decode(Int.self, forKey: .peakBytesInUse),
            failedAllocations: try container.decode(Int.self, forKey: .failedAllocations),
            failures: failures,
            resets: try container.decode(Int.self, forKey: .resets),
            sizeClasses: try container.decodeIfPresent(SizeClassHistogram.self, forKey: .sizeClasses)
                ?? SizeClassHistogram())
    }

    /// Encodes the statistics, failures keyed by their codes' raw values in catalog order.
    ///
    /// - Parameter encoder: the encoder to write to.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(allocations, forKey: .allocations)
        try container.encode(deallocations, forKey: .deallocations)
        try container.encode(bytesInUse, forKey: .bytesInUse)
        try container.encode(peakBytesInUse, forKey: .peakBytesInUse)
        try container.encode(failedAllocations, forKey: .failedAllocations)
        // In catalog order, so that the same statistics always encode to the same text.
        var failures = container.nestedContainer(keyedBy: CodeKey.self, forKey: .failures)
        for code in AllocError.Code.allCases {
            if let count = self.failures[code] {
                try failures.encode(count, forKey: CodeKey(stringValue: code.rawValue))
            }
        }
        try container.encode(resets, forKey: .resets)
        try container.encode(sizeClasses, forKey: .sizeClasses)
    }
}
