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
    /// - Complexity: O(1) amortized; taking checkpoints without allocating in between reuses one.
    @inlinable
    public func checkpoint() -> Checkpoint {
        let state = _state
        let position =
            state.pointee.chunk.pointee.base &+ (state.pointee.cursor &- _ArenaChunk.start(of: state.pointee.chunk))
        guard let serial = state.pointee.points.push(position: position, cursor: state.pointee.cursor) else {
            // As for Swift's own collections, failing to grow a small buffer is not recoverable.
            fatalError("out of memory while recording a checkpoint")
        }
        state.pointee.last = 0
        return Checkpoint(
            arenaID: state.pointee.id, serial: serial, used: position,
            chunk: UInt(bitPattern: state.pointee.chunk), cursor: state.pointee.cursor,
            dropHead: UInt(bitPattern: state.pointee.drops.head), canaryCount: state.pointee.canaries.count)
    }

    /// Frees everything allocated after `checkpoint`, deinitializing the non-trivial values
    /// created since, newest first. Chunks taken since are kept for reuse.
    ///
    /// - Throws: `ALLOC_INVALID_STATE` for a checkpoint of another arena, or one invalidated by
    ///   a reset or by restoring an older checkpoint; in hardened mode also for a damaged
    ///   canary of an allocation made since ("heap corruption detected"). The arena is then
    ///   unchanged.
    /// - Complexity: O(1) plus one step per value deinitialized.
    @inlinable
    public func restore(to checkpoint: Checkpoint) throws(AllocError) {
        let state = _state
        // The common case, the end of the innermost scope: nothing to deinitialize or fill,
        // still in the checkpoint's chunk.
        if checkpoint.arenaID == state.pointee.id, state.pointee.points.isNewest(checkpoint.serial),
            UInt(bitPattern: state.pointee.drops.head) == checkpoint.dropHead,
            UInt(bitPattern: state.pointee.chunk) == checkpoint.chunk, !state.pointee.checked
        {
            if state.pointee.trackStatistics { state.pointee.notePeak() }
            state.pointee.cursor = checkpoint.cursor
            state.pointee.last = 0
            return
        }
        try _restoreSlow(to: checkpoint)
    }

    @usableFromInline
    func _restoreSlow(to checkpoint: Checkpoint) throws(AllocError) {
        let state = _state
        guard checkpoint.arenaID == state.pointee.id else {
            throw AllocError.foreignRestorePoint(
                "checkpoint", allocatorKind: .arena, capacity: capacity, used: used, available: available)
        }
        guard let index = state.pointee.points.index(of: checkpoint.serial) else {
            throw AllocError.staleRestorePoint(
                "checkpoint", offset: checkpoint.used, allocatorKind: .arena, capacity: capacity, used: used,
                available: available)
        }
        if state.pointee.hardened {
            let count = state.pointee.canaries.count
            try _checkCanaries(Swift.min(checkpoint.canaryCount, count)..<count)
            state.pointee.canaries.truncate(to: checkpoint.canaryCount)
        }
        state.pointee.notePeak()
        state.pointee.drops.run(until: UnsafeMutablePointer(bitPattern: checkpoint.dropHead))
        let chunk = UnsafeMutablePointer<_ArenaChunk>(bitPattern: checkpoint.chunk)!
        if state.pointee.scrubs {
            state.pointee.fillReclaimed(from: chunk, address: checkpoint.cursor)
        }
        state.pointee.use(chunk, cursor: checkpoint.cursor)
        state.pointee.last = 0
        state.pointee.points.truncate(keepingThrough: index)
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
    /// - Complexity: O(1) plus one step per value deinitialized and per extra chunk.
    @inlinable
    public func reset() {
        let state = _state
        let first = state.pointee.first
        // The common case (one chunk, no values to deinitialize, no fill) is a few stores.
        guard state.pointee.chunk == first, first.pointee.next == nil, state.pointee.drops.head == nil,
            !state.pointee.checked
        else { return _resetSlow() }
        state.pointee.notePeak()
        state.pointee.cursor = _ArenaChunk.start(of: first)
        state.pointee.last = 0
        state.pointee.points.removeAll()
        state.pointee.resets &+= 1
    }

    @usableFromInline
    func _resetSlow() {
        let state = _state
        if state.pointee.hardened {
            _verifyBeforeReset()
            state.pointee.canaries.truncate(to: 0)
        }
        state.pointee.notePeak()
        state.pointee.drops.run(until: nil)
        let first = state.pointee.first
        if state.pointee.scrubs {
            state.pointee.fillReclaimed(from: first, address: _ArenaChunk.start(of: first))
        }
        _ArenaChunk.freeChain(from: first.pointee.next)
        first.pointee.next = nil
        state.pointee.budget?.refundChunk(state.pointee.capacity - first.pointee.capacity)
        state.pointee.capacity = first.pointee.capacity
        state.pointee.use(first, cursor: _ArenaChunk.start(of: first))
        state.pointee.last = 0
        state.pointee.points.removeAll()
        state.pointee.resets += 1
    }
}
