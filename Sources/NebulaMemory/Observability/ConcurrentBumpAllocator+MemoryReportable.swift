extension ConcurrentBumpAllocator: MemoryReportable {
    /// The arena's capacity and counters.
    public var memoryReport: MemoryReport {
        MemoryReport(kind: .concurrentBump, capacityBytes: capacity, allocator: statistics)
    }
}
