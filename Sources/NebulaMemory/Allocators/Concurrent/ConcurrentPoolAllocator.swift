import Synchronization

/// A pool of fixed-size blocks that any number of threads and tasks can use at once.
///
/// The pool for node instances, connections and buffers shared by a parallel engine: blocks
/// are taken and returned from any thread, with the same checks as ``PoolAllocator``.
///
/// ```swift
/// let pool = try ConcurrentPoolAllocator(blockSize: 256, blockCount: 64 * 1024)
/// await withTaskGroup(of: Void.self) { group in
///     for _ in 0..<8 {
///         group.addTask {
///             guard let block = try? pool.allocateBlock() else { return }
///             defer { try? pool.deallocateBlock(block) }
///             // use the 256 bytes
///         }
///     }
/// }
/// ```
///
/// Implementation Notes: per-thread caches in front of a striped depot. Each thread keeps two
/// magazines of free blocks (arrays of up to 128, together a sixteenth of the pool; no cache
/// under 32 blocks) and a run of never-used blocks in a slot of its own; taking or returning a
/// block there needs no lock, and the allocator never writes into a free block. Runs of
/// untouched blocks come from one atomic cursor (a compare-and-exchange per run); a cache
/// whose magazines are both full gives one to its stripe of the depot (eight stripes, each
/// behind its own lock) for an empty one, and a cache whose magazines are both empty takes a
/// full one from its stripe, then untouched blocks, then the other stripes. Double frees and
/// foreign pointers are caught as in ``PoolAllocator``: a live byte per block is swapped
/// atomically, so of two racing frees of one block exactly one succeeds; that swap is the
/// fast path's one locked instruction.
///
/// - Note: blocks in other threads' caches count as free but are not handed out elsewhere:
///   a pool can report `ALLOC_POOL_EXHAUSTED` while up to (threads × 2 × cache size) blocks
///   sit in caches (magazines and untouched runs). Pools of fewer than 32 blocks keep no
///   caches and have no such slack.
/// - Important: ``reset()`` requires that no other thread uses the pool meanwhile.
/// - Complexity: `allocateBlock` and `deallocateBlock` O(1); lock-free while the thread's
///   cache serves them.
public final class ConcurrentPoolAllocator: ResettableAllocator, @unchecked Sendable {
    // Safe to share: mutable state is atomic, inside a mutex, in slab table entries that are
    // written once before their count is published, or in thread caches that only the thread
    // holding the slot's index touches (see `_ThreadSlot`).

    @usableFromInline let _caches: UnsafeMutableRawPointer
    /// `_Locked<_DepotStripe>` values, one per cache line.
    @usableFromInline let _stripes: UnsafeMutableRawPointer
    /// Incremented by a reset: thread caches of an older epoch are void.
    @usableFromInline let _epoch = Atomic<UInt64>(1)
    /// What a live block's byte holds, 1...255; a reset moves to the next (see `_PoolSlab.live`).
    @usableFromInline let _generation = Atomic<UInt8>(1)
    @usableFromInline let _slabs: UnsafeMutablePointer<_ConcurrentSlab>
    @usableFromInline let _slabCount = Atomic<Int>(0)
    /// The next untouched block: slab index << 32 | block index.
    @usableFromInline let _untouched = Atomic<Int>(0)
    @usableFromInline let _blockCount = Atomic<Int>(0)
    /// Blocks out of the depot and the untouched slabs (in use or in caches), and their peak.
    @usableFromInline let _out = Atomic<Int>(0)
    @usableFromInline let _peakOut = Atomic<Int>(0)
    @usableFromInline let _indexer: _BlockIndexer
    @usableFromInline let _geometry: _PoolGeometry
    @usableFromInline let _validate: Bool
    /// A free of a first-slab block is validated inline (a power-of-two stride, no canary).
    @usableFromInline let _inlineRelease: Bool
    /// Every allocation and free skips the thread caches for the slow path (debug fill,
    /// canaries).
    @usableFromInline let _alwaysSlow: Bool
    /// The canary's key (hardened), or 0.
    @usableFromInline let _canaryKey: UInt64
    /// Links per magazine, half a thread cache; 0 for a pool too small for caches.
    @usableFromInline let _magazineCapacity: Int
    @usableFromInline let _sharedAllocations = Atomic<Int>(0)
    @usableFromInline let _sharedDeallocations = Atomic<Int>(0)
    /// Requests by size class, per thread, and failures; nil when statistics are off.
    @usableFromInline let _counters: _AllocatorCounterRows?
    @usableFromInline let _growth = _Locked(_PoolGrowthState())

    /// Depot stripes; a power of two.
    @usableFromInline static let stripeCount = 8

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
    /// - Throws: as ``PoolAllocator/init(blockSize:blockAlignment:blockCount:configuration:)``.
    public init(
        blockSize: Int, blockAlignment: Int = 16, blockCount: Int, configuration: Configuration = .default
    ) throws(AllocError) {
        _geometry = try _PoolGeometry(
            blockSize: blockSize, blockAlignment: blockAlignment, blockCount: blockCount, growth: configuration.growth,
            canaryBytes: configuration.hardened ? _Canary.size : 0)
        self.blockSize = blockSize
        self.blockAlignment = blockAlignment
        self.configuration = configuration
        _indexer = _BlockIndexer(stride: _geometry.stride)
        _validate = configuration.validatePointers || configuration.hardened
        _inlineRelease = !configuration.hardened && _indexer.shift >= 0
        _alwaysSlow = configuration.debugFill || configuration.hardened
        _canaryKey = configuration.hardened ? _Canary.makeKey() : 0
        _magazineCapacity = Swift.min(256, _geometry.maxBlockCount / 16) / 2
        _slabs = .allocate(capacity: _PoolGeometry.maxSlabs)
        _caches = _ThreadSlot.allocate { _PoolThreadCache() }
        _stripes = _ThreadSlot.allocate(slots: Self.stripeCount) { _Locked(_DepotStripe()) }
        _counters = configuration.trackStatistics ? _AllocatorCounterRows() : nil
        // Every stored property is set: a throw now runs deinit, which frees what was made.
        guard _addSlab(blocks: blockCount) else {
            throw AllocError.systemOutOfMemory(bytes: blockCount * _geometry.stride, allocatorKind: .pool)
        }
    }

    deinit {
        _releaseMagazines()
        for index in 0..<_slabCount.load(ordering: .acquiring) {
            let slab = _slabs[index]
            _RawMemory.free(UnsafeMutableRawPointer(bitPattern: slab.start))
            if let live = slab.live {
                live.deinitialize(count: slab.blockCount)
                live.deallocate()
            }
        }
        _slabs.deallocate()
        _ThreadSlot.deallocate(_caches, as: _PoolThreadCache.self)
        _ThreadSlot.deallocate(_stripes, slots: Self.stripeCount, as: _Locked<_DepotStripe>.self)
        _counters?.deallocate()
    }

    /// Blocks the pool holds now (grows with `.growing`).
    public var blockCount: Int { _blockCount.load(ordering: .acquiring) }

    /// Blocks handed out and not yet freed. Exact when no other thread is using the pool;
    /// while threads work, it may miss their last few operations.
    ///
    /// - Complexity: one pass over the per-thread slots.
    public var usedBlockCount: Int {
        let (allocations, deallocations) = _counts()
        return allocations - deallocations - _growth.withLock { $0.releasedByReset }
    }

    /// Blocks not handed out: in the depot, untouched, or in threads' caches.
    ///
    /// - Complexity: that of ``usedBlockCount``.
    public var freeBlockCount: Int { blockCount - usedBlockCount }

    /// The pool's counters (bytes are whole blocks), or nil when `trackStatistics` is off. The
    /// peak counts blocks out of the depot, those cached by threads included.
    ///
    /// - Complexity: one pass over the per-thread slots.
    public var statistics: AllocatorStatistics? {
        guard configuration.trackStatistics else { return nil }
        let (allocations, deallocations) = _counts()
        let (resets, released) = _growth.withLock { ($0.resets, $0.releasedByReset) }
        var statistics = AllocatorStatistics(
            counters: nil, deallocations: deallocations,
            bytesInUse: (allocations - deallocations - released) * blockSize,
            peakBytesInUse: _peakOut.load(ordering: .relaxed) * blockSize, resets: resets)
        _counters?.add(to: &statistics)
        // The block counts are the exact ones; the rows, read a moment apart, may differ.
        statistics.allocations = allocations
        return statistics
    }

    private func _counts() -> (allocations: Int, deallocations: Int) {
        var allocations = _sharedAllocations.load(ordering: .acquiring)
        var deallocations = _sharedDeallocations.load(ordering: .acquiring)
        for index in 0..<_ThreadSlot.count {
            let cache = _ThreadSlot.slot(_caches, index, as: _PoolThreadCache.self)
            allocations += cache.pointee.allocations.load(ordering: .acquiring)
            deallocations += cache.pointee.deallocations.load(ordering: .acquiring)
        }
        return (allocations, deallocations)
    }

    /// Marks every block free at once and voids every thread's cache; pointers handed out
    /// before are dangling afterwards. Slabs added by growth are kept.
    ///
    /// - Important: no other thread may use the pool meanwhile.
    /// - Important: in hardened mode the reset checks the canary of every block in use first.
    ///   It cannot throw, so a damaged canary stops the process with the error's description:
    ///   call ``resetVerifying()`` to get the error thrown instead.
    /// - Complexity: O(1) plus O(threads); every 255th reset with pointer validation clears the
    ///   live map, in O(blocks); O(blocks) in hardened mode.
    public func reset() {
        if configuration.hardened { _verifyBeforeReset() }
        let (allocations, deallocations) = _counts()
        _growth.withLock { growth in
            var generation = _generation.load(ordering: .relaxed) &+ 1
            if generation == 0 { generation = 1 }
            for index in 0..<_slabCount.load(ordering: .acquiring) {
                let slab = _slabs[index]
                // The map is cleared only when the generation wraps, every 255th reset.
                if generation == 1, let live = slab.live {
                    for block in 0..<slab.blockCount { live[block].store(0, ordering: .relaxed) }
                }
                if configuration.debugFill {
                    _RawMemory.fill(
                        UnsafeMutableRawPointer(bitPattern: slab.start)!, byte: _FillPattern.reclaimed,
                        count: slab.end - slab.start)
                }
            }
            _generation.store(generation, ordering: .releasing)
            _emptyDepot()
            _untouched.store(0, ordering: .releasing)
            _out.store(0, ordering: .relaxed)
            growth.releasedByReset = allocations - deallocations
            growth.resets += 1
            _epoch.add(1, ordering: .releasing)
        }
    }

    @usableFromInline
    func _stripe(_ index: Int) -> UnsafeMutablePointer<_Locked<_DepotStripe>> {
        _ThreadSlot.slot(_stripes, index & (Self.stripeCount - 1), as: _Locked<_DepotStripe>.self)
    }

    /// Adds a slab of `count` blocks to the table; false when the system has no memory or the
    /// table is full. Called during `init`, or under the growth lock.
    func _addSlab(blocks count: Int) -> Bool {
        let index = _slabCount.load(ordering: .acquiring)
        guard index < _PoolGeometry.maxSlabs,
            let memory = _RawMemory.allocate(byteCount: count * _geometry.stride, alignment: _geometry.slabAlignment)
        else { return false }
        var live: UnsafeMutablePointer<Atomic<UInt8>>?
        if _validate {
            let flags = UnsafeMutablePointer<Atomic<UInt8>>.allocate(capacity: count)
            for block in 0..<count { (flags + block).initialize(to: Atomic(0)) }
            live = flags
        }
        let start = Int(bitPattern: memory)
        precondition(start < 1 << 56, "the platform returned an address above 2^56")
        (_slabs + index).initialize(
            to: _ConcurrentSlab(start: start, end: start + count * _geometry.stride, blockCount: count, live: live))
        _slabCount.store(index + 1, ordering: .releasing)
        _blockCount.add(count, ordering: .releasing)
        return true
    }
}
