extension _BumpState {
    @inlinable
    mutating func checkpoint() -> BumpAllocator.Checkpoint {
        let position = chunk.pointee.base &+ (cursor &- _ArenaChunk.start(of: chunk))
        guard let serial = points.push(position: position, cursor: cursor) else {
            // As for Swift's own collections, failing to grow a small buffer is not recoverable.
            fatalError("out of memory while recording a checkpoint")
        }
        last = 0
        return BumpAllocator.Checkpoint(
            arenaID: id, serial: serial, used: position, chunk: UInt(bitPattern: chunk), cursor: cursor,
            dropHead: UInt(bitPattern: drops.head), canaryCount: canaries.count)
    }

    /// Restores `checkpoint` and returns true in the common case; false sends the caller to
    /// the slow path.
    @inlinable
    @inline(__always)
    mutating func restoreFast(to checkpoint: BumpAllocator.Checkpoint) -> Bool {
        // The common case, the end of the innermost scope: nothing to deinitialize or fill,
        // still in the checkpoint's chunk.
        if checkpoint.arenaID == id, points.isNewest(checkpoint.serial),
            UInt(bitPattern: drops.head) == checkpoint.dropHead, UInt(bitPattern: chunk) == checkpoint.chunk,
            !slowReclaim
        {
            if trackStatistics { notePeak() }
            cursor = checkpoint.cursor
            last = 0
            return true
        }
        return false
    }

    @usableFromInline
    @inline(__always)
    mutating func restoreSlow(to checkpoint: BumpAllocator.Checkpoint) throws(AllocError) {
        guard checkpoint.arenaID == id else {
            throw AllocError.foreignRestorePoint(
                "checkpoint", allocatorKind: .arena, capacity: chunks.capacity, used: position, available: available)
        }
        guard let index = points.index(of: checkpoint.serial) else {
            throw AllocError.staleRestorePoint(
                "checkpoint", offset: checkpoint.used, allocatorKind: .arena, capacity: chunks.capacity, used: position,
                available: available)
        }
        if hardened {
            let count = canaries.count
            try checkCanaries(Swift.min(checkpoint.canaryCount, count)..<count)
            canaries.truncate(to: checkpoint.canaryCount)
        }
        notePeak()
        drops.run(until: UnsafeMutablePointer(bitPattern: checkpoint.dropHead))
        let chunk = UnsafeMutablePointer<_ArenaChunk>(bitPattern: checkpoint.chunk)!
        fillReclaimed(from: chunk, address: checkpoint.cursor)
        use(chunk, cursor: checkpoint.cursor)
        last = 0
        points.truncate(keepingThrough: index)
    }

    /// Resets the arena when that is a few stores (one chunk, no values to deinitialize, no
    /// fill); false when the caller must take the slow path.
    @inlinable
    mutating func resetFast() -> Bool {
        let first = chunks.first
        guard chunk == first, first.pointee.next == nil, drops.head == nil, !slowReclaim else { return false }
        notePeak()
        cursor = _ArenaChunk.start(of: first)
        last = 0
        points.removeAll()
        resets &+= 1
        return true
    }

    /// Resets the arena in any configuration; when hardened, a damaged canary stops the
    /// process (see `trapOnCorruption`).
    @usableFromInline
    @inline(__always)
    mutating func resetSlow() {
        if hardened {
            trapOnCorruption()
            canaries.truncate(to: 0)
        }
        notePeak()
        drops.run(until: nil)
        let first = chunks.first
        fillReclaimed(from: first, address: _ArenaChunk.start(of: first))
        chunks.releaseSpares()
        use(first, cursor: _ArenaChunk.start(of: first))
        last = 0
        points.removeAll()
        resets += 1
    }

    /// Throws for the oldest damaged canary (hardened); returns at once otherwise.
    @usableFromInline
    mutating func verifyCanaries() throws(AllocError) {
        guard hardened else { return }
        try checkCanaries(0..<canaries.count)
    }

    /// Deinitializes the values left, zeroes the memory when asked, and gives every chunk and
    /// its charge back: the end of the arena.
    @usableFromInline
    mutating func tearDown() {
        drops.run(until: nil)
        if zeroOnReset { fillReclaimed(from: chunks.first, address: _ArenaChunk.start(of: chunks.first)) }
        points.deallocate()
        canaries.deallocate()
        chunks.freeAll()
        counters?.deallocate()
    }
}
