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
        guard _state.pointee.hardened else { return }
        try _checkCanaries(0..<_state.pointee.canaries.count)
    }

    /// Throws for the first damaged canary among the logged allocations in `range`.
    @usableFromInline
    func _checkCanaries(_ range: Range<Int>) throws(AllocError) {
        let state = _state
        guard let index = state.pointee.canaries.firstDamaged(in: range, key: state.pointee.canaryKey) else { return }
        let entry = state.pointee.canaries[index]
        throw AllocError.heapCorruption(
            offset: state.pointee.position(of: entry.address), size: entry.size, allocatorKind: .arena,
            capacity: capacity, used: used, available: available)
    }
}
