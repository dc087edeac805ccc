extension AllocationSite {
    /// The allocators a profile tells apart; the raw value is the frame the folded stacks show.
    public enum AllocatorKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        /// A ``BumpAllocator``.
        case bump
        /// A ``StackAllocator``.
        case stack
        /// A ``PoolAllocator``.
        case pool
        /// The ``SystemAllocator``.
        case system
        /// A ``ConcurrentBumpAllocator``.
        case concurrentBump = "concurrent_bump"
        /// A ``ConcurrentPoolAllocator``.
        case concurrentPool = "concurrent_pool"
        /// A ``BudgetedAllocator`` around any allocator.
        case budgeted
        /// An allocator defined outside the library.
        case other

        /// The raw value.
        public var description: String { rawValue }

        /// The kind of `allocator`; runs only for a sampled allocation.
        static func of(_ allocator: AnyObject) -> Self {
            switch allocator {
            case is BumpAllocator: .bump
            case is StackAllocator: .stack
            case is PoolAllocator: .pool
            case is SystemAllocator: .system
            case is ConcurrentBumpAllocator: .concurrentBump
            case is ConcurrentPoolAllocator: .concurrentPool
            case is _BudgetedAllocation: .budgeted
            default: .other
            }
        }
    }
}

/// Marks ``BudgetedAllocator`` of any base, which a cast to a generic class cannot name.
protocol _BudgetedAllocation: AnyObject {}

extension BudgetedAllocator: _BudgetedAllocation {}
