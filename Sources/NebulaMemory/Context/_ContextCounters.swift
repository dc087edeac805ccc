import Synchronization

/// The process's counts of memory contexts, one slot per thread index (each on its own cache
/// line, written by its thread with plain loads and stores) and a shared slot for threads
/// without an index.
enum _ContextCounters {
    enum Event {
        case opened, reopened, closed
    }

    private struct Slot: ~Copyable {
        let opened = Atomic<Int>(0)
        let reopened = Atomic<Int>(0)
        let closed = Atomic<Int>(0)

        /// Counts `event`: with a load and a releasing store when only `owner` writes this
        /// slot (no locked instruction), else an atomic add. Releasing, so that a reader who
        /// sees a close also sees the open before it (see `statistics`).
        func count(_ event: Event, owner: Bool) {
            switch event {
            case .opened: Self.increment(opened, owner: owner)
            case .reopened: Self.increment(reopened, owner: owner)
            case .closed: Self.increment(closed, owner: owner)
            }
        }

        private static func increment(_ counter: borrowing Atomic<Int>, owner: Bool) {
            if owner {
                counter.store(counter.load(ordering: .relaxed) &+ 1, ordering: .releasing)
            } else {
                counter.add(1, ordering: .releasing)
            }
        }
    }

    /// The slots, made once and never freed. `nonisolated(unsafe)`: the pointer itself is
    /// never written after the static's thread-safe lazy initialization, and the memory it
    /// points to is only reached through `Atomic` operations.
    private nonisolated(unsafe) static let base = _ThreadSlot.allocate(slots: _ThreadSlot.count + 1) { Slot() }

    /// Counts `event` for the calling thread.
    static func count(_ event: Event) {
        let index = _ThreadSlot.current
        _ThreadSlot.slot(base, index, as: Slot.self).pointee.count(event, owner: index < _ThreadSlot.count)
    }

    /// The counts of every thread added up. Every slot's closes are read before any slot's
    /// opens (acquiring), so a context closed on another thread than the one that opened it is
    /// never seen closed and not opened: `open` is never negative.
    static var statistics: MemoryContextStatistics {
        var statistics = MemoryContextStatistics()
        for index in 0...(_ThreadSlot.count) {
            statistics.closed += _ThreadSlot.slot(base, index, as: Slot.self).pointee.closed.load(ordering: .acquiring)
        }
        for index in 0...(_ThreadSlot.count) {
            let slot = _ThreadSlot.slot(base, index, as: Slot.self)
            statistics.opened += slot.pointee.opened.load(ordering: .acquiring)
            statistics.reopened += slot.pointee.reopened.load(ordering: .acquiring)
        }
        return statistics
    }
}
