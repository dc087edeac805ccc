/// What ``AllocationProfiler`` recorded: estimated allocations and bytes per call site.
///
/// The figures are estimates from samples, unbiased, and closer to the truth the more samples
/// a site has.
public struct AllocationProfile: Sendable, Codable, Equatable {
    /// The mean gap between samples, in bytes.
    public let sampleInterval: Int
    /// Every sampled site, most total bytes first.
    public let entries: [Entry]

    /// A profile.
    ///
    /// - Parameters:
    ///   - sampleInterval: the mean gap between samples, in bytes.
    ///   - entries: the sites, in any order; kept by total bytes, most first.
    public init(sampleInterval: Int, entries: [Entry]) {
        self.sampleInterval = sampleInterval
        self.entries = entries.sorted { Self.ranks($0, $1, by: \.bytes) }
    }

    /// The samples taken.
    public var samples: Int { entries.reduce(0) { $0 + $1.samples } }
    /// The estimated number of allocations.
    public var count: Int { entries.reduce(0) { $0 + $1.count } }
    /// The estimated bytes allocated.
    public var bytes: Int { entries.reduce(0) { $0 + $1.bytes } }
    /// The estimated bytes allocated and not given back through the typed API.
    public var liveBytes: Int { entries.reduce(0) { $0 + $1.liveBytes } }

    /// The sites that allocated the most bytes.
    ///
    /// - Parameter k: how many sites at most.
    /// - Returns: up to `k` entries, most total bytes first.
    public func topByBytes(_ k: Int) -> [Entry] {
        Array(entries.prefix(Swift.max(0, k)))
    }

    /// The sites that hold the most live bytes; sites holding none are left out.
    ///
    /// - Parameter k: how many sites at most.
    /// - Returns: up to `k` entries, most live bytes first.
    public func topByLiveBytes(_ k: Int) -> [Entry] {
        Array(
            entries.filter { $0.liveBytes > 0 }.sorted { Self.ranks($0, $1, by: \.liveBytes) }.prefix(Swift.max(0, k)))
    }

    /// Larger figure first; ties by site, so the order never depends on hashing.
    static func ranks(_ a: Entry, _ b: Entry, by figure: KeyPath<Entry, Int>) -> Bool {
        if a[keyPath: figure] != b[keyPath: figure] { return a[keyPath: figure] > b[keyPath: figure] }
        if a.site.file != b.site.file { return a.site.file < b.site.file }
        if a.site.line != b.site.line { return a.site.line < b.site.line }
        return a.site.allocator.rawValue < b.site.allocator.rawValue
    }
}
