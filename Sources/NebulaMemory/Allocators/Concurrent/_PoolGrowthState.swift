/// What a ``ConcurrentPoolAllocator`` changes only under its growth lock.
@usableFromInline
struct _PoolGrowthState {
    @usableFromInline var resets = 0
    /// Allocations minus deallocations at the last reset: those blocks came back without frees.
    @usableFromInline var releasedByReset = 0

    @usableFromInline
    init() {}
}
