extension ConcurrentBumpAllocator {
    /// Calls `body` with each of the arena's chunks, first to last, spares included, under the
    /// arena's lock.
    ///
    /// - Parameter body: reads a chunk; its buffers are valid only during the call, and it must
    ///   not allocate from, free to, checkpoint or reset the arena. Bytes other threads are
    ///   writing meanwhile may be read half-written.
    /// - Throws: what `body` throws; the walk stops there.
    /// - Complexity: O(chunks).
    public func forEachChunk<Failure: Error>(_ body: (ArenaChunk) throws(Failure) -> Void) throws(Failure) {
        try _state.withLock { (state) throws(Failure) in
            let current = UnsafeMutablePointer<_ArenaChunk>(bitPattern: _chunk.load(ordering: .acquiring))!
            let cursor = _ArenaChunk.start(of: current) + (_carve.load(ordering: .acquiring) - current.pointee.base)
            try _ArenaChunk.walk(from: state.chunks.first, current: current, cursor: cursor, body)
        }
    }
}
