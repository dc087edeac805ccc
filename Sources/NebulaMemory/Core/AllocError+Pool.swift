// Out-of-line builders for the errors both pools report; each pool adds its own state.

extension AllocError {
    @usableFromInline
    @inline(never)
    static func invalidBlock(_ pointer: UnsafeMutableRawPointer, reason: String, blockSize: Int, blockAlignment: Int)
        -> AllocError
    {
        var error = foreignPointer(
            pointer, layout: Layout(_uncheckedSize: blockSize, alignment: blockAlignment), allocatorKind: .pool)
        error.message = "pointer \(pointer) \(reason)"
        return error
    }

    @usableFromInline
    @inline(never)
    static func doubleFreeBlock(_ pointer: UnsafeMutableRawPointer, index: Int) -> AllocError {
        AllocError(
            .doubleFree, "block \(index) at \(pointer) is already free", allocatorKind: .pool,
            notes: ["nothing was freed; the pool is unchanged"])
    }

    @usableFromInline
    @inline(never)
    static func layoutDoesNotFitBlock(_ layout: Layout, blockSize: Int, blockAlignment: Int) -> AllocError {
        AllocError(
            .invalidLayout, "layout does not fit a block of \(blockSize) bytes, alignment \(blockAlignment)",
            layout: layout, allocatorKind: .pool,
            suggestion: "use a pool whose blockSize and blockAlignment fit the layout")
    }

    @usableFromInline
    @inline(never)
    static func poolExhausted(
        _ message: String, blockSize: Int, blockAlignment: Int, blockCount: Int, usedBlocks: Int, maxBlockCount: Int,
        layout: Layout? = nil, notes: [String] = []
    ) -> AllocError {
        AllocError(
            .poolExhausted, message, layout: layout, allocatorKind: .pool, capacity: blockCount * blockSize,
            used: usedBlocks * blockSize, available: (blockCount - usedBlocks) * blockSize,
            notes: ["block size \(blockSize), alignment \(blockAlignment), growth limit \(maxBlockCount) blocks"]
                + notes)
    }
}
