/// The mutable state of a ``PoolAllocator``, behind a pointer for the same reason as
/// `_BumpState`: no exclusivity checks on the hot path.
///
/// Blocks are handed out from the free list first, then from the untouched tail of the
/// slabs, so creating or resetting a pool never walks its blocks.
///
/// Hot-path helpers are `mutating` even where they only read: called through
/// `pointer.pointee`, a non-mutating method gets a copy of the whole state (a `memcpy` of
/// about 150 bytes per call, seen in the disassembly), a mutating one works in place.
@usableFromInline
struct _PoolState: _CountingState {
    /// The most recently freed block, kept out of the free list: a block freed and taken
    /// again at once (allocate, use, free, in a loop) then costs one store and one load of
    /// this field, not the list's two dependent memory round trips. Only the inline free
    /// paths put a block here, so it is always a plain address in the first slab (or any
    /// address without validation), and it keeps its live byte: taking it back writes
    /// nothing, and a second free of it is caught by comparing it with this field.
    @usableFromInline var hot = _FreeLink.end
    @usableFromInline var freeHead = _FreeLink.end
    /// The first slab, where nearly every block of a pool lives, and its live map when the
    /// pool validates pointers and its stride is a power of two: a free inside it is validated
    /// with a subtraction, a rotation and one comparison, no slab lookup, and its free-list
    /// links are plain addresses. Links of other validated blocks carry their slab + 1 in the
    /// top byte.
    @usableFromInline var base0 = 0
    @usableFromInline var blockCount0 = 0
    @usableFromInline var live0: UnsafeMutablePointer<UInt8>?
    /// A free takes the inline path: no validation (`.unchecked`), slab-0 validation
    /// (`.validated`), or neither (`.checked`: debug fill, canaries, odd strides).
    @usableFromInline let freePath: _PoolFreePath
    /// Next never-used block and the end of its slab.
    @usableFromInline var untouched: Int
    @usableFromInline var untouchedEnd: Int
    @usableFromInline var untouchedSlab = 0
    /// The live byte of the next untouched block (nil without pointer validation).
    @usableFromInline var untouchedLive: UnsafeMutablePointer<UInt8>?
    /// What a live block's byte holds; 1...255, advanced by every reset.
    @usableFromInline var generation: UInt8 = 1
    @usableFromInline let indexer: _BlockIndexer
    @usableFromInline let validate: Bool
    @usableFromInline let debugFill: Bool
    /// Debug fill or hardened: a fresh block is filled or given a canary (`prepare`).
    @usableFromInline let preparesBlocks: Bool
    @usableFromInline let hardened: Bool
    /// The block size as users see it (a block's canary starts there) and their alignment.
    @usableFromInline let blockSize: Int
    @usableFromInline let blockAlignment: Int
    @usableFromInline let canaryKey: UInt64
    @usableFromInline let trackStatistics: Bool
    /// Requests through `allocate(_:)` by size class, and failures by code; nil when
    /// statistics are off. Blocks asked for whole are counted by `allocations` alone.
    @usableFromInline let counters: _AllocatorCounters?
    /// Blocks taken from the free list or the untouched ones, and blocks put on the free list
    /// (the hot block is in neither). Two counters, not one count of blocks in use: taking and
    /// putting back each update their own word. A block that goes through the hot slot
    /// touches neither, so the loop of allocate, use, free counts only `frees`.
    @usableFromInline var taken = 0
    @usableFromInline var returned = 0
    /// Blocks given back by `deallocateBlock`, ever.
    @usableFromInline var frees = 0
    /// The most blocks in use at once before the last reset; since then, the peak is the
    /// blocks handed out (see `handedOut`).
    @usableFromInline var peakBeforeReset = 0
    /// Blocks that were in use when the pool was reset: handed out, never freed.
    @usableFromInline var releasedByReset = 0
    @usableFromInline var resets = 0
    @usableFromInline var slabs: UnsafeMutablePointer<_PoolSlab>
    @usableFromInline var slabCount = 0
    @usableFromInline var blockCount = 0
    @usableFromInline let maxBlockCount: Int
    @usableFromInline let slabAlignment: Int

    @usableFromInline
    init(
        stride: Int, blockSize: Int, blockAlignment: Int, slabAlignment: Int, maxBlockCount: Int,
        configuration: PoolAllocator.Configuration
    ) {
        self.indexer = _BlockIndexer(stride: stride)
        let powerOfTwo = stride & (stride - 1) == 0
        let validate = configuration.validatePointers || configuration.hardened
        if configuration.debugFill || configuration.hardened || (validate && !powerOfTwo) {
            self.freePath = .checked
        } else {
            self.freePath = validate ? .validated : .unchecked
        }
        self.slabAlignment = slabAlignment
        self.maxBlockCount = maxBlockCount
        // Hardened mode finds the blocks in use through the live map.
        self.validate = configuration.validatePointers || configuration.hardened
        self.debugFill = configuration.debugFill
        self.preparesBlocks = configuration.debugFill || configuration.hardened
        self.hardened = configuration.hardened
        self.blockSize = blockSize
        self.blockAlignment = blockAlignment
        self.canaryKey = configuration.hardened ? _Canary.makeKey() : 0
        self.trackStatistics = configuration.trackStatistics
        self.counters = configuration.trackStatistics ? _AllocatorCounters() : nil
        self.slabs = .allocate(capacity: _PoolGeometry.maxSlabs)
        self.untouched = 0
        self.untouchedEnd = 0
    }

    @inlinable
    var stride: Int { indexer.stride }

    /// Blocks handed out and not yet given back.
    @inlinable
    var inUse: Int { taken &- returned &- (hot == _FreeLink.end ? 0 : 1) }

    /// Blocks handed out since the pool was created.
    @usableFromInline
    var allocations: Int { frees &+ releasedByReset &+ inUse }

    /// Distinct blocks handed out since the last reset. A block comes from the untouched ones
    /// only when no freed block is left, that is when every block handed out so far is in use:
    /// so this is also the most blocks in use at once since the reset, and the peak costs the
    /// hot paths nothing.
    @usableFromInline
    func handedOut() -> Int {
        var blocks = 0
        for slab in 0..<untouchedSlab { blocks += slabs[slab].blockCount }
        return blocks + (untouched - slabs[untouchedSlab].start) / stride
    }

    /// The most blocks in use at once since the pool was created.
    @usableFromInline
    func peakInUse() -> Int { Swift.max(peakBeforeReset, handedOut()) }

    /// Adds a slab of `count` blocks; false when the system has no memory for it.
    @usableFromInline
    mutating func addSlab(blocks count: Int) -> Bool {
        guard slabCount < _PoolGeometry.maxSlabs,
            let memory = _RawMemory.allocate(byteCount: count * stride, alignment: slabAlignment)
        else { return false }
        var live: UnsafeMutablePointer<UInt8>?
        if validate {
            // One byte more than blocks: a sentinel, always 0, that the free path's clamped
            // index reads for a pointer out of range.
            guard let raw = _RawMemory.allocate(byteCount: count + 1, alignment: 1) else {
                _RawMemory.free(memory)
                return false
            }
            live = raw.bindMemory(to: UInt8.self, capacity: count + 1)
            live!.initialize(repeating: 0, count: count + 1)
        }
        let start = Int(bitPattern: memory)
        precondition(start < 1 << 56, "the platform returned an address above 2^56")
        slabs[slabCount] = _PoolSlab(start: start, end: start + count * stride, blockCount: count, live: live)
        if slabCount == 0 {
            base0 = start
            blockCount0 = count
            live0 = indexer.shift >= 0 ? live : nil
        }
        if untouched == untouchedEnd {
            untouchedSlab = slabCount
            untouchedLive = live
            untouched = start
            untouchedEnd = start + count * stride
        }
        slabCount += 1
        blockCount += count
        return true
    }

    /// The slab holding `address`, or nil for memory that is not this pool's.
    @inlinable
    @inline(__always)
    mutating func slab(containing address: Int) -> Int? {
        if address >= slabs[0].start, address < slabs[0].end { return 0 }
        return laterSlab(containing: address)
    }

    @usableFromInline
    mutating func laterSlab(containing address: Int) -> Int? {
        var i = 1
        while i < slabCount {
            if address >= slabs[i].start, address < slabs[i].end { return i }
            i += 1
        }
        return nil
    }

    /// The free-list link of a validated block at `address` in `slab`.
    @inlinable
    func link(address: Int, slab: Int) -> UInt64 {
        slab == 0 && live0 != nil
            ? UInt64(truncatingIfNeeded: address) : _FreeLink.make(address: address, slab: slab &+ 1)
    }

    /// Starts over with every block untouched, after a reset.
    @usableFromInline
    mutating func rewindUntouched() {
        untouchedSlab = 0
        untouchedLive = slabs[0].live
        untouched = slabs[0].start
        untouchedEnd = slabs[0].end
    }

    /// Continues with the next slab's blocks once the current slab's untouched ones are gone.
    @usableFromInline
    mutating func advanceUntouched() -> Bool {
        let next = untouchedSlab + 1
        guard next < slabCount else { return false }
        untouchedSlab = next
        untouchedLive = slabs[next].live
        untouched = slabs[next].start
        untouchedEnd = slabs[next].end
        return true
    }

    /// Moves to the next generation, so that every block counts as free; clears the live maps
    /// when the generation wraps.
    @usableFromInline
    mutating func nextGeneration() {
        generation &+= 1
        guard generation == 0 else { return }
        generation = 1
        for i in 0..<slabCount {
            slabs[i].live?.update(repeating: 0, count: slabs[i].blockCount)
        }
    }

    @usableFromInline
    mutating func releaseAll() {
        for i in 0..<slabCount {
            _RawMemory.free(UnsafeMutableRawPointer(bitPattern: slabs[i].start))
            _RawMemory.free(slabs[i].live)
        }
        slabCount = 0
        slabs.deallocate()
        counters?.deallocate()
    }
}
