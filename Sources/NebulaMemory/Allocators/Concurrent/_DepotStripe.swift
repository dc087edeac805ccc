/// One stripe of a ``ConcurrentPoolAllocator``'s depot: free blocks behind its own lock.
/// Threads return magazines to the stripe of their index and refill from it first, so two
/// threads rarely wait for the same lock; an empty stripe borrows from the others.
@usableFromInline
struct _DepotStripe {
    /// Magazines holding free blocks (full ones from caches; part-full ones after a thread
    /// without a cache took a block).
    @usableFromInline var magazines = _MagazineStack()
    /// Empty magazines, for caches that fill up.
    @usableFromInline var empties = _MagazineStack()
    /// Loose free blocks, a list through the blocks: from threads without a cache, and from
    /// frees that found no memory for a magazine.
    @usableFromInline var loose = _FreeLink.end
    /// Blocks in the stripe, loose and in magazines.
    @usableFromInline var count = 0

    @usableFromInline
    init() {}
}
