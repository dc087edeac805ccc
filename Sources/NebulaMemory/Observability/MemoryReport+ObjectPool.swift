extension MemoryReport {
    /// What an object pool reports.
    public struct ObjectPool: Sendable, Hashable, Codable {
        /// Objects waiting in the pool.
        public var idle: Int
        /// Objects checked out.
        public var inUse: Int
        /// The most objects the pool holds.
        public var capacity: Int
        /// The pool's counters; `nil` when its `trackStatistics` is off.
        public var statistics: ObjectPoolStatistics?

        /// A reading with the given values.
        ///
        /// - Parameters:
        ///   - idle: objects waiting in the pool.
        ///   - inUse: objects checked out.
        ///   - capacity: the most objects the pool holds.
        ///   - statistics: the pool's counters.
        public init(idle: Int, inUse: Int, capacity: Int, statistics: ObjectPoolStatistics?) {
            self.idle = idle
            self.inUse = inUse
            self.capacity = capacity
            self.statistics = statistics
        }
    }
}
