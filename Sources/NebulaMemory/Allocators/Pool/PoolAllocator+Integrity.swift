extension PoolAllocator: VerifiableAllocator {
    /// Checks the canary of every block in use (hardened mode); returns at once otherwise.
    ///
    /// ```swift
    /// let pool = try PoolAllocator(blockSize: 32, blockCount: 64, configuration: .hardened)
    /// let block = try pool.allocateBlock()
    /// block.storeBytes(of: 0, toByteOffset: 32, as: UInt8.self)   // one byte too far
    /// try pool.verifyIntegrity()   // throws ALLOC_INVALID_STATE: heap corruption detected
    /// ```
    ///
    /// - Throws: `ALLOC_INVALID_STATE` ("heap corruption detected", with the block's offset in
    ///   its slab, its index and ``blockSize``) for the first damaged canary. Nothing changes.
    /// - Complexity: O(blocks).
    public func verifyIntegrity() throws(AllocError) {
        let state = _state
        guard state.pointee.hardened else { return }
        let generation = state.pointee.generation
        for slab in 0..<state.pointee.slabCount {
            let live = state.pointee.slabs[slab].live.unsafelyUnwrapped
            for index in 0..<state.pointee.slabs[slab].blockCount where live[index] == generation {
                try _checkCanary(slab: slab, index: index)
            }
        }
    }

    /// Throws when the canary of block `index` of `slab` is damaged.
    @usableFromInline
    @inline(never)
    func _checkCanary(slab: Int, index: Int) throws(AllocError) {
        let state = _state
        let offset = index * state.pointee.stride
        let block = state.pointee.slabs[slab].start + offset
        guard !_Canary.isIntact(at: block + state.pointee.canaryOffset, key: state.pointee.canaryKey) else { return }
        throw AllocError.heapCorruption(
            block: block, index: index, slab: slab, offset: offset, blockSize: blockSize,
            blockCount: state.pointee.blockCount, usedBlocks: state.pointee.inUse)
    }
}
