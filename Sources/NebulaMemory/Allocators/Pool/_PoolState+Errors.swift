extension _PoolState {
    /// The error for a pool with every block in use and no room to grow.
    mutating func exhausted(_ layout: Layout?) -> AllocError {
        AllocError.poolExhausted(
            "all \(blockCount) blocks of the pool are in use", blockSize: blockSize, blockAlignment: blockAlignment,
            blockCount: blockCount, usedBlocks: inUse, maxBlockCount: maxBlockCount, layout: layout)
    }

    @usableFromInline
    @inline(never)
    mutating func invalidBlock(_ pointer: UnsafeMutableRawPointer, reason: String) -> AllocError {
        describing(
            AllocError.invalidBlock(pointer, reason: reason, blockSize: blockSize, blockAlignment: blockAlignment))
    }

    @usableFromInline
    @inline(never)
    mutating func doubleFree(_ pointer: UnsafeMutableRawPointer, index: Int) -> AllocError {
        describing(AllocError.doubleFreeBlock(pointer, index: index))
    }

    /// The error for a layout larger or more aligned than a block; counts a failed allocation
    /// when `failed`.
    @usableFromInline
    @inline(never)
    mutating func layoutDoesNotFit(_ layout: Layout, failed: Bool) -> AllocError {
        let error = describing(
            AllocError.layoutDoesNotFitBlock(layout, blockSize: blockSize, blockAlignment: blockAlignment))
        return failed ? self.failed(error) : error
    }

    /// `error` with the pool's capacity, used and available bytes filled in.
    private mutating func describing(_ error: AllocError) -> AllocError {
        var error = error
        error.capacity = blockCount * blockSize
        error.used = inUse * blockSize
        error.available = (blockCount - inUse) * blockSize
        return error
    }
}
