/// One chunk of an arena, as ``BumpAllocator/forEachChunk(_:)`` and
/// ``ConcurrentBumpAllocator/forEachChunk(_:)`` show it: the memory taken from the system, its
/// header, and the bytes handed out, for diagnostics, dumps and profilers.
///
/// The buffers are valid only inside the walk's body.
public struct ArenaChunk {
    /// The chunk's place in the arena's list, 0 for the first.
    public let index: Int
    /// Everything taken from the system for this chunk: the header, then the usable bytes.
    public let memory: UnsafeRawBufferPointer
    /// Bytes of the header at the start of `memory` (the arena's own metadata: links to the
    /// neighbouring chunks, the capacity, the position).
    public let headerSize: Int
    /// The bytes handed out from this chunk: up to the cursor in the current chunk, up to
    /// where allocation moved on in earlier ones, none in spares. A concurrent arena counts
    /// its threads' buffers whole, handed out or not.
    public let used: UnsafeRawBufferPointer
    /// The arena-wide position of the chunk's first usable byte: positions run on across
    /// chunks, as ``BumpAllocator/used`` and checkpoints count them.
    public let position: Int
    /// A chunk after the current one, kept after a restore for the allocations to come.
    public let isSpare: Bool

    /// The usable bytes after the header.
    public var usable: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: memory[headerSize...]) }
}

extension _ArenaChunk {
    /// Calls `body` with every chunk from `first`, `current` being the one allocation is in and
    /// `cursor` where it stands there.
    static func walk<Failure: Error>(
        from first: UnsafeMutablePointer<_ArenaChunk>, current: UnsafeMutablePointer<_ArenaChunk>, cursor: Int,
        _ body: (ArenaChunk) throws(Failure) -> Void
    ) throws(Failure) {
        var chunk: UnsafeMutablePointer<_ArenaChunk>? = first
        var index = 0
        var spare = false
        while let c = chunk {
            let start = start(of: c)
            let usedEnd = spare ? start : c == current ? cursor : c.pointee.usedEnd
            try body(
                ArenaChunk(
                    index: index,
                    memory: UnsafeRawBufferPointer(start: UnsafeRawPointer(c), count: headerSize + c.pointee.capacity),
                    headerSize: headerSize,
                    used: UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: start), count: usedEnd - start),
                    position: c.pointee.base, isSpare: spare))
            if c == current { spare = true }
            chunk = c.pointee.next
            index += 1
        }
    }
}
