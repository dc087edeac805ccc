extension BumpAllocator {
    /// Calls `body` with each of the arena's chunks, first to last, spares included.
    ///
    /// ```swift
    /// try arena.forEachChunk { chunk in
    ///     print("chunk \(chunk.index): \(chunk.used.count) of \(chunk.usable.count) bytes used")
    /// }
    /// ```
    ///
    /// - Parameter body: reads a chunk; its buffers are valid only during the call, and it must
    ///   not allocate from, free to, or reset the arena.
    /// - Throws: what `body` throws; the walk stops there.
    /// - Complexity: O(chunks).
    public func forEachChunk<Failure: Error>(_ body: (ArenaChunk) throws(Failure) -> Void) throws(Failure) {
        try _ArenaChunk.walk(
            from: _state.pointee.chunks.first, current: _state.pointee.chunk, cursor: _state.pointee.cursor, body)
    }
}
