import Synchronization

/// The C allocator (`malloc`, `posix_memalign`, `free`) behind the ``Allocator`` interface.
///
/// For memory that outlives any arena, for large buffers, and as the baseline every other
/// allocator is measured against.
///
/// ```swift
/// let buffer = try SystemAllocator.shared.allocate(UInt8.self, count: 1 << 20)
/// defer { try? SystemAllocator.shared.deallocate(buffer, count: 1 << 20) }
/// ```
///
/// ``shared`` keeps no state; an instance made with `init(trackStatistics: true)` counts what
/// goes through it, per thread, and can be registered in a ``MemoryRegistry``.
///
/// - Important: the C allocator cannot tell a foreign or already-freed pointer from a valid
///   one, so `deallocate` checks nothing: freeing such a pointer is undefined behaviour.
///   Use a ``PoolAllocator`` (which validates) where frees come from untrusted paths.
public final class SystemAllocator: Allocator, Sendable {
    /// The instance without statistics: no state, nothing counted.
    public static let shared = SystemAllocator()

    /// Per-thread counters; nil for ``shared`` and without statistics.
    @usableFromInline let _counters: _AllocatorCounterRows?
    /// The highest bytes in use a read of ``statistics`` saw.
    private let peak = Atomic<Int>(0)

    private init() {
        _counters = nil
    }

    /// A system allocator that counts what goes through it, for ``statistics`` and a
    /// ``MemoryRegistry``; the memory still comes from the C allocator.
    ///
    /// ```swift
    /// let large = SystemAllocator(trackStatistics: true)
    /// try MemoryRegistry.shared.register(large, as: "large-buffers")
    /// ```
    ///
    /// - Parameter trackStatistics: count requests, sizes, failures and bytes, per thread
    ///   (about 29 KiB of counters); off, the same as ``shared``.
    public init(trackStatistics: Bool) {
        _counters = trackStatistics ? _AllocatorCounterRows() : nil
    }

    deinit {
        _counters?.deallocate()
    }

    /// What went through this allocator, or nil for ``shared`` and without statistics.
    ///
    /// Counts are summed over the threads' rows. The C allocator keeps no peak: the peak is
    /// the highest `bytesInUse` a read of `statistics` has seen. Bytes are the sizes asked
    /// for, not what `malloc` rounds them up to.
    ///
    /// - Complexity: one pass over the per-thread rows.
    public var statistics: AllocatorStatistics? {
        guard let counters = _counters else { return nil }
        let freedBytes = counters.total(ofCell: _AllocatorCounterRows.freedBytesCell)
        let inUse = counters.total(ofCell: _AllocatorCounterRows.allocatedBytesCell) - freedBytes
        let peak = Swift.max(inUse, self.peak.max(inUse, ordering: .relaxed).oldValue)
        var statistics = AllocatorStatistics(
            counters: nil, deallocations: counters.total(ofCell: _AllocatorCounterRows.deallocationsCell),
            bytesInUse: inUse, peakBytesInUse: peak, resets: 0)
        counters.add(to: &statistics)
        return statistics
    }

    /// Returns memory from `malloc` (alignment up to 16) or `posix_memalign`.
    ///
    /// - Parameter layout: the size and alignment wanted.
    /// - Returns: the start of the memory, uninitialized.
    /// - Throws: `ALLOC_OUT_OF_MEMORY` when the C allocator returns no memory.
    @inlinable
    public func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        guard let pointer = _RawMemory.allocate(byteCount: layout.size, alignment: layout.alignment) else {
            throw _failed(AllocError.systemOutOfMemory(bytes: layout.size, allocatorKind: .system, layout: layout))
        }
        if let counters = _counters { _count(layout.size, in: counters) }
        return pointer
    }

    /// Counts a successful request of `size` bytes in the calling thread's row.
    @usableFromInline
    func _count(_ size: Int, in counters: _AllocatorCounterRows) {
        let index = Swift.min(_ThreadSlot.current, _ThreadSlot.count)
        if index < _ThreadSlot.count {
            counters.row(index).recordSize(size)
        } else {
            counters.shared.recordSizeShared(size)
        }
        counters.add(size, toCell: _AllocatorCounterRows.allocatedBytesCell, row: index)
    }

    /// Counts `error` as a failed request when statistics are on, and returns it.
    @usableFromInline
    func _failed(_ error: AllocError) -> AllocError {
        _counters?.shared.recordFailure(error) ?? error
    }

    /// Resizes with `realloc` when both layouts ask for no more than `malloc`'s alignment (16),
    /// else by allocating, copying and freeing. Checks nothing about `pointer`: see the type's
    /// note on unchecked pointers.
    ///
    /// - Parameters:
    ///   - pointer: memory from this allocator, allocated with `old`.
    ///   - old: the layout `pointer` was allocated with.
    ///   - new: the layout wanted.
    /// - Returns: the memory for `new`, which may be `pointer`.
    /// - Throws: `ALLOC_OUT_OF_MEMORY` when the C allocator returns no memory; `pointer` and
    ///   its bytes are intact then.
    public func reallocate(_ pointer: UnsafeMutableRawPointer, from old: Layout, to new: Layout) throws(AllocError)
        -> UnsafeMutableRawPointer
    {
        guard old.alignment <= _RawMemory.mallocAlignment, new.alignment <= _RawMemory.mallocAlignment else {
            return try _reallocateByCopy(pointer, from: old, to: new)
        }
        guard let moved = _RawMemory.reallocate(pointer, byteCount: new.size) else {
            throw _failed(AllocError.systemOutOfMemory(bytes: new.size, allocatorKind: .system, layout: new))
        }
        if let counters = _counters {
            let index = Swift.min(_ThreadSlot.current, _ThreadSlot.count)
            counters.add(new.size, toCell: _AllocatorCounterRows.allocatedBytesCell, row: index)
            counters.add(old.size, toCell: _AllocatorCounterRows.freedBytesCell, row: index)
        }
        return moved
    }

    /// Frees `pointer` with `free`. Never throws; see the type's note on unchecked pointers.
    ///
    /// - Parameters:
    ///   - pointer: memory from this allocator.
    ///   - layout: the layout `pointer` was allocated with (unused).
    @inlinable
    public func deallocate(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        _RawMemory.free(pointer)
        if let counters = _counters {
            let index = Swift.min(_ThreadSlot.current, _ThreadSlot.count)
            counters.add(1, toCell: _AllocatorCounterRows.deallocationsCell, row: index)
            counters.add(layout.size, toCell: _AllocatorCounterRows.freedBytesCell, row: index)
        }
    }
}
