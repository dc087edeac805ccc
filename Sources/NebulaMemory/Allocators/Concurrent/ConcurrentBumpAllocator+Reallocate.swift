extension ConcurrentBumpAllocator {
    /// Resizes an allocation by allocating `new`, copying, and giving the old memory back as
    /// ``deallocate(_:layout:)`` does: as the new allocation is now the thread's newest, the
    /// old bytes stay until the next reset or restore. Safe from any thread, for memory no
    /// other thread uses meanwhile.
    ///
    /// - Parameters:
    ///   - pointer: an allocation of this arena, made with `old`.
    ///   - old: the layout `pointer` was allocated with.
    ///   - new: the layout wanted.
    /// - Returns: the memory for `new`.
    /// - Throws: `ALLOC_INVALID_POINTER` for a pointer that is not in memory the arena handed
    ///   out (checked before a byte is read), as ``deallocate(_:layout:)`` describes; else as
    ///   ``allocate(_:)`` for `new`. The arena and the old bytes are unchanged then.
    /// - Complexity: that of ``allocate(_:)``, plus the copy and O(chunks) for the check.
    public func reallocate(_ pointer: UnsafeMutableRawPointer, from old: Layout, to new: Layout) throws(AllocError)
        -> UnsafeMutableRawPointer
    {
        let address = Int(bitPattern: pointer)
        guard address & (old.alignment - 1) == 0, !_reachesUnusedBuffer(address, size: old.size),
            _isLive(address, size: old.size)
        else {
            throw AllocError.foreignPointer(pointer, layout: old, allocatorKind: .arena)
        }
        return try _reallocateByCopy(pointer, from: old, to: new)
    }
}
