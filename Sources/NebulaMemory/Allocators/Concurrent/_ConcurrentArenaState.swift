/// The part of a ``ConcurrentBumpAllocator`` that changes only under its lock: the chunk
/// list, and what a checkpoint or reset needs.
@usableFromInline
struct _ConcurrentArenaState {
    @usableFromInline var chunks: _ArenaChunkList
    @usableFromInline var peak = 0
    @usableFromInline var resets = 0
    @usableFromInline var points = _RestorePointStack()

    @usableFromInline
    init(chunks: _ArenaChunkList) {
        self.chunks = chunks
    }
}
