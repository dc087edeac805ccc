/// The memory of one unit of work, usually a workflow execution: a budget and an arena charged
/// to it, found from anywhere in the task tree through ``current``.
///
/// ```swift
/// try await withMemoryContext(name: "execution-7", budget: workflowBudget, limit: 8 << 20) { context in
///     let row = try context.arena.allocate(UInt8.self, count: 512)   // from the context's arena
///     try await runNodes()               // nodes reach the arena through MemoryContext.current
/// }                                      // arena reset and recycled, budget refunded
/// ```
///
/// Contexts nest: one opened inside another without a budget gets a child of the enclosing
/// context's budget. Child tasks (`async let`, task groups) inherit the context; detached tasks
/// and threads do not.
///
/// Accounting is by chunk: the budget is charged for the arena's chunks (`arenaCapacity`
/// bytes each), not for each allocation, so ``budget`` shows up to one chunk more than the
/// context allocated (see ``ConcurrentBumpAllocator/init(capacity:configuration:budget:)``),
/// and an allocation that needs a chunk the budget denies throws `ALLOC_BUDGET_EXCEEDED`.
/// Closing a context refunds its chunks at once, whatever it allocated, and keeps its arena
/// for the next context (see ``trimRecycledArenas()``).
///
/// - Important: a context, and memory from its arena, must not be used after the body that
///   opened it returns: its arena then serves another context.
public final class MemoryContext: Sendable {
    /// The context of the running task, or `nil` outside any.
    @TaskLocal public static var current: MemoryContext?

    /// The context's name, also its budget's name.
    public let name: String
    /// The budget of this context, nested in the one it was opened with.
    public let budget: MemoryBudget
    /// A thread-safe arena for the context's allocations, charged to ``budget`` per chunk.
    /// Everything in it is released when the context ends.
    public let arena: ConcurrentBumpAllocator
    /// The context this one was opened in, if any.
    public let parent: MemoryContext?

    init(name: String, parentBudget: MemoryBudget?, limit: Int?, arenaCapacity: Int) throws(AllocError) {
        let enclosing = Self.current
        guard let parentBudget = parentBudget ?? enclosing?.budget else {
            throw AllocError(
                .invalidConfiguration, "memory context \(name): no budget given and no enclosing context",
                allocatorKind: "context", suggestion: "pass a budget, or open the context inside another")
        }
        self.name = name
        self.parent = enclosing
        // No per-thread stock: the arena charges whole chunks, exactly.
        let limit = limit ?? parentBudget.limit
        let budget = try parentBudget.child(name: name, limit: limit, stockBatch: 0)
        self.budget = budget
        // A limit below one chunk makes the limit the chunk, so that such a context can open.
        let capacity = arenaCapacity > limit && limit > 0 ? limit : arenaCapacity
        self.arena = try Self.openArena(capacity: capacity, budget: budget)
    }

    /// A recycled arena of `capacity` bytes charged to `budget`, or a new one.
    private static func openArena(capacity: Int, budget: MemoryBudget) throws(AllocError) -> ConcurrentBumpAllocator {
        if let arena = _RecycledArenas.take(capacity: capacity) {
            if let denial = arena._rebind(to: budget) {
                _RecycledArenas.put(arena)
                throw denial
            }
            return arena
        }
        // Chunked without a limit of its own: the budget bounds it. Thread buffers of a quarter
        // chunk keep an execution's node-sized allocations (up to a quarter buffer) off the
        // shared cursor.
        let growth = BumpAllocator.Configuration.Growth.chunked(
            chunkSize: Swift.max(capacity, 1), maxCapacity: Swift.max(capacity, 1 << 48))
        let configuration = ConcurrentBumpAllocator.Configuration(
            growth: growth, threadBufferSize: Swift.min(Swift.max(capacity / 4, 256), 32 << 10))
        return try ConcurrentBumpAllocator(capacity: capacity, configuration: configuration, budget: budget)
    }

    /// Releases the arena, refunds the budget and recycles the arena; run once when the body
    /// returns or throws.
    func close() {
        // An arena still in use on another thread (misuse the arena reports) is not recycled;
        // it refunds its chunks when it is deinitialized.
        do throws(AllocError) { try arena._resetAndUnbind() } catch { return }
        if budget.pressure < .high { _RecycledArenas.put(arena) }
    }

    /// Frees the arenas kept for new contexts, for a process that goes idle or runs short of
    /// memory; contexts closing at `.high` or `.critical` pressure keep none. Returns how many
    /// were freed.
    @discardableResult
    public static func trimRecycledArenas() -> Int {
        _RecycledArenas.trim()
    }
}

/// Runs `body` in a new ``MemoryContext``: a budget named `name` under `budget` (or under the
/// enclosing context's budget) and an arena charged to it by the chunk; when `body` ends, the
/// arena is released and recycled, and the budget refunded.
///
/// Memory taken from the arena must not be used after `body` returns.
///
/// - Parameters:
///   - limit: the context's own limit; by default its parent's.
///   - arenaCapacity: the size of the arena's chunks, in bytes (the limit, where that is
///     smaller); the first is charged when the context opens.
/// - Throws: `ALLOC_INVALID_CONFIGURATION` for a bad name, limit or capacity, or without any
///   budget; `ALLOC_BUDGET_EXCEEDED` when the budget denies the first chunk; otherwise what
///   `body` throws.
public func withMemoryContext<Result>(
    name: String, budget: MemoryBudget? = nil, limit: Int? = nil, arenaCapacity: Int = 64 << 10,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (MemoryContext) async throws -> Result
) async throws -> Result {
    let context = try MemoryContext(name: name, parentBudget: budget, limit: limit, arenaCapacity: arenaCapacity)
    defer { context.close() }
    return try await MemoryContext.$current.withValue(context) { try await body(context) }
}

/// The synchronous form of ``withMemoryContext(name:budget:limit:arenaCapacity:isolation:_:)``.
public func withMemoryContext<Result>(
    name: String, budget: MemoryBudget? = nil, limit: Int? = nil, arenaCapacity: Int = 64 << 10,
    _ body: (MemoryContext) throws -> Result
) throws -> Result {
    let context = try MemoryContext(name: name, parentBudget: budget, limit: limit, arenaCapacity: arenaCapacity)
    defer { context.close() }
    return try MemoryContext.$current.withValue(context) { try body(context) }
}
