extension BumpAllocator: VerifiableAllocator {
    /// Checks the canary of every live allocation (hardened mode); returns at once otherwise.
    ///
    /// ```swift
    /// let arena = try BumpAllocator(capacity: 1 << 20, configuration: .hardened)
    /// let header = try arena.allocate(UInt8.self, count: 16)
    /// header[16] = 0   // one byte too far
    /// try arena.verifyIntegrity()   // throws ALLOC_INVALID_STATE: heap corruption detected
    /// ```
    ///
    /// - Throws: `ALLOC_INVALID_STATE` ("heap corruption detected", with the allocation's offset
    ///   from the arena's base and its size) for the oldest damaged canary. Nothing changes.
    /// - Complexity: O(live allocations).
    public func verifyIntegrity() throws(AllocError) {
        try _state.pointee.verifyCanaries()
    }
}
