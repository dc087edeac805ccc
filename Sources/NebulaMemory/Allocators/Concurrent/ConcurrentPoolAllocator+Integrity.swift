extension ConcurrentPoolAllocator: VerifiableAllocator {
    /// Checks the canary of every block in use (hardened mode); returns at once otherwise.
    ///
    /// ```swift
    /// let pool = try ConcurrentPoolAllocator(blockSize: 32, blockCount: 64, configuration: .hardened)
    /// let block = try pool.allocateBlock()
    /// block.storeBytes(of: 0, toByteOffset: 32, as: UInt8.self)   // one byte too far
    /// try pool.verifyIntegrity()   // throws ALLOC_INVALID_STATE: heap corruption detected
    /// ```
    ///
    /// - Throws: `ALLOC_INVALID_STATE` ("heap corruption detected", with the block's offset in
    ///   its slab, its index and ``blockSize``) for the first damaged canary. Nothing changes.
    /// - Important: as for ``reset()``, no other thread may use the pool meanwhile.
    /// - Complexity: O(blocks).
    public func verifyIntegrity() throws(AllocError) {
        guard configuration.hardened else { return }
        let generation = _generation.load(ordering: .acquiring)
        for slabIndex in 0..<_slabCount.load(ordering: .acquiring) {
            let slab = _slabs[slabIndex]
            let live = slab.live.unsafelyUnwrapped
            for index in 0..<slab.blockCount where live[index].load(ordering: .relaxed) == generation {
                try _checkCanary(slab: slabIndex, index: index)
            }
        }
    }

    /// Throws when the canary of block `index` of slab `slabIndex` is damaged.
    @usableFromInline
    @inline(never)
    func _checkCanary(slab slabIndex: Int, index: Int) throws(AllocError) {
        let offset = index * _geometry.stride
        let block = _slabs[slabIndex].start + offset
        guard !_Canary.isIntact(at: block + blockSize, key: _canaryKey) else { return }
        throw AllocError.heapCorruption(
            block: block, index: index, slab: slabIndex, offset: offset, blockSize: blockSize, blockCount: blockCount,
            usedBlocks: usedBlockCount)
    }
}
