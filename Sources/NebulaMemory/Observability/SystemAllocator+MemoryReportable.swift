extension SystemAllocator: MemoryReportable {
    /// The allocator's counters (none for ``shared``); it holds no capacity of its own.
    public var memoryReport: MemoryReport {
        MemoryReport(kind: .system, allocator: statistics)
    }
}
