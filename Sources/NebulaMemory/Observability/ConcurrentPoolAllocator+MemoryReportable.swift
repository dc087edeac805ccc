extension ConcurrentPoolAllocator: MemoryReportable {
    /// The pool's capacity (its blocks' usable bytes) and counters.
    public var memoryReport: MemoryReport {
        MemoryReport(kind: .concurrentPool, capacityBytes: blockCount * blockSize, allocator: statistics)
    }
}
