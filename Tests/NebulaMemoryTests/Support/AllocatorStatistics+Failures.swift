import NebulaMemory

extension AllocatorStatistics {
    /// Counts one more failed request with `code`, as an allocator does.
    mutating func countFailure(_ code: AllocError.Code) {
        failedAllocations += 1
        failures[code, default: 0] += 1
    }
}

extension SizeClassHistogram {
    /// A histogram of `requests`: request size → how many requests of that size.
    init(requests: KeyValuePairs<Int, Int>) {
        self.init()
        var counts = self.counts
        for (size, count) in requests { counts[Self.sizeClass(of: size)] += count }
        self.init(counts: counts)
    }
}
