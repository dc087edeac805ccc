extension ObjectPooling {
    /// The pool's readings, for its ``MemoryReportable`` conformance.
    var objectPoolReading: MemoryReport.ObjectPool {
        // One pass under the lock, so that the counts agree with each other.
        _core.locked {
            MemoryReport.ObjectPool(
                idle: _core.state.idle.count, inUse: _core.state.inUse, capacity: _core.state.capacity,
                statistics: _core.trackStatistics ? _core.state.statisticsSnapshot : nil)
        }
    }
}
