import Synchronization
import _NebulaMemoryShims

/// Per-thread slots of the thread-safe allocators.
///
/// Every live thread has a small index (`nm_thread_index`, a C `_Thread_local`, unique among
/// live threads and recycled at thread exit). An allocator keeps one slot per index, each on
/// its own cache line: a slot is touched only by the thread that holds its index, so the fast
/// paths take no lock and issue no atomic read-modify-write. A thread beyond the slot count
/// uses the allocator's shared, synchronized path.
@usableFromInline
enum _ThreadSlot {
    /// Slots per allocator.
    @inlinable static var count: Int { Int(NM_THREAD_SLOTS) }

    /// Bytes between slots: one cache line, so neighbours never share one.
    @inlinable static var stride: Int { 64 }

    /// The calling thread's index: below `count`, or `count` for a thread without a slot.
    @inlinable
    static var current: Int { Int(nm_thread_index()) }

    /// Takes room for `slots` slots of `Slot` (one per thread index by default), each on its
    /// own cache line, from the system and initializes each.
    @usableFromInline
    static func allocate<Slot: ~Copyable>(slots: Int = count, _ make: () -> Slot) -> UnsafeMutableRawPointer {
        precondition(MemoryLayout<Slot>.stride <= stride, "a thread slot must fit one cache line")
        let raw = UnsafeMutableRawPointer.allocate(byteCount: slots * stride, alignment: stride)
        for index in 0..<slots {
            (raw + index * stride).bindMemory(to: Slot.self, capacity: 1).initialize(to: make())
        }
        return raw
    }

    /// The slot at `index` in memory from `allocate`.
    @inlinable
    static func slot<Slot: ~Copyable>(_ base: UnsafeMutableRawPointer, _ index: Int, as type: Slot.Type)
        -> UnsafeMutablePointer<Slot>
    {
        (base + index &* stride).assumingMemoryBound(to: Slot.self)
    }

    /// Deinitializes and frees slots from `allocate`.
    @usableFromInline
    static func deallocate<Slot: ~Copyable>(_ base: UnsafeMutableRawPointer, slots: Int = count, as type: Slot.Type) {
        for index in 0..<slots {
            slot(base, index, as: Slot.self).deinitialize(count: 1)
        }
        base.deallocate()
    }
}

/// A counter written by one thread and read by any: the owner updates it with a plain load
/// and store (no locked instruction), readers see a value that is at most a few updates old.
extension Atomic where Value == Int {
    @inlinable
    func ownerIncrement() {
        store(load(ordering: .relaxed) &+ 1, ordering: .relaxed)
    }
}
