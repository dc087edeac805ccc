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
    /// - Throws: `ALLOC_OUT_OF_MEMORY` when the C allocator returns no memory.
    @inlinable
    public func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        guard let pointer = _RawMemory.allocate(byteCount: layout.size, alignment: layout.alignment) else {
            throw AllocError.systemOutOfMemory(bytes: layout.size, allocatorKind: .system, layout: layout)
        }
        return pointer
    }

    /// Frees `pointer` with `free`. Never throws; see the type's note on unchecked pointers.
    @inlinable
    public func deallocate(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        _RawMemory.free(pointer)
    }
}
