extension Allocator {
    /// Default for allocators that cannot resize in place: allocates `new`, copies, and gives
    /// the old memory back; when that is refused, the new memory goes back and the refusal is
    /// thrown.
    ///
    /// - Important: the copy reads `pointer` before the allocator has checked it. The
    ///   library's allocators check first; an allocator of your own that can should too, by
    ///   implementing this method.
    ///
    /// - Parameters:
    ///   - pointer: memory this allocator returned for `old`.
    ///   - old: the layout `pointer` was allocated with.
    ///   - new: the layout wanted.
    /// - Returns: new memory for `new`, never `pointer`: this default always moves.
    /// - Throws: the errors of ``allocate(_:)`` for `new` (nothing changes then), and those of
    ///   ``deallocate(_:layout:)`` for `pointer` (the new memory is given back; the old memory
    ///   and its bytes are intact).
    /// - Complexity: one ``allocate(_:)`` and one ``deallocate(_:layout:)``, plus a copy of
    ///   `min(old.size, new.size)` bytes.
    @inlinable
    public func reallocate(_ pointer: UnsafeMutableRawPointer, from old: Layout, to new: Layout) throws(AllocError)
        -> UnsafeMutableRawPointer
    {
        try _reallocateByCopy(pointer, from: old, to: new)
    }

    /// Allocates `new`, copies the bytes both layouts hold, and deallocates `old`; undoes the
    /// allocation when the deallocation is refused.
    @usableFromInline
    func _reallocateByCopy(_ pointer: UnsafeMutableRawPointer, from old: Layout, to new: Layout)
        throws(AllocError) -> UnsafeMutableRawPointer
    {
        let moved = try allocate(new)
        moved.copyMemory(from: pointer, byteCount: Swift.min(old.size, new.size))
        do {
            try deallocate(pointer, layout: old)
        } catch {
            // Memory just handed out by this allocator: giving it back cannot be refused.
            try? deallocate(moved, layout: new)
            throw error
        }
        return moved
    }
}
