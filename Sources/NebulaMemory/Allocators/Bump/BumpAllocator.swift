/// A bump (arena) allocator: allocation moves a cursor forward, and everything is freed at
/// once by ``reset()``, by restoring a ``Checkpoint``, or when a ``withScope(_:)`` ends.
///
/// This is the allocator for one workflow execution: every node of the execution allocates
/// from the arena, and the execution's end frees it all in O(1).
///
/// ```swift
/// let arena = try BumpAllocator(capacity: 1 << 20)
/// let buffer = try arena.allocate(UInt8.self, count: 4096)
/// let name = try arena.create("http-request")   // deinitialized by the reset below
/// try arena.withScope { scratch in
///     _ = try scratch.allocate(Layout(size: 256, alignment: 16))   // freed when the scope ends
/// }
/// arena.reset()
/// ```
///
/// Implementation Notes: memory comes in chunks from the system (one for `.fixed` growth).
/// `deallocate` reclaims the newest allocation only, and accepts any other live pointer as a
/// no-op. Values created with ``create(_:)`` whose type is not trivially copyable (classes,
/// strings, arrays) are deinitialized, newest first, when their memory is reclaimed; trivial
/// types pay nothing for this.
///
/// - Complexity: `allocate`, `deallocate`, `checkpoint` and `reset` are O(1) (plus one step
///   per non-trivial value deinitialized and per extra chunk freed).
/// - Important: not thread-safe and therefore not `Sendable`: Swift 6 rejects sharing one
///   arena between tasks at compile time. Use `ConcurrentBumpAllocator` for that.
public final class BumpAllocator: ResettableAllocator {
    @usableFromInline
    let _state: UnsafeMutablePointer<_BumpState>

    /// The configuration the arena was created with.
    public let configuration: Configuration

    /// Creates an arena with `capacity` usable bytes in its first chunk.
    ///
    /// With a `budget`, the arena charges it for each chunk it takes from the system and
    /// refunds it for each chunk it gives back (a reset keeps the first, the deinit gives back
    /// all): allocations inside a chunk touch no budget counter. The budget then counts the
    /// arena's ``capacity``, not its ``used`` bytes: up to one chunk more than is allocated,
    /// plus the tail a chunk change leaves unused. A chunk the budget denies fails the
    /// allocation that needed it with `ALLOC_BUDGET_EXCEEDED`, and the arena is unchanged.
    ///
    /// ```swift
    /// let execution = try workflow.child(name: "execution-7", limit: 8 << 20)
    /// let arena = try BumpAllocator(
    ///     capacity: 64 << 10, configuration: .init(growth: .chunked(chunkSize: 64 << 10, maxCapacity: .max)),
    ///     budget: execution)                     // charges 64 KiB now, 64 KiB per further chunk
    /// ```
    ///
    /// - Parameters:
    ///   - capacity: usable bytes of the first chunk, at least 1.
    ///   - configuration: growth, checks and statistics.
    ///   - budget: the budget to charge for each chunk, or nil for none.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for a capacity or chunk size below 1, or a
    ///   maximum below `capacity`; `ALLOC_BUDGET_EXCEEDED` when `budget` denies the first
    ///   chunk; `ALLOC_OUT_OF_MEMORY` when the system has no memory for it.
    public init(capacity: Int, configuration: Configuration = .default, budget: MemoryBudget? = nil)
        throws(AllocError)
    {
        let chunks = try _ArenaChunkList(capacity: capacity, growth: configuration.growth, budget: budget)
        self.configuration = configuration
        _state = .allocate(capacity: 1)
        _state.initialize(to: _BumpState(chunks: chunks, configuration: configuration))
        if configuration.debugFill {
            _RawMemory.fill(
                UnsafeMutableRawPointer(bitPattern: _state.pointee.cursor)!, byte: _FillPattern.reclaimed,
                count: capacity)
        }
    }

    deinit {
        _state._destroy()
    }

    /// Usable bytes in all chunks the arena holds now.
    public var capacity: Int { _state.pointee.chunks.capacity }

    /// The budget charged for the arena's chunks, if any.
    public var budget: MemoryBudget? { _state.pointee.chunks.budget }

    /// Bytes consumed since the last reset, alignment padding included.
    public var used: Int { _state.pointee.position }

    /// Bytes that can still be allocated: room in the current chunk, spare chunks, and what
    /// chunked growth may still add (a request may still fail for lack of contiguous room).
    ///
    /// - Complexity: O(spare chunks).
    public var available: Int { _state.pointee.available }

    /// The arena's counters, or nil when `trackStatistics` is off.
    public var statistics: AllocatorStatistics? {
        let s = _state.pointee
        guard s.trackStatistics else { return nil }
        return AllocatorStatistics(
            counters: s.counters, deallocations: s.deallocations, bytesInUse: s.position,
            peakBytesInUse: Swift.max(s.peak, s.position), resets: s.resets)
    }
}
