extension StackAllocator {
    /// Resizes the top allocation in place: it grows or shrinks at its start, or moves within
    /// its own header's reach when `new` asks for a larger alignment. Only the top can be
    /// resized, as only the top can be freed.
    ///
    /// Markers taken after the top allocation no longer hold once it is resized: releasing to
    /// one throws `ALLOC_INVALID_STATE`, as after a pop.
    ///
    /// ```swift
    /// var row = try stack.allocate(Layout(size: 128, alignment: 8))
    /// row = try stack.reallocate(row, from: Layout(size: 128, alignment: 8), to: Layout(size: 512, alignment: 8))
    /// ```
    ///
    /// - Parameters:
    ///   - pointer: the top allocation, made with `old`.
    ///   - old: the layout `pointer` was allocated with.
    ///   - new: the layout wanted.
    /// - Returns: the memory for `new`: `pointer` unless a larger alignment moved it.
    /// - Throws: as ``deallocate(_:layout:)`` for a `pointer` that is not the top allocation
    ///   of `old.size` bytes (`ALLOC_LIFO_VIOLATION`, `ALLOC_INVALID_POINTER`); in hardened mode
    ///   `ALLOC_INVALID_STATE` for a damaged canary; `ALLOC_ARENA_EXHAUSTED` when `new` does not
    ///   fit. The stack and the old bytes are unchanged then.
    /// - Complexity: O(1), plus the move of the bytes when the alignment moves them.
    public func reallocate(_ pointer: UnsafeMutableRawPointer, from old: Layout, to new: Layout) throws(AllocError)
        -> UnsafeMutableRawPointer
    {
        try _state.pointee.reallocate(pointer, from: old, to: new)
    }
}
