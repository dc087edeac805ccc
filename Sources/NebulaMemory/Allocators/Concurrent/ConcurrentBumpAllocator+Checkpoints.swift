import Synchronization

extension ConcurrentBumpAllocator {
    /// A saved arena position; restoring it frees everything allocated after it.
    public struct Checkpoint: Sendable, Hashable {
        let arenaID: UInt64
        let serial: UInt64
        /// The arena's `used` bytes when the checkpoint was taken.
        public let used: Int
        let chunk: Int
        let dropHead: Int
    }

    /// Saves the current position. Every thread's buffer starts anew afterwards, so that all
    /// later allocations lie above the checkpoint.
    ///
    /// - Returns: the checkpoint, to pass to ``restore(to:)``.
    /// - Throws: `ALLOC_CONCURRENT_ACCESS` (with `detectConcurrentMisuse`) when an allocation
    ///   is under way on another thread.
    /// - Important: no other thread may allocate from the arena meanwhile.
    /// - Complexity: O(1) amortized.
    public func checkpoint() throws(AllocError) -> Checkpoint {
        try _exclusively { (state) throws(AllocError) in
            let position = _carve.load(ordering: .acquiring)
            let chunk = _chunk.load(ordering: .acquiring)
            let cursor = _ArenaChunk.start(of: UnsafeMutablePointer(bitPattern: chunk)!) + position
            guard let serial = state.points.push(position: position, cursor: cursor) else {
                // As for Swift's own collections, failing to grow a small buffer is not recoverable.
                fatalError("out of memory while recording a checkpoint")
            }
            _epoch.add(1, ordering: .releasing)
            return Checkpoint(
                arenaID: _id, serial: serial, used: position, chunk: chunk,
                dropHead: _dropHead.load(ordering: .acquiring))
        }
    }

    /// Frees everything allocated after `checkpoint`, on every thread, deinitializing the
    /// non-trivial values created since, newest first.
    ///
    /// - Parameter checkpoint: a checkpoint this arena's ``checkpoint()`` returned.
    /// - Throws: `ALLOC_INVALID_STATE` for a checkpoint of another arena or one invalidated by
    ///   a reset or an older restore; `ALLOC_CONCURRENT_ACCESS` (with
    ///   `detectConcurrentMisuse`) when an allocation is under way. The arena is then unchanged.
    /// - Important: no other thread may allocate from the arena meanwhile.
    /// - Complexity: O(1) plus one step per value deinitialized; O(log *n*) in the *n* valid
    ///   checkpoints to find one that is not the newest.
    public func restore(to checkpoint: Checkpoint) throws(AllocError) {
        try _exclusively { (state) throws(AllocError) in
            guard checkpoint.arenaID == _id else {
                throw AllocError.foreignRestorePoint(
                    "checkpoint", allocatorKind: .arena, capacity: state.chunks.capacity, used: used,
                    available: state.chunks.maxCapacity - used)
            }
            guard let index = state.points.index(of: checkpoint.serial) else {
                throw AllocError.staleRestorePoint(
                    "checkpoint", offset: checkpoint.used, allocatorKind: .arena,
                    capacity: state.chunks.capacity, used: used, available: state.chunks.maxCapacity - used)
            }
            _restoreLocked(&state, to: checkpoint, index: index)
        }
    }

    private func _restoreLocked(_ state: inout _ConcurrentArenaState, to checkpoint: Checkpoint, index: Int) {
        let chunk = UnsafeMutablePointer<_ArenaChunk>(bitPattern: checkpoint.chunk)!
        _reclaim(&state, to: chunk, position: checkpoint.used, dropHead: checkpoint.dropHead)
        state.points.truncate(keepingThrough: index)
    }

    /// Runs `body` with this arena and frees what it allocated when it returns or throws.
    ///
    /// ```swift
    /// let summary = try arena.withScope { scratch in
    ///     try summarize(rows, scratch: scratch)   // may fan out to other tasks
    /// }   // all the scratch memory is freed here
    /// ```
    ///
    /// A body that resets the arena, or restores an older checkpoint, has already freed more
    /// than the scope would; the scope's end then leaves the arena as the body did.
    ///
    /// - Parameter body: runs with this arena; every allocation it starts, on any thread, must
    ///   be done when it returns.
    /// - Returns: what `body` returns.
    /// - Throws: ``ScopeFailure/body(_:)`` with what `body` throws (the scope's memory is
    ///   freed); ``ScopeFailure/open(_:)`` with `ALLOC_CONCURRENT_ACCESS` when another thread's
    ///   allocation is under way as the scope opens (`detectConcurrentMisuse`; the body does
    ///   not run); ``ScopeFailure/close(_:bodyFailure:)`` with `ALLOC_CONCURRENT_ACCESS` when
    ///   one is under way as it closes (nothing is freed; the body's result is lost, its
    ///   failure kept).
    public func withScope<Result, Failure: Error>(
        _ body: (ConcurrentBumpAllocator) throws(Failure) -> Result
    ) throws(ScopeFailure<Failure>) -> Result {
        let point: Checkpoint
        do throws(AllocError) {
            point = try checkpoint()
        } catch {
            throw .open(error)
        }
        let outcome: Swift.Result<Result, Failure>
        do throws(Failure) {
            outcome = .success(try body(self))
        } catch {
            outcome = .failure(error)
        }
        do throws(AllocError) {
            try _endScope(point)
        } catch {
            if case .failure(let failure) = outcome { throw .close(error, bodyFailure: failure) }
            throw .close(error, bodyFailure: nil)
        }
        switch outcome {
        case .success(let result): return result
        case .failure(let failure): throw .body(failure)
        }
    }

    /// Restores a scope's checkpoint unless the body already went below it.
    private func _endScope(_ point: Checkpoint) throws(AllocError) {
        try _exclusively { (state) throws(AllocError) in
            guard let index = state.points.index(of: point.serial) else { return }
            _restoreLocked(&state, to: point, index: index)
        }
    }

    /// Frees everything at once, deinitializing non-trivial values created by ``create(_:)``
    /// newest first, and gives back all chunks but the first. Invalidates every checkpoint
    /// and every thread's buffer.
    ///
    /// - Throws: `ALLOC_CONCURRENT_ACCESS` (with `detectConcurrentMisuse`) when an allocation
    ///   is under way on another thread; nothing is freed then.
    /// - Important: the deinitializers the reset runs must not allocate from this arena: what
    ///   they allocate is reclaimed with the rest.
    /// - Important: no other thread may allocate from the arena meanwhile.
    /// - Complexity: O(1) plus one step per value deinitialized and per extra chunk.
    public func reset() throws(AllocError) {
        try _exclusively { (state) throws(AllocError) in _resetLocked(&state) }
    }

    /// Resets the arena and refunds its budget for the first chunk too, leaving it charged to
    /// no budget: one pass under the lock, for a closing memory context.
    func _resetAndUnbind() throws(AllocError) {
        try _exclusively { (state) throws(AllocError) in
            _resetLocked(&state)
            _ = state.chunks.rebind(to: nil)
        }
    }

    private func _resetLocked(_ state: inout _ConcurrentArenaState) {
        _reclaim(&state, to: state.chunks.first, position: 0, dropHead: 0)
        state.chunks.releaseSpares()
        _capacity.store(state.chunks.capacity, ordering: .releasing)
        state.points.removeAll()
        state.resets += 1
    }

    /// Rewinds the arena to `position` in `chunk`: deinitializes the values created since,
    /// zeroes (`zeroOnReset`) or fills (debug mode) reclaimed memory, and voids every thread's
    /// buffer.
    private func _reclaim(
        _ state: inout _ConcurrentArenaState, to chunk: UnsafeMutablePointer<_ArenaChunk>, position: Int,
        dropHead: Int
    ) {
        let current = UnsafeMutablePointer<_ArenaChunk>(bitPattern: _chunk.load(ordering: .acquiring))!
        let end = _carve.load(ordering: .acquiring)
        state.peak = Swift.max(state.peak, end)
        var drops = _DropList(
            head: UnsafeMutablePointer(bitPattern: _dropHead.load(ordering: .acquiring)), key: _dropKey)
        drops.run(until: UnsafeMutablePointer(bitPattern: dropHead))
        _dropHead.store(dropHead, ordering: .releasing)
        if configuration.debugFill || configuration.zeroOnReset {
            _scrub(from: chunk, position: position, through: current, end: end)
        }
        _chunk.store(Int(bitPattern: chunk), ordering: .releasing)
        _carve.store(position, ordering: .releasing)
        _newestCarve.store(0, ordering: .releasing)
        _epoch.add(1, ordering: .releasing)
    }

    /// Zeroes or fills the memory from `position` in `chunk` to the arena position `end` in
    /// `current`, walking the chunks between.
    func _scrub(
        from chunk: UnsafeMutablePointer<_ArenaChunk>, position: Int,
        through current: UnsafeMutablePointer<_ArenaChunk>,
        end: Int
    ) {
        current.pointee.usedEnd = _ArenaChunk.start(of: current) + (end - current.pointee.base)
        _ArenaChunk.scrub(
            from: chunk, address: _ArenaChunk.start(of: chunk) + (position - chunk.pointee.base), through: current,
            newestEnd: current.pointee.usedEnd, zero: configuration.zeroOnReset)
    }

    /// Zeroes or fills `count` reclaimed bytes at `address`, as the configuration asks.
    func _scrub(_ address: Int, count: Int) {
        _ArenaChunk.scrub(address, count: count, zero: configuration.zeroOnReset)
    }

    /// Runs `body` under the lock, with no allocation in flight when misuse detection is on.
    private func _exclusively<Result>(
        _ body: (inout _ConcurrentArenaState) throws(AllocError) -> Result
    ) throws(AllocError) -> Result {
        if configuration.detectConcurrentMisuse {
            guard _activity.compareExchange(expected: 0, desired: .min, ordering: .acquiringAndReleasing).exchanged
            else {
                throw _concurrentAccess("a reset, checkpoint or restore ran into an allocation under way")
            }
        }
        defer { if configuration.detectConcurrentMisuse { _activity.store(0, ordering: .releasing) } }
        return try _state.withLock { (state) throws(AllocError) in try body(&state) }
    }
}
