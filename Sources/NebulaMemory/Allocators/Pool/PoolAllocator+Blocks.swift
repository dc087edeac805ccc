extension PoolAllocator {
    /// Hands out one free block of ``blockSize`` bytes aligned to ``blockAlignment``.
    ///
    /// - Returns: the start of the block, uninitialized.
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when every block is in use and the pool may not grow
    ///   (or growth found the system out of memory); the pool is unchanged.
    /// - Complexity: O(1); the allocation that grows the pool also clears the new slab's live
    ///   map with pointer validation, in O(its blocks).
    @inlinable
    @inline(__always)
    public func allocateBlock() throws(AllocError) -> UnsafeMutableRawPointer {
        var address = 0
        guard _state.pointee.allocateBlockFast(at: &address) else { return try _allocateBlockSlow() }
        return UnsafeMutableRawPointer(bitPattern: address).unsafelyUnwrapped
    }

    @usableFromInline
    @inline(never)
    func _allocateBlockSlow() throws(AllocError) -> UnsafeMutableRawPointer {
        try _state.pointee.allocateBlockSlow()
    }

    /// Returns a block to the pool.
    ///
    /// - Parameter pointer: a block this pool handed out.
    /// - Throws: with pointer validation (the default), `ALLOC_INVALID_POINTER` for a pointer
    ///   that is not the start of one of this pool's blocks, and `ALLOC_DOUBLE_FREE` for a
    ///   block that is already free; in hardened mode `ALLOC_INVALID_STATE` ("heap corruption
    ///   detected") for a block whose canary is damaged. The pool is then unchanged. Without
    ///   validation no check is made, and such a pointer corrupts the pool.
    /// - Complexity: O(1); O(slabs) with validation to find the slab of a block outside the
    ///   first.
    @inlinable
    @inline(__always)
    public func deallocateBlock(_ pointer: UnsafeMutableRawPointer) throws(AllocError) {
        if !_state.pointee.deallocateBlockFast(pointer) { try _deallocateBlockSlow(pointer) }
    }

    @usableFromInline
    @inline(never)
    func _deallocateBlockSlow(_ pointer: UnsafeMutableRawPointer) throws(AllocError) {
        try _state.pointee.deallocateBlockSlow(pointer)
    }

    /// Hands out a block for a layout that fits one.
    ///
    /// - Parameter layout: the size and alignment wanted.
    /// - Returns: the start of a whole block, uninitialized.
    /// - Throws: `ALLOC_INVALID_LAYOUT` when `layout` is larger than ``blockSize`` or more
    ///   aligned than ``blockAlignment``; else as ``allocateBlock()``.
    @inlinable
    public func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        guard layout.size <= blockSize, layout.alignment <= blockAlignment else {
            throw _state.pointee.layoutDoesNotFit(layout, failed: true)
        }
        let block = try allocateBlock()
        if _state.pointee.trackStatistics { _state.pointee.counters.unsafelyUnwrapped.recordSize(layout.size) }
        return block
    }

    /// Returns a block handed out by ``allocate(_:)``.
    ///
    /// - Parameters:
    ///   - pointer: a block handed out by ``allocate(_:)``.
    ///   - layout: the layout `pointer` was allocated with.
    /// - Throws: `ALLOC_INVALID_LAYOUT` for a layout no block could have served; else as
    ///   ``deallocateBlock(_:)``.
    @inlinable
    public func deallocate(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        guard layout.size <= blockSize, layout.alignment <= blockAlignment else {
            throw _state.pointee.layoutDoesNotFit(layout, failed: false)
        }
        try deallocateBlock(pointer)
    }
}
