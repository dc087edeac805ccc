import Synchronization

/// One row of counters per thread slot and a shared row after them, in one block of memory
/// made with the allocator: for a thread-safe allocator whose per-thread slots have no room
/// for a pointer to a row of their own. Rows start on cache lines of their own.
///
/// Each row also has room after the counters for three more an allocator may keep per thread:
/// deallocations, bytes allocated and bytes freed (``SystemAllocator``).
///
/// Unchecked `Sendable`: the only state is the block of counters, reached solely through
/// `Atomic` operations, and freed only by the owning allocator's deinit, when no thread can
/// use the allocator any more.
@usableFromInline
struct _AllocatorCounterRows: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Atomic<Int>>

    /// Counters per row; a row's bytes are a whole number of cache lines.
    @inlinable static var stride: Int { 56 }
    /// The extra counters after a row's ``_AllocatorCounters``.
    @inlinable static var deallocationsCell: Int { 48 }
    @inlinable static var allocatedBytesCell: Int { 49 }
    @inlinable static var freedBytesCell: Int { 50 }
    static var rowCount: Int { _ThreadSlot.count + 1 }

    /// Every row at zero.
    @usableFromInline
    init() {
        precondition(_AllocatorCounters.cellCount <= Self.stride && Self.stride % 8 == 0)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: Self.rowCount * Self.stride * 8, alignment: 64)
        base = raw.bindMemory(to: Atomic<Int>.self, capacity: Self.rowCount * Self.stride)
        for index in 0..<Self.rowCount * Self.stride { (base + index).initialize(to: Atomic(0)) }
    }

    /// The row of thread slot `index`, or the shared row for `_ThreadSlot.count`.
    @inlinable
    @inline(__always)
    func row(_ index: Int) -> _AllocatorCounters {
        _AllocatorCounters(cells: base + index &* Self.stride)
    }

    /// The row shared by threads without a slot, and by every thread's failures.
    @usableFromInline
    var shared: _AllocatorCounters { row(_ThreadSlot.count) }

    /// Adds every row's counts to `statistics`.
    func add(to statistics: inout AllocatorStatistics) {
        for index in 0..<Self.rowCount { row(index).add(to: &statistics) }
    }

    /// The sum of extra counter `cell` over every row.
    func total(ofCell cell: Int) -> Int {
        (0..<Self.rowCount).reduce(0) { $0 + base[$1 * Self.stride + cell].load(ordering: .relaxed) }
    }

    /// Adds `value` to extra counter `cell` of the row of thread slot `index` (the shared row
    /// for `_ThreadSlot.count`, with an atomic add).
    @inlinable
    @inline(__always)
    func add(_ value: Int, toCell cell: Int, row index: Int) {
        let counter = base + (index &* Self.stride &+ cell)
        if index < _ThreadSlot.count {
            counter.pointee.store(counter.pointee.load(ordering: .relaxed) &+ value, ordering: .relaxed)
        } else {
            counter.pointee.add(value, ordering: .relaxed)
        }
    }

    /// Frees the rows; nothing may count into them afterwards.
    func deallocate() {
        base.deinitialize(count: Self.rowCount * Self.stride)
        UnsafeMutableRawPointer(base).deallocate()
    }
}
