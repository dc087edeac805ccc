extension BumpAllocator {
    /// Resizes an allocation: the newest one in place while its chunk has room (outside
    /// hardened mode; debug fill and `zeroOnReset` treat the bytes gained or given up as an
    /// allocation or a free would), any other by allocating, copying, and leaving the old
    /// memory to the next reset or restore, as ``deallocate(_:layout:)`` does.
    ///
    /// ```swift
    /// var bytes = try arena.allocate(Layout(size: 64, alignment: 8))
    /// bytes = try arena.reallocate(bytes, from: Layout(size: 64, alignment: 8), to: Layout(size: 256, alignment: 8))
    /// ```
    ///
    /// - Parameters:
    ///   - pointer: an allocation of this arena, made with `old`.
    ///   - old: the layout `pointer` was allocated with.
    ///   - new: the layout wanted.
    /// - Returns: the memory for `new`: `pointer` when resized in place.
    /// - Throws: `ALLOC_INVALID_POINTER` for a pointer that is not in the arena's used memory
    ///   or not aligned to `old.alignment` (checked before a byte is read); in hardened mode
    ///   `ALLOC_INVALID_STATE` ("heap corruption detected") for a damaged canary; else as
    ///   ``allocate(_:)`` for `new`. The arena and the old bytes are unchanged then.
    /// - Complexity: O(1) in place; else that of ``allocate(_:)`` plus the copy, and O(chunks)
    ///   for the check (plus O(live allocations) in hardened mode).
    public func reallocate(_ pointer: UnsafeMutableRawPointer, from old: Layout, to new: Layout) throws(AllocError)
        -> UnsafeMutableRawPointer
    {
        if let resized = _state.pointee.reallocateInPlace(pointer, from: old, to: new) { return resized }
        try _state.pointee.validateForCopy(pointer, layout: old)
        return try _reallocateByCopy(pointer, from: old, to: new)
    }
}
