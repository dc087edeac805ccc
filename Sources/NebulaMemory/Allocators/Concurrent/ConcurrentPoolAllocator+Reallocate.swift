extension ConcurrentPoolAllocator {
    /// Resizes a block's allocation: always in place, as every layout a block fits takes the
    /// whole block; a layout that does not fit a block is refused, since no block could hold it.
    ///
    /// - Parameters:
    ///   - pointer: a block handed out by ``allocate(_:)`` for `old`.
    ///   - old: the layout `pointer` was allocated with.
    ///   - new: the layout wanted.
    /// - Returns: `pointer`.
    /// - Throws: `ALLOC_INVALID_LAYOUT` when `old` or `new` does not fit a block; with pointer
    ///   validation (the default) `ALLOC_INVALID_POINTER` for a pointer that is not a block of
    ///   this pool in use; in hardened mode `ALLOC_INVALID_STATE` for a damaged canary. The
    ///   pool is unchanged in every case.
    /// - Complexity: O(slabs).
    public func reallocate(_ pointer: UnsafeMutableRawPointer, from old: Layout, to new: Layout) throws(AllocError)
        -> UnsafeMutableRawPointer
    {
        guard old.size <= blockSize, old.alignment <= blockAlignment else { throw _layoutDoesNotFit(old) }
        guard new.size <= blockSize, new.alignment <= blockAlignment else {
            throw _noteFailure(_layoutDoesNotFit(new))
        }
        guard _validate else { return pointer }
        let (slabIndex, index) = try _locateBlock(pointer)
        guard _isLive(_slabs[slabIndex], index: index) else { throw _invalidBlock(pointer, reason: "is a free block") }
        if configuration.hardened { try _checkCanary(slab: slabIndex, index: index) }
        return pointer
    }
}
