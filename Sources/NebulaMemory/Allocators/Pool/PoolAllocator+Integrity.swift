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
        try _state.pointee.verifyCanaries()
    }
}
