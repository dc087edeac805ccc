extension ConcurrentObjectPool: MemoryReportable {
    /// The pool's idle, in-use and capacity counts and its counters.
    public var memoryReport: MemoryReport {
        MemoryReport(kind: .concurrentObjectPool, objectPool: objectPoolReading)
    }
}
