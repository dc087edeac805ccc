/// The state behind ``BumpAllocator`` and ``StackAllocator``: a reset with a fast path of a
/// few stores, a slow path for every other case, and a teardown for the allocator's deinit.
@usableFromInline
protocol _ResettableState {
    /// Canaries are on: the slow reset checks them first.
    var hardened: Bool { get }
    /// Resets when that is a few stores; false when the slow path must run.
    mutating func resetFast() -> Bool
    /// Resets in any configuration; the canaries have been checked.
    mutating func resetSlow()
    /// Deinitializes what is left and frees the allocator's memory.
    mutating func tearDown()
}

extension VerifiableAllocator {
    /// Resets the allocator whose state `state` is: inline when the fast path can, else after
    /// checking the canaries (hardened; corruption traps, as `reset()` cannot throw).
    @inlinable
    func _reset<State: _ResettableState>(_ state: UnsafeMutablePointer<State>) {
        if !state.pointee.resetFast() { _resetSlow(state) }
    }

    @usableFromInline
    func _resetSlow<State: _ResettableState>(_ state: UnsafeMutablePointer<State>) {
        if state.pointee.hardened { _verifyBeforeReset() }
        state.pointee.resetSlow()
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
