// Out-of-line builder for the error the hardened allocators report when a canary is damaged.

extension AllocError {
    /// A damaged canary: something wrote past the end of the allocation at `offset`
    /// (`size` bytes). The offset is counted from the allocator's base (a pool's: from the
    /// start of the block's slab).
    @usableFromInline
    @inline(never)
    static func heapCorruption(
        offset: Int, size: Int, allocatorKind: AllocError.AllocatorKind, capacity: Int, used: Int, available: Int,
        notes: [String] = []
    ) -> AllocError {
        let error = AllocError(
            .invalidState,
            "heap corruption detected: the canary after the allocation at offset \(offset) (size \(size) bytes) "
                + "was overwritten",
            allocatorKind: allocatorKind, capacity: capacity, used: used, available: available,
            severity: .critical,
            suggestion: "something wrote past the end of that allocation: check the size and index arithmetic "
                + "of the code that writes to it, and run its tests under AddressSanitizer",
            notes: notes + ["the operation was not carried out; the \(allocatorKind) is unchanged"])
        return HeapCorruptionLog.record(error)
    }

    /// A damaged canary after block `index` of a pool's slab `slab`, at `offset` in the slab.
    @usableFromInline
    @inline(never)
    static func heapCorruption(
        block: Int, index: Int, slab: Int, offset: Int, blockSize: Int, blockCount: Int, usedBlocks: Int
    ) -> AllocError {
        heapCorruption(
            offset: offset, size: blockSize, allocatorKind: .pool, capacity: blockCount * blockSize,
            used: usedBlocks * blockSize, available: (blockCount - usedBlocks) * blockSize,
            notes: ["block \(index) of slab \(slab) at \(UnsafeRawPointer(bitPattern: block)!)"])
    }
}
