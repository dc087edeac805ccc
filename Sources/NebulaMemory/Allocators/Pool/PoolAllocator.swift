/// A pool of fixed-size blocks: O(1) allocation and free from an intrusive free list.
///
/// The allocator for objects of one size that come and go at high rates: workflow nodes,
/// connections, message buffers.
///
/// ```swift
/// let pool = try PoolAllocator(blockSize: 64, blockAlignment: 16, blockCount: 4096)
/// let block = try pool.allocateBlock()
/// try pool.deallocateBlock(block)
/// try pool.deallocateBlock(block)   // throws ALLOC_DOUBLE_FREE; the pool is unchanged
/// ```
///
/// Implementation Notes: blocks come from slabs; a free block holds the free list's link
/// (so a block takes at least 8 bytes). With `validatePointers` (the default) a byte per block
/// marks live blocks, so a foreign, interior or already-freed pointer is reported instead of
/// corrupting the pool; the block index comes from a shift (or one multiplication for
/// strides that are not powers of two), never a division.
///
/// - Complexity: `allocateBlock` and `deallocateBlock` O(1) (O(slabs) to find a grown pool's
///   slab, at most 40); `reset` O(1) (amortized with validation: every 255th reset clears
///   the map of live blocks).
/// - Important: not thread-safe and therefore not `Sendable`; use `ConcurrentPoolAllocator`
///   to share a pool between tasks.
public final class PoolAllocator: ResettableAllocator {
    @usableFromInline
    let _state: UnsafeMutablePointer<_PoolState>

    /// The usable bytes of each block.
    public let blockSize: Int
    /// The alignment of every block.
    public let blockAlignment: Int
    /// The configuration the pool was created with.
    public let configuration: Configuration

    /// Creates a pool of `blockCount` blocks of `blockSize` bytes aligned to `blockAlignment`.
    ///
    /// - Parameters:
    ///   - blockSize: the usable bytes of each block, at least 1.
    ///   - blockAlignment: a power of two, at most one page.
    ///   - blockCount: the blocks to start with, at least 1.
    ///   - configuration: growth, checks and statistics.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for a block size or count below 1, an alignment
    ///   that is not a power of two in `1...4096`, a slab over 4 GiB, or a growth maximum below
    ///   `blockCount`; `ALLOC_OUT_OF_MEMORY` when the system has no memory for the slab.
    public init(
        blockSize: Int, blockAlignment: Int = 16, blockCount: Int, configuration: Configuration = .default
    ) throws(AllocError) {
        let geometry = try _PoolGeometry(
            blockSize: blockSize, blockAlignment: blockAlignment, blockCount: blockCount, growth: configuration.growth,
            canaryBytes: configuration.hardened ? _Canary.size : 0)
        let stride = geometry.stride
        let maxBlockCount = geometry.maxBlockCount
        self.blockSize = blockSize
        self.blockAlignment = blockAlignment
        self.configuration = configuration
        _state = .allocate(capacity: 1)
        _state.initialize(
            to: _PoolState(
                stride: stride, blockSize: blockSize, blockAlignment: blockAlignment,
                slabAlignment: geometry.slabAlignment,
                maxBlockCount: maxBlockCount, configuration: configuration))
        // Every stored property is set: a throw now runs deinit, which frees the state.
        guard _state.pointee.addSlab(blocks: blockCount) else {
            throw AllocError.systemOutOfMemory(bytes: blockCount * stride, allocatorKind: .pool)
        }
    }

    deinit {
        _state.pointee.releaseAll()
        _state.deinitialize(count: 1)
        _state.deallocate()
    }

    /// Blocks the pool holds now (grows with `.growing`).
    public var blockCount: Int { _state.pointee.blockCount }
    /// Blocks ready to be handed out without growing.
    public var freeBlockCount: Int { _state.pointee.blockCount - _state.pointee.inUse }
    /// Blocks handed out and not yet freed.
    public var usedBlockCount: Int { _state.pointee.inUse }

    /// The pool's counters (bytes are whole blocks), or nil when `trackStatistics` is off.
    ///
    /// - Complexity: O(slabs).
    public var statistics: AllocatorStatistics? {
        let s = _state.pointee
        guard s.trackStatistics else { return nil }
        var statistics = AllocatorStatistics(
            counters: s.counters, deallocations: s.frees, bytesInUse: s.inUse * blockSize,
            peakBytesInUse: s.peakInUse() * blockSize, resets: s.resets)
        // Blocks asked for whole (`allocateBlock()`) are requests of the block size.
        let wholeBlocks = s.allocations - statistics.allocations
        statistics.sizeClasses.add(wholeBlocks, toClass: _sizeClass(blockSize))
        statistics.allocations = s.allocations
        return statistics
    }

    /// Marks every block free at once; pointers handed out before are dangling afterwards.
    /// Slabs added by growth are kept.
    ///
    /// - Important: in hardened mode the reset checks the canary of every block in use first.
    ///   It cannot throw, so a damaged canary stops the process with the error's description:
    ///   the one case where corruption traps. Call ``resetVerifying()`` to get the error thrown
    ///   instead.
    /// - Complexity: O(1); every 255th reset with pointer validation clears the live map, in
    ///   O(blocks). Hardened: O(blocks).
    @inlinable
    public func reset() {
        _state.pointee.reset()
    }
}
