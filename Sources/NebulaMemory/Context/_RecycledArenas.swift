import Synchronization

/// Arenas of closed memory contexts, kept for the next contexts: opening a context then costs
/// no chunk from the system and no thread-slot table, as a segment cache spares an allocator
/// its `mmap` calls.
///
/// An arena here is reset, holds its first chunk only and is charged to no budget. Each thread
/// index keeps one arena and one whole closed context (with its budget and arena, for the next
/// context under the same parent budget) in slots of its own: one exchange to take or put, no
/// lock. The rest wait in a shared list under a lock. At most ``limit`` arenas are kept in the
/// shared list; ``MemoryContext/trimRecycledArenas()`` empties everything, and contexts closing
/// under high or critical memory pressure keep nothing.
enum _RecycledArenas {
    /// The most arenas kept in the shared list.
    static let limit = 64

    private static let shared = _Locked<[ConcurrentBumpAllocator]>([])

    /// One arena per thread index, each on its own cache line.
    private static let slots = _AtomicSlots<ConcurrentBumpAllocator>()
    /// One closed context per thread index.
    private static let contexts = _AtomicSlots<MemoryContext>()

    /// This thread's kept context, if any.
    static func takeContext() -> MemoryContext? {
        let index = _ThreadSlot.current
        return index < _ThreadSlot.count ? contexts.take(index) : nil
    }

    /// Keeps a closed context (reset, charged to nothing, referenced by nothing else) for this
    /// thread; when the slot is taken, keeps its arena alone.
    static func putContext(_ context: MemoryContext) {
        let index = _ThreadSlot.current
        if index < _ThreadSlot.count, contexts.put(context, at: index) { return }
        put(context.arena)
    }

    /// An arena whose first chunk holds `capacity` bytes, if one is kept.
    static func take(capacity: Int) -> ConcurrentBumpAllocator? {
        let index = _ThreadSlot.current
        if index < _ThreadSlot.count, let arena = slots.take(index) {
            if arena.capacity == capacity { return arena }
            putShared(arena)
        }
        return shared.withLock { kept in
            guard let found = kept.lastIndex(where: { $0.capacity == capacity }) else { return nil }
            return kept.remove(at: found)
        }
    }

    /// Keeps `arena` (reset, charged to no budget) unless the cache is full; false when not kept.
    @discardableResult
    static func put(_ arena: ConcurrentBumpAllocator) -> Bool {
        let index = _ThreadSlot.current
        if index < _ThreadSlot.count, slots.put(arena, at: index) { return true }
        return putShared(arena)
    }

    @discardableResult
    private static func putShared(_ arena: ConcurrentBumpAllocator) -> Bool {
        shared.withLock { kept in
            guard kept.count < limit else { return false }
            if kept.capacity < limit { kept.reserveCapacity(limit) }
            kept.append(arena)
            return true
        }
    }

    /// Frees every kept arena; returns how many.
    static func trim() -> Int {
        var freed = shared.withLock { kept in
            let all = kept
            kept.removeAll(keepingCapacity: true)
            return all
        }
        for index in 0..<_ThreadSlot.count {
            if let arena = slots.take(index) { freed.append(arena) }
            if let context = contexts.take(index) { freed.append(context.arena) }
        }
        return freed.count
    }
}

/// A reference per thread index, taken and put with one atomic exchange each.
///
/// Unchecked `Sendable`: the only state is the slot memory, written and read solely through
/// `Atomic` operations, and never freed (one table for the process).
private final class _AtomicSlots<Object: AnyObject & Sendable>: @unchecked Sendable {
    private let base = _ThreadSlot.allocate { _ArenaSlot() }

    private func cell(_ index: Int) -> UnsafeMutablePointer<_ArenaSlot> {
        _ThreadSlot.slot(base, index, as: _ArenaSlot.self)
    }

    func take(_ index: Int) -> Object? {
        let bits = cell(index).pointee.value.exchange(0, ordering: .acquiring)
        guard let raw = UnsafeRawPointer(bitPattern: bits) else { return nil }
        return Unmanaged<Object>.fromOpaque(raw).takeRetainedValue()
    }

    func put(_ object: Object, at index: Int) -> Bool {
        let retained = Unmanaged.passRetained(object)
        let bits = Int(bitPattern: retained.toOpaque())
        if cell(index).pointee.value.compareExchange(expected: 0, desired: bits, ordering: .releasing).exchanged {
            return true
        }
        retained.release()
        return false
    }
}

/// One thread's kept object: its retained address, or 0.
private struct _ArenaSlot: ~Copyable {
    let value = Atomic<Int>(0)
}
