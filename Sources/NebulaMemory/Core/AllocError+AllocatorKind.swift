extension AllocError {
    /// What kind of component reported an error's state: one of the allocators, or the
    /// budget, context or monitor the failure concerns.
    ///
    /// The raw value is the word the error's message and description use (`arena`,
    /// `object pool`, …); it never changes.
    public enum AllocatorKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// A bump arena: ``BumpAllocator``, ``ConcurrentBumpAllocator`` or a context's arena.
        case arena
        /// A ``StackAllocator``.
        case stack
        /// A fixed-block pool: ``PoolAllocator`` or ``ConcurrentPoolAllocator``.
        case pool
        /// An object pool: ``ObjectPool``, ``ConcurrentObjectPool`` or ``AsyncObjectPool``.
        case objectPool = "object pool"
        /// A ``MemoryBudget``.
        case budget
        /// A ``MemoryContext``.
        case context
        /// A ``MemoryMonitor``.
        case monitor
        /// The system allocator (``SystemAllocator``).
        case system

        /// The raw value: the word messages use.
        public var description: String { rawValue }
    }
}
