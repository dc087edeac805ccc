import Synchronization

/// One thread's private buffer in a ``ConcurrentBumpAllocator``: touched only by the thread
/// that holds the slot's index (see `_ThreadSlot`).
@usableFromInline
struct _ArenaThreadBuffer: ~Copyable {
    @usableFromInline var cursor = 0
    @usableFromInline var limit = 0
    /// Start of the thread's newest allocation while `deallocate` can reclaim it, else 0.
    @usableFromInline var last = 0
    /// The arena epoch the buffer belongs to; a reset, checkpoint or restore starts a new one.
    @usableFromInline var epoch: UInt64 = 0
    @usableFromInline let allocations = Atomic<Int>(0)
    @usableFromInline let deallocations = Atomic<Int>(0)

    @usableFromInline
    init() {}
}

/// The part of a ``ConcurrentBumpAllocator`` that changes only under its lock: the chunk
/// list, and what a checkpoint or reset needs.
@usableFromInline
struct _ConcurrentArenaState {
    @usableFromInline let first: UnsafeMutablePointer<_ArenaChunk>
    @usableFromInline var capacity: Int
    @usableFromInline var peak = 0
    @usableFromInline var resets = 0
    @usableFromInline var points = _RestorePointStack()
    @usableFromInline let growth: BumpAllocator.Configuration.Growth
    /// Charged for every chunk held: always `capacity` bytes.
    @usableFromInline var budget: MemoryBudget?

    @usableFromInline
    init(first: UnsafeMutablePointer<_ArenaChunk>, growth: BumpAllocator.Configuration.Growth, budget: MemoryBudget?) {
        self.budget = budget
        self.first = first
        self.capacity = first.pointee.capacity
        self.growth = growth
    }

    /// The most this arena may ever hold.
    @usableFromInline
    var maxCapacity: Int { growth.maxCapacity(holding: capacity) }
}
