extension BumpAllocator {
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

    /// Checks every canary, then resets the arena as ``reset()`` does; on a damaged canary it
    /// throws and leaves the arena as it was.
    ///
    /// The reset to use in hardened mode: ``reset()`` cannot throw, so it stops the process
    /// when it finds corruption.
    ///
    /// - Throws: as ``verifyIntegrity()``; the arena is then unchanged.
    /// - Complexity: O(live allocations) for the check, then as ``reset()``.
    public func resetVerifying() throws(AllocError) {
        try verifyIntegrity()
        reset()
    }

    /// Throws for the first damaged canary among the logged allocations in `range`.
    @usableFromInline
    func _checkCanaries(_ range: Range<Int>) throws(AllocError) {
        let state = _state
        guard let index = state.pointee.canaries.firstDamaged(in: range, key: state.pointee.canaryKey) else { return }
        let entry = state.pointee.canaries[index]
        throw AllocError.heapCorruption(
            offset: state.pointee.position(of: entry.address), size: entry.size, allocatorKind: "arena",
            capacity: capacity, used: used, available: available)
    }

    /// `reset()` cannot throw: in hardened mode corruption found there stops the process.
    @usableFromInline
    func _verifyBeforeReset() {
        do {
            try verifyIntegrity()
        } catch {
            fatalError("\(error)")
        }
    }
}
