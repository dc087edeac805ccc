extension AsyncObjectPool: MemoryReportable {
    /// The pool's idle, in-use and capacity counts and its counters.
    public var memoryReport: MemoryReport {
        MemoryReport(kind: .asyncObjectPool, objectPool: objectPoolReading)
    }
}
