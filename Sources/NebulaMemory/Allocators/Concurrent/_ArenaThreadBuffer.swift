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
