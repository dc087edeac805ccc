extension StackAllocator: VerifiableAllocator {
    /// Checks the canary of every live allocation (hardened mode); returns at once otherwise.
    ///
    /// ```swift
    /// let stack = try StackAllocator(capacity: 64 * 1024, configuration: .hardened)
    /// let name = try stack.allocate(UInt8.self, count: 8)
    /// name[8] = 0   // one byte too far
    /// try stack.verifyIntegrity()   // throws ALLOC_INVALID_STATE: heap corruption detected
    /// ```
    ///
    /// - Throws: `ALLOC_INVALID_STATE` ("heap corruption detected", with the allocation's offset
    ///   from the stack's base and its size) for the newest damaged canary. Nothing changes.
    /// - Complexity: O(live allocations).
    public func verifyIntegrity() throws(AllocError) {
        try _state.pointee.verifyCanaries()
    }
}
