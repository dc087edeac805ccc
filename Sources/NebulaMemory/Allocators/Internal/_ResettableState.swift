/// The state behind ``BumpAllocator`` and ``StackAllocator``: a reset with a fast path of a
/// few stores, a slow path for every other case, and a teardown for the allocator's deinit.
@usableFromInline
protocol _ResettableState {
    /// Resets when that is a few stores; false when the slow path must run.
    mutating func resetFast() -> Bool
    /// Resets in any configuration, checking the canaries first when hardened.
    mutating func resetSlow()
    /// Throws for the first damaged canary of a live allocation; nothing when not hardened.
    mutating func verifyCanaries() throws(AllocError)
    /// Deinitializes what is left and frees the allocator's memory.
    mutating func tearDown()
}

extension _ResettableState {
    /// For a reset that cannot throw: corruption found there stops the process, with the
    /// error's description.
    mutating func trapOnCorruption() {
        do {
            try verifyCanaries()
        } catch {
            fatalError("\(error)")
        }
    }
}

extension UnsafeMutablePointer where Pointee: _ResettableState {
    /// Tears the state down and frees it: an allocator's deinit.
    func _destroy() {
        pointee.tearDown()
        deinitialize(count: 1)
        deallocate()
    }
}
