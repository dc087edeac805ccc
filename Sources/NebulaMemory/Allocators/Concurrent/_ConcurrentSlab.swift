import Synchronization

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
