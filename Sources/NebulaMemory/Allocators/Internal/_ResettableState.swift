/// The state of an allocator with canaries: it can check them, and a reset that cannot throw
/// stops the process when one is damaged.
@usableFromInline
protocol _CanaryCheckingState {
    /// Throws for the first damaged canary of a live allocation; nothing when not hardened.
    mutating func verifyCanaries() throws(AllocError)
}

extension _CanaryCheckingState {
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

/// The state behind ``BumpAllocator`` and ``StackAllocator``, which the allocator's deinit
/// tears down.
@usableFromInline
protocol _ResettableState: _CanaryCheckingState {
    /// Deinitializes what is left and frees the allocator's memory.
    mutating func tearDown()
}

extension UnsafeMutablePointer where Pointee: _ResettableState {
    /// Tears the state down and frees it: an allocator's deinit.
    func _destroy() {
        pointee.tearDown()
        deinitialize(count: 1)
        deallocate()
    }
}
