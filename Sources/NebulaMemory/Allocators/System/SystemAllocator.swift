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
/// - Important: the C allocator cannot tell a foreign or already-freed pointer from a valid
///   one, so `deallocate` checks nothing: freeing such a pointer is undefined behaviour.
///   Use a ``PoolAllocator`` (which validates) where frees come from untrusted paths.
public final class SystemAllocator: Allocator, Sendable {
    /// The one instance; the allocator has no state.
    public static let shared = SystemAllocator()

    private init() {}

    /// Returns memory from `malloc` (alignment up to 16) or `posix_memalign`.
    ///
    /// - Parameter layout: the size and alignment wanted.
    /// - Returns: the start of the memory, uninitialized.
    /// - Throws: `ALLOC_OUT_OF_MEMORY` when the C allocator returns no memory.
    @inlinable
    public func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        guard let pointer = _RawMemory.allocate(byteCount: layout.size, alignment: layout.alignment) else {
            throw AllocError.systemOutOfMemory(bytes: layout.size, allocatorKind: .system, layout: layout)
        }
        return pointer
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
            throw AllocError.systemOutOfMemory(bytes: new.size, allocatorKind: .system, layout: new)
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
    }
}
