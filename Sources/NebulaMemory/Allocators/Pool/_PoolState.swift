/// One contiguous run of blocks taken from the system, with its bitmap of live blocks.
@usableFromInline
struct _PoolSlab {
    @usableFromInline var start: Int
    @usableFromInline var end: Int
    @usableFromInline var blockCount: Int
    /// Bit `i` is set while block `i` is handed out; allocated only when pointers are validated.
    @usableFromInline var liveBits: UnsafeMutablePointer<UInt64>?
}

/// What a free block holds while it sits in the free list. The slab and index let
/// `allocate` mark the block live without searching for its slab.
@usableFromInline
struct _FreeBlock {
    @usableFromInline var next: Int
    @usableFromInline var slab: UInt32
    @usableFromInline var index: UInt32

    @inlinable
    init(next: Int, slab: UInt32, index: UInt32) {
        self.next = next
        self.slab = slab
        self.index = index
    }
}

/// The mutable state of a ``PoolAllocator``, behind a pointer for the same reason as
/// `_BumpState`: no exclusivity checks on the hot path.
///
/// Blocks are handed out from the free list first, then from the untouched tail of the
/// slabs, so creating or resetting a pool never walks its blocks.
@usableFromInline
struct _PoolState {
    @usableFromInline var freeHead = 0
    /// Next never-used block and the end of its slab.
    @usableFromInline var untouched: Int
    @usableFromInline var untouchedEnd: Int
    @usableFromInline var untouchedSlab: UInt32 = 0
    @usableFromInline var untouchedIndex: UInt32 = 0
    @usableFromInline let stride: Int
    @usableFromInline let validate: Bool
    @usableFromInline let debugFill: Bool
    @usableFromInline let trackStatistics: Bool
    @usableFromInline var inUse = 0
    @usableFromInline var peakInUse = 0
    @usableFromInline var allocations = 0
    @usableFromInline var deallocations = 0
    @usableFromInline var failedAllocations = 0
    @usableFromInline var resets = 0
    @usableFromInline var slabs: UnsafeMutablePointer<_PoolSlab>
    @usableFromInline var slabCount = 0
    @usableFromInline let maxSlabs = 40
    @usableFromInline var blockCount = 0
    @usableFromInline let maxBlockCount: Int
    @usableFromInline let divisor: _FastDivisor
    @usableFromInline let slabAlignment: Int

    /// The largest slab: block indices and offsets stay within 32 bits.
    @usableFromInline static let maxSlabBytes = Int(UInt32.max)

    @usableFromInline
    init(stride: Int, slabAlignment: Int, maxBlockCount: Int, configuration: PoolAllocator.Configuration) {
        self.stride = stride
        self.slabAlignment = slabAlignment
        self.maxBlockCount = maxBlockCount
        self.validate = configuration.validatePointers
        self.debugFill = configuration.debugFill
        self.trackStatistics = configuration.trackStatistics
        self.divisor = _FastDivisor(stride)
        self.slabs = .allocate(capacity: maxSlabs)
        self.untouched = 0
        self.untouchedEnd = 0
    }

    /// Adds a slab of `count` blocks; false when the system has no memory for it.
    @usableFromInline
    mutating func addSlab(blocks count: Int) -> Bool {
        guard slabCount < maxSlabs,
            let memory = _RawMemory.allocate(byteCount: count * stride, alignment: slabAlignment)
        else { return false }
        var bits: UnsafeMutablePointer<UInt64>?
        if validate {
            let words = (count + 63) / 64
            guard let raw = _RawMemory.allocate(byteCount: words * 8, alignment: 8) else {
                _RawMemory.free(memory)
                return false
            }
            bits = raw.bindMemory(to: UInt64.self, capacity: words)
            bits!.initialize(repeating: 0, count: words)
        }
        let start = Int(bitPattern: memory)
        slabs[slabCount] = _PoolSlab(start: start, end: start + count * stride, blockCount: count, liveBits: bits)
        if untouched == untouchedEnd {
            untouchedSlab = UInt32(slabCount)
            untouchedIndex = 0
            untouched = start
            untouchedEnd = start + count * stride
        }
        slabCount += 1
        blockCount += count
        return true
    }

    /// The slab holding `address`, or nil for memory that is not this pool's.
    @inlinable
    func slab(containing address: Int) -> Int? {
        if address >= slabs[0].start, address < slabs[0].end { return 0 }
        var i = 1
        while i < slabCount {
            if address >= slabs[i].start, address < slabs[i].end { return i }
            i += 1
        }
        return nil
    }

    @inlinable
    func setLive(slab: Int, index: Int) {
        slabs[slab].liveBits.unsafelyUnwrapped[index &>> 6] |= 1 &<< UInt64(index & 63)
    }

    /// Moves the untouched cursor to the next slab with untouched blocks, after a reset.
    @usableFromInline
    mutating func rewindUntouched() {
        untouchedSlab = 0
        untouchedIndex = 0
        untouched = slabs[0].start
        untouchedEnd = slabs[0].end
    }

    /// Continues with the next slab's blocks once the current slab's untouched ones are gone.
    @usableFromInline
    mutating func advanceUntouched() -> Bool {
        let next = Int(untouchedSlab) + 1
        guard next < slabCount else { return false }
        untouchedSlab = UInt32(next)
        untouchedIndex = 0
        untouched = slabs[next].start
        untouchedEnd = slabs[next].end
        return true
    }

    @usableFromInline
    mutating func releaseAll() {
        for i in 0..<slabCount {
            _RawMemory.free(UnsafeMutableRawPointer(bitPattern: slabs[i].start))
            _RawMemory.free(slabs[i].liveBits)
        }
        slabCount = 0
        slabs.deallocate()
    }
}
