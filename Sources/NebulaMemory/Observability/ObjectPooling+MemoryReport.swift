extension ObjectPooling {
    /// The pool's readings, for its ``MemoryReportable`` conformance.
    var objectPoolReading: MemoryReport.ObjectPool {
        MemoryReport.ObjectPool(idle: idleCount, inUse: inUseCount, capacity: capacity, statistics: statistics)
    }
}
