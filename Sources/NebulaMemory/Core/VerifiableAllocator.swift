/// A resettable allocator that can check its own memory for corruption: the hardened
/// configurations of ``BumpAllocator``, ``StackAllocator`` and ``PoolAllocator``, which keep a
/// canary after every allocation.
///
/// ```swift
/// let arena = try BumpAllocator(capacity: 1 << 20, configuration: .hardened)
/// …
/// try arena.resetVerifying()   // ALLOC_INVALID_STATE if something wrote past an allocation
/// ```
public protocol VerifiableAllocator: ResettableAllocator {
    /// Checks the canary of every live allocation (hardened mode); returns at once otherwise.
    ///
    /// - Throws: `ALLOC_INVALID_STATE` ("heap corruption detected", with the allocation's
    ///   offset and size) for a damaged canary. Nothing changes.
    /// - Complexity: in hardened mode, a walk over the live allocations (the library's pools
    ///   walk all their blocks); O(1) otherwise.
    func verifyIntegrity() throws(AllocError)
}

extension VerifiableAllocator {
    /// Checks every canary, then resets as `reset()` does; on a damaged canary it throws and
    /// leaves the allocator as it was.
    ///
    /// The reset to use in hardened mode: `reset()` cannot throw, so it stops the process when
    /// it finds corruption.
    ///
    /// - Throws: as ``verifyIntegrity()``; the allocator is then unchanged.
    /// - Complexity: that of ``verifyIntegrity()``, then that of `reset()`.
    public func resetVerifying() throws(AllocError) {
        try verifyIntegrity()
        try reset()
    }

    /// For a `reset()` that cannot throw: corruption found there stops the process.
    @usableFromInline
    func _verifyBeforeReset() {
        do {
            try verifyIntegrity()
        } catch {
            fatalError("\(error)")
        }
    }
}
