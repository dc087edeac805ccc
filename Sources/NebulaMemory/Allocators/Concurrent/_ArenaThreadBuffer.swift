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
    /// The thread's row of the arena's counters: made by the thread's first allocation when
    /// statistics are on, before any fast-path allocation can count into it.
    @usableFromInline let counters = Atomic<UnsafeMutablePointer<Atomic<Int>>?>(nil)
    @usableFromInline let deallocations = Atomic<Int>(0)

    @usableFromInline
    init() {}

    deinit {
        countersRow?.deallocate()
    }

    /// Counts a request of `size` bytes in the thread's row; the row exists.
    @inlinable
    @inline(__always)
    func recordSize(_ size: Int) {
        _AllocatorCounters(cells: counters.load(ordering: .relaxed).unsafelyUnwrapped).recordSize(size)
    }

    /// Makes the thread's row if it has none yet; the owning thread only.
    func claimCounters() {
        if counters.load(ordering: .relaxed) == nil {
            counters.store(_AllocatorCounters().cells, ordering: .releasing)
        }
    }

    /// The thread's row, if it has one; any thread.
    var countersRow: _AllocatorCounters? {
        counters.load(ordering: .acquiring).map(_AllocatorCounters.init(cells:))
    }
}
