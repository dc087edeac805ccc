extension MemoryReport {
    /// The kinds of object that report; the raw value is the `kind` label of exported metrics.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        /// A ``ConcurrentBumpAllocator``.
        case concurrentBump = "concurrent_bump"
        /// A ``ConcurrentPoolAllocator``.
        case concurrentPool = "concurrent_pool"
        /// A ``MemoryBudget``.
        case budget
        /// A ``ConcurrentObjectPool``.
        case concurrentObjectPool = "concurrent_object_pool"
        /// An ``AsyncObjectPool``.
        case asyncObjectPool = "async_object_pool"
        /// The process's memory contexts (``MemoryContexts``).
        case contexts
        /// A ``SystemAllocator`` made with statistics.
        case system

        /// The raw value.
        public var description: String { rawValue }
    }
}
