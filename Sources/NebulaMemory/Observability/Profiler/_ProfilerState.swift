import Synchronization

/// The process-wide state of ``AllocationProfiler``.
///
/// Unchecked `Sendable`: `slots` holds one ``_ProfilerSlot`` per thread index, each read and
/// written only by the live thread holding that index (the index is recycled under a mutex at
/// thread exit, which orders the old owner's last use before the new owner's first);
/// `filter` holds atomics only; everything else is atomic or behind `table`'s lock. None of
/// it is ever freed.
final class _ProfilerState: @unchecked Sendable {
    static let shared = _ProfilerState()

    /// Buckets of the live filter: a power of two.
    static let filterBuckets = 4096

    /// Moves on at each `start` and `reset`; a slot of an older generation is redrawn.
    let generation = Atomic<Int>(0)
    let interval = Atomic<Int>(AllocationProfiler.defaultSampleInterval)
    let seed = Atomic<UInt64>(0)
    let slots: UnsafeMutableRawPointer
    /// How many live samples hash to each bucket: a deallocation whose bucket holds none
    /// skips the lock. Changed only under the table's lock.
    let filter: UnsafeMutablePointer<Atomic<Int>>
    let table = _Locked(_ProfileTable())

    private init() {
        slots = _ThreadSlot.allocate { _ProfilerSlot() }
        filter = .allocate(capacity: Self.filterBuckets)
        for bucket in 0..<Self.filterBuckets { (filter + bucket).initialize(to: Atomic(0)) }
    }

    /// The filter bucket of `address` (Fibonacci hashing of its 16-byte granule).
    func bucket(_ address: UInt) -> UnsafeMutablePointer<Atomic<Int>> {
        filter + Int(truncatingIfNeeded: ((address >> 4) &* 0x9E37_79B9_7F4A_7C15) >> 52)
    }

    /// Counts an allocation down on the calling thread's slot and records it when sampled.
    func allocated(_ address: UInt, size: Int, file: StaticString, line: UInt, by allocator: AnyObject) {
        let index = _ThreadSlot.current
        if index < _ThreadSlot.count {
            let slot = _ThreadSlot.slot(slots, index, as: _ProfilerSlot.self)
            guard let interval = slot.pointee.countDown(size, slot: index, state: self) else { return }
            record(address, size: size, interval: interval, file: file, line: line, by: allocator)
        } else {
            table.withLock { table in
                guard let interval = table.shared.countDown(size, slot: index, state: self) else { return }
                add(to: &table, address, size: size, interval: interval, file: file, line: line, by: allocator)
            }
        }
    }

    /// Moves a sampled allocation at `address` out of the live figures; most addresses were
    /// never sampled, and their bucket says so without the lock.
    func deallocated(_ address: UInt) {
        let bucket = bucket(address)
        guard bucket.pointee.load(ordering: .relaxed) > 0 else { return }
        table.withLock { table in
            if table.remove(address: address) { bucket.pointee.subtract(1, ordering: .relaxed) }
        }
    }

    private func record(
        _ address: UInt, size: Int, interval: Int, file: StaticString, line: UInt, by allocator: AnyObject
    ) {
        table.withLock { table in
            add(to: &table, address, size: size, interval: interval, file: file, line: line, by: allocator)
        }
    }

    private func add(
        to table: inout _ProfileTable, _ address: UInt, size: Int, interval: Int, file: StaticString, line: UInt,
        by allocator: AnyObject
    ) {
        let site = AllocationSite(file: file.description, line: line, allocator: .of(allocator))
        if table.add(address: address, size: size, interval: interval, site: site) {
            bucket(address).pointee.add(1, ordering: .relaxed)
        }
    }

    /// Empties the table and the filter, and moves the generation on; the caller holds the lock.
    func clear(_ table: inout _ProfileTable) {
        table = _ProfileTable()
        for bucket in 0..<Self.filterBuckets { (filter + bucket).pointee.store(0, ordering: .relaxed) }
        generation.add(1, ordering: .releasing)
    }
}
