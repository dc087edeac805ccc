/// The header at the start of each block of memory an arena takes from the system.
///
/// Chunks form a doubly linked list in allocation order. Those after the current chunk are
/// spares: kept after a restore so that a scope crossing a chunk boundary does not go back
/// to `malloc` on every iteration.
@usableFromInline
struct _ArenaChunk {
    @usableFromInline var previous: UnsafeMutablePointer<_ArenaChunk>?
    @usableFromInline var next: UnsafeMutablePointer<_ArenaChunk>?
    /// Usable bytes after the header.
    @usableFromInline var capacity: Int
    /// The arena-wide position of the first usable byte: positions grow across chunks, which
    /// keeps checkpoints of different chunks comparable.
    @usableFromInline var base: Int
    /// Where allocation stopped when the arena moved on to the next chunk.
    @usableFromInline var usedEnd: Int

    /// Header size, a multiple of the chunk alignment so that usable memory starts aligned.
    @inlinable static var headerSize: Int { _alignUp(MemoryLayout<_ArenaChunk>.stride, alignment) }
    @inlinable static var alignment: Int { 64 }

    @inlinable
    static func start(of chunk: UnsafeMutablePointer<_ArenaChunk>) -> Int {
        Int(bitPattern: chunk) &+ headerSize
    }

    @inlinable
    static func end(of chunk: UnsafeMutablePointer<_ArenaChunk>) -> Int {
        start(of: chunk) &+ chunk.pointee.capacity
    }

    /// Takes a chunk of `capacity` usable bytes from the system; nil when it has none.
    @usableFromInline
    static func make(capacity: Int, base: Int, previous: UnsafeMutablePointer<_ArenaChunk>?)
        -> UnsafeMutablePointer<_ArenaChunk>?
    {
        let (total, overflow) = capacity.addingReportingOverflow(headerSize)
        guard !overflow, let raw = _RawMemory.allocate(byteCount: total, alignment: alignment) else { return nil }
        let chunk = raw.bindMemory(to: _ArenaChunk.self, capacity: 1)
        chunk.initialize(
            to: _ArenaChunk(
                previous: previous, next: nil, capacity: capacity, base: base,
                usedEnd: Int(bitPattern: raw) + headerSize))
        return chunk
    }

    /// Frees `chunk` and every chunk after it.
    @usableFromInline
    static func freeChain(from chunk: UnsafeMutablePointer<_ArenaChunk>?) {
        var current = chunk
        while let c = current {
            current = c.pointee.next
            c.deinitialize(count: 1)
            _RawMemory.free(c)
        }
    }
}
