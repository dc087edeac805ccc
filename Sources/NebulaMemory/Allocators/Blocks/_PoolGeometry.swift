/// The validated shape of a pool: what ``PoolAllocator`` and ``ConcurrentPoolAllocator``
/// check before taking any memory.
@usableFromInline
struct _PoolGeometry {
    /// Bytes from one block to the next: the block size (and its canary when hardened), at
    /// least one free-list link, rounded up to the alignment.
    @usableFromInline let stride: Int
    @usableFromInline let maxBlockCount: Int
    @usableFromInline let slabAlignment: Int

    /// The largest slab: block indices and offsets stay within 32 bits.
    @inlinable static var maxSlabBytes: Int { Int(UInt32.max) }
    /// Growth doubles a pool, so 40 slabs are more than any address space holds.
    @inlinable static var maxSlabs: Int { 40 }

    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for a block size or count below 1, an alignment
    ///   that is not a power of two in `1...4096`, a slab over 4 GiB, or a growth maximum below
    ///   `blockCount`.
    @usableFromInline
    init(
        blockSize: Int, blockAlignment: Int, blockCount: Int, growth: PoolAllocator.Configuration.Growth,
        canaryBytes: Int = 0
    ) throws(AllocError) {
        guard blockSize > 0 else {
            throw AllocError.badConfiguration("blockSize must be at least 1 byte", value: "blockSize: \(blockSize)")
        }
        guard blockAlignment > 0, blockAlignment <= Layout.maximumAlignment, blockAlignment & (blockAlignment - 1) == 0
        else {
            throw AllocError.badConfiguration(
                "blockAlignment must be a power of two in 1...\(Layout.maximumAlignment)",
                value: "blockAlignment: \(blockAlignment)")
        }
        guard blockCount > 0 else {
            throw AllocError.badConfiguration("blockCount must be at least 1", value: "blockCount: \(blockCount)")
        }
        guard blockSize <= Self.maxSlabBytes else {
            throw AllocError.badConfiguration("blockSize must be below 4 GiB", value: "blockSize: \(blockSize)")
        }
        stride = _alignUp(Swift.max(blockSize + canaryBytes, MemoryLayout<UInt64>.size), blockAlignment)
        guard blockCount <= Self.maxSlabBytes / stride else {
            throw AllocError.badConfiguration(
                "one slab must stay below 4 GiB; use fewer blocks with .growing",
                value: "blockCount: \(blockCount), block stride: \(stride)")
        }
        var maxBlockCount = blockCount
        if case .growing(let maximum) = growth {
            guard maximum >= blockCount else {
                throw AllocError.badConfiguration(
                    "maxBlockCount must be at least blockCount",
                    value: "blockCount: \(blockCount), maxBlockCount: \(maximum)")
            }
            maxBlockCount = maximum
        }
        self.maxBlockCount = maxBlockCount
        slabAlignment = Swift.max(blockAlignment, 16)
    }

    /// Blocks of the next slab when a pool of `blockCount` grows: it doubles, within the limit
    /// and the largest slab.
    @usableFromInline
    func growthBlocks(current blockCount: Int) -> Int {
        Self.growthBlocks(current: blockCount, maximum: maxBlockCount, stride: stride)
    }

    /// Blocks of the next slab when a pool of `blockCount` blocks of `stride` bytes, allowed
    /// `maximum`, grows.
    @usableFromInline
    static func growthBlocks(current blockCount: Int, maximum: Int, stride: Int) -> Int {
        Swift.min(blockCount, maximum - blockCount, maxSlabBytes / stride)
    }
}
