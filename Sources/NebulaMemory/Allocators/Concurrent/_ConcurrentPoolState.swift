import Synchronization

/// One thread's cache of free blocks in a ``ConcurrentPoolAllocator``: touched only by the
/// thread that holds the slot's index (see `_ThreadSlot`).
@usableFromInline
struct _PoolThreadCache: ~Copyable {
    /// Free-list link (see `_FreeLink`) of the first cached block.
    @usableFromInline var head = _FreeLink.end
    @usableFromInline var count = 0
    /// A run of untouched blocks taken from the depot in one step, handed out after the list:
    /// taking it costs the depot O(1), and its memory is first touched by this thread, outside
    /// the lock. `rangeNext == rangeEnd` when empty.
    @usableFromInline var rangeNext = 0
    @usableFromInline var rangeEnd = 0
    @usableFromInline var rangeSlab = 0
    /// The pool epoch the cache belongs to; a reset starts a new one and voids older caches.
    @usableFromInline var epoch: UInt64 = 0
    /// Blocks this slot handed out and took back: `usedBlockCount` is their difference.
    @usableFromInline let allocations = Atomic<Int>(0)
    @usableFromInline let deallocations = Atomic<Int>(0)

    @usableFromInline
    init() {}
}

/// A slab of a ``ConcurrentPoolAllocator``. Entries of the slab table are written once,
/// before the table's count is published, and never change afterwards.
@usableFromInline
struct _ConcurrentSlab {
    @usableFromInline let start: Int
    @usableFromInline let end: Int
    @usableFromInline let blockCount: Int
    /// The pool's generation while a block is handed out; swapped to 0 by the free that wins,
    /// so of two frees of one block exactly one succeeds. Any other value (0, or a generation
    /// before the last reset) means free. Nil without pointer validation.
    @usableFromInline let live: UnsafeMutablePointer<Atomic<UInt8>>?

    @usableFromInline
    init(start: Int, end: Int, blockCount: Int, live: UnsafeMutablePointer<Atomic<UInt8>>?) {
        self.start = start
        self.end = end
        self.blockCount = blockCount
        self.live = live
    }
}

/// One stripe of a ``ConcurrentPoolAllocator``'s depot: freed blocks behind its own lock.
/// Threads return surplus blocks to the stripe of their index and refill from it first, so two
/// threads rarely wait for the same lock; an empty stripe borrows from the others.
///
/// A cache gives and takes blocks a batch at a time: a full batch is kept whole, a list whose
/// first block links to the next batch in its second word, so that a refill takes it in O(1)
/// instead of walking a list through memory another thread touched last.
@usableFromInline
struct _DepotStripe {
    /// Loose blocks, a list.
    @usableFromInline var head = _FreeLink.end
    /// Whole batches.
    @usableFromInline var batches = _FreeLink.end
    /// Blocks in the stripe, loose and batched.
    @usableFromInline var count = 0

    @usableFromInline
    init() {}
}

/// What a ``ConcurrentPoolAllocator`` changes only under its growth lock.
@usableFromInline
struct _PoolGrowthState {
    @usableFromInline var resets = 0
    /// Allocations minus deallocations at the last reset: those blocks came back without frees.
    @usableFromInline var releasedByReset = 0

    @usableFromInline
    init() {}
}
