import Synchronization

/// One thread's cache of free blocks in a ``ConcurrentPoolAllocator``: touched only by the
/// thread that holds the slot's index (see `_ThreadSlot`).
///
/// Two magazines, as in Bonwick's slab allocator: blocks are taken from and freed into the
/// loaded one; when it is empty or full, it trades places with the spare, and only when both
/// are empty (or both full) does the cache go to the depot, one magazine at a time. A thread
/// that frees and allocates around that boundary therefore never bounces blocks through the
/// depot's lock.
@usableFromInline
struct _PoolThreadCache: ~Copyable {
    /// The links of the loaded magazine; nil until the cache is first claimed.
    @usableFromInline var loaded: UnsafeMutablePointer<UInt64>?
    /// Links in the loaded magazine (its header's count is stale while it is loaded).
    @usableFromInline var count = 0
    /// The other magazine, with its count in its header; nil until the cache is first claimed.
    @usableFromInline var spare: _PoolMagazine?
    /// A run of untouched blocks taken from the depot in one step, as free-list links of one
    /// slab (see `_FreeLink`), handed out after the magazines: taking it costs the depot O(1),
    /// and its memory is first touched by this thread, outside any lock. Empty when
    /// `rangeNext == rangeEnd`.
    @usableFromInline var rangeNext: UInt64 = 0
    @usableFromInline var rangeEnd: UInt64 = 0
    /// The pool epoch the cache belongs to; a reset starts a new one and voids older caches.
    /// A cache of the current epoch has both magazines.
    @usableFromInline var epoch: UInt64 = 0
    /// Blocks this slot handed out and took back: `usedBlockCount` is their difference.
    @usableFromInline let allocations = Atomic<Int>(0)
    @usableFromInline let deallocations = Atomic<Int>(0)

    @usableFromInline
    init() {}

    /// The loaded magazine, its count written back to its header.
    @usableFromInline
    mutating func unload() -> _PoolMagazine {
        let magazine = _PoolMagazine(links: loaded.unsafelyUnwrapped)
        magazine.count = count
        return magazine
    }

    /// Makes `magazine` the loaded one.
    @usableFromInline
    mutating func load(_ magazine: _PoolMagazine) {
        loaded = magazine.links
        count = magazine.count
    }

    /// Trades the loaded magazine for the spare.
    @usableFromInline
    mutating func swapMagazines() {
        let previous = unload()
        load(spare.unsafelyUnwrapped)
        spare = previous
    }
}
