extension _PoolState: _CanaryCheckingState {
    /// Throws for the first live block (in address order) whose canary is damaged (hardened);
    /// returns at once otherwise.
    @usableFromInline
    mutating func verifyCanaries() throws(AllocError) {
        guard hardened else { return }
        for slab in 0..<slabCount {
            let live = slabs[slab].live.unsafelyUnwrapped
            for index in 0..<slabs[slab].blockCount where live[index] == generation {
                try checkCanary(slab: slab, index: index)
            }
        }
    }

    /// Throws when the canary of block `index` of `slab` is damaged.
    @usableFromInline
    @inline(never)
    mutating func checkCanary(slab: Int, index: Int) throws(AllocError) {
        let offset = index * stride
        let block = slabs[slab].start + offset
        guard !_Canary.isIntact(at: block + blockSize, key: canaryKey) else { return }
        throw AllocError.heapCorruption(
            block: block, index: index, slab: slab, offset: offset, blockSize: blockSize, blockCount: blockCount,
            usedBlocks: inUse)
    }
}
