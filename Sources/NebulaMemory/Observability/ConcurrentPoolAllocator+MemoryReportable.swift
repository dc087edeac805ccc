extension ConcurrentPoolAllocator: MemoryReportable {
    /// The pool's capacity (its blocks' usable bytes) and counters.
    public var memoryReport: MemoryReport {
        // Counters before the capacity: a pool only grows, so the blocks in use never exceed it.
        let statistics = self.statistics
        return MemoryReport(kind: .concurrentPool, capacityBytes: blockCount * blockSize, allocator: statistics)
    }
}
