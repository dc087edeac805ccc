extension BumpAllocator {
    /// A saved arena position; restoring it frees everything allocated after it.
    ///
    /// Checkpoints nest: restoring one invalidates those taken after it, and a reset
    /// invalidates all. A checkpoint is a plain value, safe to store and compare.
    public struct Checkpoint: Sendable, Hashable {
        @usableFromInline let arenaID: UInt64
        @usableFromInline let serial: UInt64
        /// The arena's `used` bytes when the checkpoint was taken.
        public let used: Int
        @usableFromInline let chunk: UInt
        @usableFromInline let cursor: Int
        @usableFromInline let dropHead: UInt
        /// Allocations logged when it was taken (hardened mode): those after are rolled back.
        @usableFromInline let canaryCount: Int

        @inlinable
        init(arenaID: UInt64, serial: UInt64, used: Int, chunk: UInt, cursor: Int, dropHead: UInt, canaryCount: Int) {
            self.arenaID = arenaID
            self.serial = serial
            self.used = used
            self.chunk = chunk
            self.cursor = cursor
            self.dropHead = dropHead
            self.canaryCount = canaryCount
        }
    }

    /// Saves the current position.
    ///
    /// The newest allocation before a checkpoint can no longer be reclaimed by `deallocate`
    /// (it belongs to the state the checkpoint saved).
    ///
    /// - Returns: the checkpoint, to pass to ``restore(to:)``.
    /// - Complexity: O(1) amortized; taking checkpoints without allocating in between reuses one.
    @inlinable
    public func checkpoint() -> Checkpoint {
        _state.pointee.checkpoint()
    }

    /// Frees everything allocated after `checkpoint`, deinitializing the non-trivial values
    /// created since, newest first. Chunks taken since are kept for reuse.
    ///
    /// - Parameter checkpoint: a checkpoint this arena's ``checkpoint()`` returned.
    /// - Throws: `ALLOC_INVALID_STATE` for a checkpoint of another arena, or one invalidated by
    ///   a reset or by restoring an older checkpoint; in hardened mode also for a damaged
    ///   canary of an allocation made since ("heap corruption detected"). The arena is then
    ///   unchanged.
    /// - Complexity: O(1) plus one step per value deinitialized (and, hardened, per allocation
    ///   made since); O(log *n*) in the *n* valid checkpoints to find one that is not the newest.
    @inlinable
    public func restore(to checkpoint: Checkpoint) throws(AllocError) {
        if !_state.pointee.restoreFast(to: checkpoint) { try _restoreSlow(to: checkpoint) }
    }

    @usableFromInline
    @inline(never)
    func _restoreSlow(to checkpoint: Checkpoint) throws(AllocError) {
        try _state.pointee.restoreSlow(to: checkpoint)
    }

    /// Runs `body` with this arena and frees what it allocated when it returns or throws.
    ///
    /// ```swift
    /// let total = try arena.withScope { scratch in
    ///     let values = try scratch.allocate(Int.self, count: 1000)
    ///     …
    ///     return sum
    /// }   // the 1000 values are freed here
    /// ```
    ///
    /// A body that resets the arena, or restores an older checkpoint, has already freed more
    /// than the scope would; the scope's end then leaves the arena as the body did.
    ///
    /// - Parameter body: runs with this arena; what it allocates is freed when it ends.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws; the scope's memory is freed all the same.
    /// - Important: in hardened mode the scope's end checks the canaries of what the body
    ///   allocated; as it cannot throw, a damaged one stops the process with the error's
    ///   description. Take a ``checkpoint()`` and ``restore(to:)`` it to get the error instead.
    @inlinable
    public func withScope<Result, Failure: Error>(
        _ body: (BumpAllocator) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let point = checkpoint()
        defer {
            if _state.pointee.hardened { _endHardenedScope(point) } else { try? restore(to: point) }
        }
        return try body(self)
    }

    /// Restores a scope's checkpoint unless the body already went below it; corruption traps.
    @usableFromInline
    func _endHardenedScope(_ point: Checkpoint) {
        guard _state.pointee.points.index(of: point.serial) != nil else { return }
        do {
            try restore(to: point)
        } catch {
            fatalError("\(error)")
        }
    }

    /// Frees everything at once, deinitializing non-trivial values created by ``create(_:)``
    /// newest first, and gives back all chunks but the first. Invalidates every checkpoint.
    ///
    /// - Important: the deinitializers the reset runs must not allocate from this arena: what
    ///   they allocate is reclaimed with the rest.
    /// - Important: in hardened mode the reset checks every canary first. It cannot throw, so
    ///   a damaged canary stops the process with the error's description: the one case where
    ///   corruption traps. Call ``resetVerifying()`` to get the error thrown instead.
    /// - Complexity: O(1) plus one step per value deinitialized and per extra chunk
    ///   (O(live allocations) when hardened).
    @inlinable
    public func reset() {
        if !_state.pointee.resetFast() { _resetSlow() }
    }

    @usableFromInline
    @inline(never)
    func _resetSlow() {
        _state.pointee.resetSlow()
    }
}
