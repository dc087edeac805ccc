/// The mutable state of a ``BumpAllocator``, kept behind a pointer.
///
/// The arena class holds only an immutable pointer to this struct: accesses through it skip
/// the runtime exclusivity checks a class's stored `var` would need on every allocation,
/// which cost more than the allocation itself (docs/PERFORMANCE.md).
@usableFromInline
struct _BumpState: _ResettableState, _CountingState {
    // Hot: read or written by every allocation.
    @usableFromInline var cursor: Int
    /// The end of the current chunk for the inlined fast path, or 0 to send every allocation
    /// to the slow path (debug fill, hardened): one comparison serves both checks.
    @usableFromInline var fastLimit: Int
    @usableFromInline var limit: Int
    /// Start of the newest allocation while it can still be reclaimed by `deallocate`; 0 when
    /// nothing can be (after a reset, a restore or a checkpoint).
    @usableFromInline var last: Int = 0
    @usableFromInline let trackStatistics: Bool
    @usableFromInline let debugFill: Bool
    /// Debug fill, hardened mode or zeroing: frees, restores and resets take the slow path.
    @usableFromInline let slowReclaim: Bool
    /// Requests by size class and failures by code; nil when statistics are off.
    @usableFromInline let counters: _AllocatorCounters?
    @usableFromInline var deallocations = 0

    // Cold.
    @usableFromInline var resets = 0
    @usableFromInline var peak = 0
    @usableFromInline var chunk: UnsafeMutablePointer<_ArenaChunk>
    @usableFromInline var chunks: _ArenaChunkList
    @usableFromInline var drops = _DropList()
    @usableFromInline var points = _RestorePointStack()
    @usableFromInline let id = _makeAllocatorID()
    @usableFromInline let hardened: Bool
    @usableFromInline let zeroOnReset: Bool
    @usableFromInline let canaryKey: UInt64
    /// Every live allocation, in hardened mode only.
    @usableFromInline var canaries = _CanaryLog()

    @usableFromInline
    init(chunks: _ArenaChunkList, configuration: BumpAllocator.Configuration) {
        let first = chunks.first
        self.chunks = chunks
        self.chunk = first
        self.cursor = _ArenaChunk.start(of: first)
        self.limit = _ArenaChunk.end(of: first)
        self.fastLimit = configuration.debugFill || configuration.hardened ? 0 : limit
        self.trackStatistics = configuration.trackStatistics
        self.counters = configuration.trackStatistics ? _AllocatorCounters() : nil
        self.debugFill = configuration.debugFill
        self.hardened = configuration.hardened
        self.zeroOnReset = configuration.zeroOnReset
        self.slowReclaim = configuration.debugFill || configuration.hardened || configuration.zeroOnReset
        self.canaryKey = configuration.hardened ? _Canary.makeKey() : 0
    }

    /// Makes `chunk` current with the cursor at `cursor`.
    @usableFromInline
    mutating func use(_ chunk: UnsafeMutablePointer<_ArenaChunk>, cursor: Int) {
        self.chunk = chunk
        self.cursor = cursor
        limit = _ArenaChunk.end(of: chunk)
        fastLimit = debugFill || hardened ? 0 : limit
    }

    /// Bytes consumed, counted across chunks (the unusable tail of a left chunk included).
    @inlinable
    var position: Int {
        chunk.pointee.base &+ (cursor &- _ArenaChunk.start(of: chunk))
    }

    /// Bytes that can still be allocated (fragmentation at chunk ends aside).
    @usableFromInline
    var available: Int {
        chunks.available(in: chunk, room: limit - cursor)
    }

    @inlinable
    mutating func notePeak() {
        peak = Swift.max(peak, position)
    }

    /// Zeroes (`zeroOnReset`) or fills (`debugFill`) the memory from `address` in
    /// `chunkStart` to the cursor, walking the chunks it spans.
    @usableFromInline
    mutating func fillReclaimed(from chunkStart: UnsafeMutablePointer<_ArenaChunk>, address: Int) {
        guard scrubs else { return }
        _ArenaChunk.scrub(from: chunkStart, address: address, through: chunk, newestEnd: cursor, zero: zeroOnReset)
    }

    /// Whether reclaimed memory is zeroed or filled.
    @inlinable
    var scrubs: Bool { debugFill || zeroOnReset }

    /// Zeroes or fills `count` reclaimed bytes at `address`, as the configuration asks.
    @usableFromInline
    mutating func scrub(_ address: Int, count: Int) {
        guard scrubs else { return }
        _ArenaChunk.scrub(address, count: count, zero: zeroOnReset)
    }

    /// The arena position (offset from its base) of `address`, a live allocation's start.
    @usableFromInline
    mutating func position(of address: Int) -> Int {
        var current: UnsafeMutablePointer<_ArenaChunk>? = chunk
        while let c = current {
            if address >= _ArenaChunk.start(of: c), address <= _ArenaChunk.end(of: c) {
                return c.pointee.base + (address - _ArenaChunk.start(of: c))
            }
            current = c.pointee.previous
        }
        return address - _ArenaChunk.start(of: chunks.first)
    }

    /// Moves to a chunk that fits `layout`: the spare after the current one, or a new one
    /// within the growth limit. Returns the start of the allocation, or nil when the arena
    /// may not grow, its budget denies a chunk or the system has no memory (`failure` tells
    /// the last two).
    @usableFromInline
    mutating func advanceChunk(for layout: Layout, failure: inout _ChunkFailure?) -> Int? {
        guard let next = chunks.chunk(after: chunk, fitting: layout, failure: &failure) else { return nil }
        return enter(next, layout: layout)
    }

    private mutating func enter(_ next: UnsafeMutablePointer<_ArenaChunk>, layout: Layout) -> Int {
        chunk.pointee.usedEnd = cursor
        let start = _alignUp(_ArenaChunk.start(of: next), layout.alignment)
        use(next, cursor: start + layout.size)
        return start
    }
}
