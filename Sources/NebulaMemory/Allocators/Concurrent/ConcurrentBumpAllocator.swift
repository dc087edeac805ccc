import Synchronization

/// A bump arena that any number of threads and tasks can allocate from at once.
///
/// The arena of a workflow execution whose nodes run in parallel: every node allocates from
/// it without coordination, and the execution's end frees everything with ``reset()``.
///
/// ```swift
/// let arena = try ConcurrentBumpAllocator(capacity: 1 << 20)
/// try await withThrowingTaskGroup(of: Void.self) { group in
///     for node in nodes {
///         group.addTask { try node.run(allocatingFrom: arena) }
///     }
///     try await group.waitForAll()
/// }
/// try arena.reset()   // every task is done: nothing else uses the arena now
/// ```
///
/// Implementation Notes: each thread takes a private buffer (a few KiB) from the shared arena
/// with one compare-and-exchange on the arena's position, then allocates inside it with plain
/// arithmetic: no lock and no atomic read-modify-write on the fast path, and no cache line
/// written by two threads. Adding a chunk takes a lock. What is left of a thread's buffer when
/// it takes a new one stays unused until the next reset or restore. Requests larger than a
/// quarter of a buffer, and threads beyond the 64 that get a private slot, are carved from
/// the shared arena directly.
///
/// - Important: ``reset()``, ``checkpoint()``, ``restore(to:)`` and ``withScope(_:)`` require
///   that no other thread allocates from the arena meanwhile (for example, run them after the
///   tasks that use it have finished). With `detectConcurrentMisuse` (in ``Configuration/debug``)
///   an overlap is reported as `ALLOC_CONCURRENT_ACCESS` instead of corrupting memory.
/// - Complexity: `allocate` and `deallocate` O(1); `reset` O(1) plus one step per value
///   deinitialized and per extra chunk.
public final class ConcurrentBumpAllocator: ResettableAllocator, @unchecked Sendable {
    // Safe to share: every mutable field is an atomic, lives inside the mutex, or is a thread
    // buffer in `_buffers` that only the thread holding that slot's index touches (indices are
    // unique among live threads; see `_ThreadSlot`). Memory handed out belongs to the caller.

    @usableFromInline let _id = _makeAllocatorID()
    /// Incremented by reset, checkpoint and restore: thread buffers of an older epoch are void.
    @usableFromInline let _epoch = Atomic<UInt64>(1)
    @usableFromInline let _buffers: UnsafeMutableRawPointer
    /// Every allocation and free skips the thread buffers for the slow path (debug fill or
    /// misuse detection).
    @usableFromInline let _alwaysSlow: Bool
    @usableFromInline let _trackStatistics: Bool
    @usableFromInline let _bufferSize: Int
    /// The arena position of the next byte to hand out (positions grow across chunks).
    @usableFromInline let _carve = Atomic<Int>(0)
    /// The address of the newest carve from the shared arena (a thread buffer or a large
    /// request), or 0: only that carve may be given back by a free.
    @usableFromInline let _newestCarve = Atomic<Int>(0)
    /// The address of the current chunk's header.
    @usableFromInline let _chunk: Atomic<Int>
    @usableFromInline let _dropHead = Atomic<Int>(0)
    @usableFromInline let _dropKey = UInt.random(in: .min ... .max)
    /// Allocations in flight (misuse detection only), or `Int.min` during a reset or restore.
    @usableFromInline let _activity = Atomic<Int>(0)
    /// Requests of threads without a slot or carved from the shared arena, and failures of
    /// every thread; nil when statistics are off.
    @usableFromInline let _sharedCounters: _AllocatorCounters?
    @usableFromInline let _sharedDeallocations = Atomic<Int>(0)
    /// Set once a `MemoryRegistry` holds the arena: a closing memory context then does not
    /// recycle it.
    let _registered = Atomic<Bool>(false)
    @usableFromInline let _state: _Locked<_ConcurrentArenaState>
    /// Usable bytes in all chunks, kept beside the locked state so that reading it (for an
    /// error's description, say) never needs the lock.
    @usableFromInline let _capacity: Atomic<Int>

    /// The configuration the arena was created with.
    public let configuration: Configuration

    /// Creates an arena with `capacity` usable bytes in its first chunk.
    ///
    /// With a `budget`, the arena charges it per chunk, as ``BumpAllocator`` does (see
    /// ``BumpAllocator/init(capacity:configuration:budget:)``): the budget counts the arena's
    /// ``capacity``, and allocations inside a chunk touch no budget counter.
    ///
    /// - Parameters:
    ///   - capacity: usable bytes of the first chunk, at least 1.
    ///   - configuration: growth, checks, statistics and the thread buffer size.
    ///   - budget: the budget to charge for each chunk, or nil for none.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for a capacity or chunk size below 1, a maximum
    ///   below `capacity`, or a negative `threadBufferSize`; `ALLOC_BUDGET_EXCEEDED` when
    ///   `budget` denies the first chunk; `ALLOC_OUT_OF_MEMORY` when the system has no memory
    ///   for it.
    public init(capacity: Int, configuration: Configuration = .default, budget: MemoryBudget? = nil)
        throws(AllocError)
    {
        guard configuration.threadBufferSize >= 0 else {
            throw AllocError.badConfiguration(
                "threadBufferSize must be 0 (automatic) or more",
                value: "threadBufferSize: \(configuration.threadBufferSize)")
        }
        let chunks = try _ArenaChunkList(capacity: capacity, growth: configuration.growth, budget: budget)
        let first = chunks.first
        self.configuration = configuration
        _alwaysSlow = configuration.debugFill || configuration.detectConcurrentMisuse
        _trackStatistics = configuration.trackStatistics
        if configuration.threadBufferSize > 0 {
            _bufferSize = configuration.threadBufferSize
        } else {
            var sizing = capacity
            if case .chunked(let chunkSize, _) = configuration.growth { sizing = Swift.max(capacity, chunkSize) }
            _bufferSize = Swift.min(Swift.max(sizing / 64, 256), 32 * 1024)
        }
        _chunk = Atomic(Int(bitPattern: first))
        _state = _Locked(_ConcurrentArenaState(chunks: chunks))
        _capacity = Atomic(first.pointee.capacity)
        _buffers = _ThreadSlot.allocate { _ArenaThreadBuffer() }
        _sharedCounters = configuration.trackStatistics ? _AllocatorCounters() : nil
        if configuration.debugFill {
            _RawMemory.fill(
                UnsafeMutableRawPointer(bitPattern: _ArenaChunk.start(of: first))!, byte: _FillPattern.reclaimed,
                count: capacity)
        }
    }

    deinit {
        var drops = _DropList(
            head: UnsafeMutablePointer(bitPattern: _dropHead.load(ordering: .acquiring)), key: _dropKey)
        drops.run(until: nil)
        _state.withLock { state in
            if configuration.zeroOnReset {
                let current = UnsafeMutablePointer<_ArenaChunk>(bitPattern: _chunk.load(ordering: .acquiring))!
                _scrub(from: state.chunks.first, position: 0, through: current, end: _carve.load(ordering: .acquiring))
            }
            state.points.deallocate()
            state.chunks.freeAll()
        }
        _ThreadSlot.deallocate(_buffers, as: _ArenaThreadBuffer.self)
        _sharedCounters?.deallocate()
    }

    /// Usable bytes in all chunks the arena holds now.
    public var capacity: Int { _capacity.load(ordering: .acquiring) }

    /// The budget charged for the arena's chunks, if any.
    public var budget: MemoryBudget? { _state.withLock { $0.chunks.budget } }

    /// Moves the charge for every chunk held from the arena's budget to `budget`; on a denial
    /// the arena keeps no budget and the error is returned. For an arena no thread uses.
    func _rebind(to budget: MemoryBudget?) -> AllocError? {
        _state.withLock { $0.chunks.rebind(to: budget) }
    }

    /// Bytes taken from the arena since the last reset: what threads allocated, plus the unused
    /// rest of their current buffers and alignment padding.
    public var used: Int { _carve.load(ordering: .acquiring) }

    /// Bytes that can still be taken: room in the current chunk, spare chunks, and what
    /// chunked growth may still add.
    ///
    /// - Complexity: O(spare chunks), under the arena's lock.
    public var available: Int {
        _state.withLock { state in
            let chunk = UnsafeMutablePointer<_ArenaChunk>(bitPattern: _chunk.load(ordering: .acquiring))!
            let rest = chunk.pointee.base + chunk.pointee.capacity - _carve.load(ordering: .acquiring)
            return state.chunks.available(in: chunk, room: rest)
        }
    }

    /// The arena's counters, or nil when `trackStatistics` is off.
    ///
    /// Counts are summed over the threads' slots; while other threads allocate, a snapshot may
    /// miss their last few operations.
    ///
    /// - Complexity: one pass over the per-thread slots.
    public var statistics: AllocatorStatistics? {
        guard _trackStatistics else { return nil }
        let used = self.used
        let (peak, resets) = _state.withLock { ($0.peak, $0.resets) }
        var statistics = AllocatorStatistics(
            counters: _sharedCounters, deallocations: _sharedDeallocations.load(ordering: .relaxed), bytesInUse: used,
            peakBytesInUse: Swift.max(peak, used), resets: resets)
        for index in 0..<_ThreadSlot.count {
            let buffer = _ThreadSlot.slot(_buffers, index, as: _ArenaThreadBuffer.self)
            buffer.pointee.countersRow?.add(to: &statistics)
            statistics.deallocations += buffer.pointee.deallocations.load(ordering: .relaxed)
        }
        return statistics
    }

    @usableFromInline
    func _exhausted(_ layout: Layout, _ state: borrowing _ConcurrentArenaState) -> AllocError {
        let used = self.used
        return AllocError(
            .arenaExhausted, "concurrent bump arena has insufficient space", layout: layout, allocatorKind: .arena,
            capacity: state.chunks.capacity, used: used, available: Swift.max(0, state.chunks.maxCapacity - used))
    }
}
