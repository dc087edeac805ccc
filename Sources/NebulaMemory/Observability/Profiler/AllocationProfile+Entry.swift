extension AllocationProfile {
    /// The estimates of one call site.
    public struct Entry: Sendable, Codable, Equatable {
        /// The call site and allocator.
        public let site: AllocationSite
        /// The samples taken there.
        public let samples: Int
        /// The estimated number of allocations.
        public let count: Int
        /// The estimated bytes allocated.
        public let bytes: Int
        /// The estimated number of allocations not given back through the typed API.
        public let liveCount: Int
        /// The estimated bytes not given back through the typed API.
        public let liveBytes: Int

        /// An entry.
        ///
        /// - Parameters:
        ///   - site: the call site and allocator.
        ///   - samples: the samples taken there.
        ///   - count: the estimated number of allocations.
        ///   - bytes: the estimated bytes allocated.
        ///   - liveCount: the estimated number of allocations still live.
        ///   - liveBytes: the estimated bytes still live.
        public init(site: AllocationSite, samples: Int, count: Int, bytes: Int, liveCount: Int, liveBytes: Int) {
            self.site = site
            self.samples = samples
            self.count = count
            self.bytes = bytes
            self.liveCount = liveCount
            self.liveBytes = liveBytes
        }

        /// The entry of a site's sums, rounded; live figures that only rounding keeps above
        /// zero are zero.
        init(_ site: AllocationSite, _ sampled: _SampledSite) {
            self.init(
                site: site, samples: sampled.samples, count: Self.rounded(sampled.count),
                bytes: Self.rounded(sampled.bytes), liveCount: Self.rounded(sampled.liveCount),
                liveBytes: Self.rounded(sampled.liveBytes))
        }

        private static func rounded(_ value: Double) -> Int {
            value < 0.5 ? 0 : value >= 0x1p62 ? 1 << 62 : Int(value.rounded())
        }
    }
}
