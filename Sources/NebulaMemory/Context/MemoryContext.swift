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
/// - Important: memory from a context's arena must not be used after the body that opened it
///   returns: the arena is reset then. A context that nothing else references when its body
///   returns is kept, with its budget and arena, for the next context this thread opens under
///   the same parent budget, so that opening one allocates nothing.
public final class MemoryContext: @unchecked Sendable {
    // Unchecked: `name`, `parent` and `_budget` change only when a closed context is recycled,
    // and it is recycled only while `withMemoryContext` holds the one reference to it (checked
    // with `isKnownUniquelyReferenced`), so no other thread can read them meanwhile. Every
    // other stored property is immutable and Sendable. For the same reason no access to them
    // can overlap a write, so they skip the run-time exclusivity check.

    /// The context of the running task, or `nil` outside any.
    @TaskLocal public static var current: MemoryContext?

    /// The context's name, also its budget's name.
    @exclusivity(unchecked) public private(set) var name: String
    /// The budget of this context, nested in the one it was opened with.
    public var budget: MemoryBudget { _budget }
    @exclusivity(unchecked) var _budget: MemoryBudget
    /// A thread-safe arena for the context's allocations, charged to ``budget`` per chunk.
    /// Everything in it is released when the context ends.
    public let arena: ConcurrentBumpAllocator
    /// The context this one was opened in, if any.
    @exclusivity(unchecked) public private(set) var parent: MemoryContext?

    private init(name: String, budget: MemoryBudget, arena: ConcurrentBumpAllocator, parent: MemoryContext?) {
        self.name = name
        self._budget = budget
        self.arena = arena
        self.parent = parent
    }

    /// Opens a context: a recycled one when this thread kept one under the same parent budget,
    /// else a new budget with a recycled or new arena.
    static func open(name: String, parentBudget: MemoryBudget?, limit: Int?, arenaCapacity: Int) throws(AllocError)
        -> MemoryContext
    {
        // Unmanaged, not a copy: a copy would retain the parent budget, which every execution
        // under one workflow shares, with a contended atomic.
        let given = parentBudget.map(Unmanaged.passUnretained)
        let enclosing = Self.current
        if let given {
            return try open(name: name, under: given, enclosing: enclosing, limit: limit, arenaCapacity: arenaCapacity)
        }
        guard let enclosing else {
            throw AllocError(
                .invalidConfiguration, "memory context \(name): no budget given and no enclosing context",
                allocatorKind: .context, suggestion: "pass a budget, or open the context inside another")
        }
        return try open(
            name: name, under: Unmanaged.passUnretained(enclosing._budget), enclosing: enclosing, limit: limit,
            arenaCapacity: arenaCapacity)
    }

    /// `open` under `parent`, which the caller holds.
    @inline(never)
    private static func open(
        name: String, under parent: Unmanaged<MemoryBudget>, enclosing: MemoryContext?, limit: Int?,
        arenaCapacity: Int
    ) throws(AllocError) -> MemoryContext {
        let limit = limit ?? parent._withUnsafeGuaranteedRef { $0.limit }
        // A limit below one chunk makes the limit the chunk, so that such a context can open.
        let capacity = arenaCapacity > limit && limit > 0 ? limit : arenaCapacity
        if let kept = _RecycledArenas.takeContext() {
            let sameParent = kept._budget.parentReference?.toOpaque() == parent.toOpaque()
            if sameParent, kept.arena.capacity == capacity {
                try kept.reopen(name: name, limit: limit, parent: enclosing)
                _ContextCounters.count(.reopened)
                return kept
            }
            _RecycledArenas.put(kept.arena)
        }
        return try openNew(name: name, under: parent, enclosing: enclosing, limit: limit, capacity: capacity)
    }

    /// A context with a new budget, and a recycled or new arena. Apart, so that what it retains
    /// is not retained on the recycled path too.
    @inline(never)
    private static func openNew(
        name: String, under parent: Unmanaged<MemoryBudget>, enclosing: MemoryContext?, limit: Int, capacity: Int
    ) throws(AllocError) -> MemoryContext {
        // No per-thread stock: the arena charges whole chunks, exactly.
        let budget = try parent.takeUnretainedValue().child(name: name, limit: limit, stockBatch: 0)
        let arena = try openArena(capacity: capacity, budget: budget)
        return MemoryContext(name: name, budget: budget, arena: arena, parent: enclosing)
    }

    /// Readies a recycled context; on failure it goes back to the cache and nothing changes.
    private func reopen(name: String, limit: Int, parent: MemoryContext?) throws(AllocError) {
        do throws(AllocError) {
            try _budget.recycle(name: name, limit: limit)
        } catch {
            _RecycledArenas.putContext(self)
            throw error
        }
        if let denial = arena._rebind(to: _budget) {
            _RecycledArenas.putContext(self)
            throw denial
        }
        self.name = name
        self.parent = parent
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

    /// Releases the arena and refunds the budget, then keeps what nothing else references for
    /// the next context: the whole context when only `context` references it and its budget,
    /// else its arena. Run once when the body returns or throws.
    static func close(_ context: inout MemoryContext) {
        _ContextCounters.count(.closed)
        // An arena still in use on another thread (misuse the arena reports) is not recycled;
        // it refunds its chunks when it is deinitialized.
        do throws(AllocError) { try context.arena._resetAndUnbind() } catch { return }
        // A registered budget or arena is never reused: a registry reads it under the name of
        // its first execution.
        guard context._budget.pressure < .high, isKnownUniquelyReferenced(&context),
            !context._budget.registered.load(ordering: .relaxed), !context.arena._registered.load(ordering: .relaxed)
        else { return }
        if isKnownUniquelyReferenced(&context._budget), context._budget.charged == 0 {
            context.parent = nil
            _RecycledArenas.putContext(context)
        } else {
            _RecycledArenas.put(context.arena)
        }
    }

    /// Counts of the contexts this process opened and closed, every thread's added up.
    ///
    /// - Complexity: one pass over the per-thread slots.
    public static var statistics: MemoryContextStatistics { _ContextCounters.statistics }

    /// Frees the arenas (and contexts) kept for new contexts, for a process that goes idle or
    /// runs short of memory; contexts closing at `.high` or `.critical` pressure keep none.
    ///
    /// - Returns: how many arenas were freed.
    /// - Complexity: O(*n*) for the *n* arenas kept, plus a pass over the per-thread slots.
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
///   - name: the context's name, also its budget's: non-empty and without `/`.
///   - budget: the budget to nest the context's budget in; `nil` for the enclosing context's.
///   - limit: the context's own limit; by default its parent's.
///   - arenaCapacity: the size of the arena's chunks, in bytes (the limit, where that is
///     smaller); the first is charged when the context opens.
///   - isolation: the actor `body` runs on; the caller's by default.
///   - body: the work, given the context; it and its child tasks also find it as
///     ``MemoryContext/current``.
/// - Returns: what `body` returns.
/// - Throws: `ALLOC_INVALID_CONFIGURATION` for a bad name, limit or capacity, or without any
///   budget; `ALLOC_BUDGET_EXCEEDED` when the budget denies the first chunk;
///   `ALLOC_OUT_OF_MEMORY` when the system has no memory for a new arena; otherwise what
///   `body` throws.
public func withMemoryContext<Result>(
    name: String, budget: MemoryBudget? = nil, limit: Int? = nil, arenaCapacity: Int = 64 << 10,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (MemoryContext) async throws -> Result
) async throws -> Result {
    var context = try MemoryContext.open(name: name, parentBudget: budget, limit: limit, arenaCapacity: arenaCapacity)
    _ContextCounters.count(.opened)
    defer { MemoryContext.close(&context) }
    return try await MemoryContext.$current.withValue(context) { try await body(context) }
}

/// The synchronous form of ``withMemoryContext(name:budget:limit:arenaCapacity:isolation:_:)``.
///
/// - Parameters:
///   - name: the context's name, also its budget's: non-empty and without `/`.
///   - budget: the budget to nest the context's budget in; `nil` for the enclosing context's.
///   - limit: the context's own limit; by default its parent's.
///   - arenaCapacity: the size of the arena's chunks, in bytes (the limit, where that is
///     smaller); the first is charged when the context opens.
///   - body: the work, given the context, which is also ``MemoryContext/current`` while it runs.
/// - Returns: what `body` returns.
/// - Throws: as the asynchronous form: `ALLOC_INVALID_CONFIGURATION`, `ALLOC_BUDGET_EXCEEDED`
///   or `ALLOC_OUT_OF_MEMORY` when the context cannot open; otherwise what `body` throws.
public func withMemoryContext<Result>(
    name: String, budget: MemoryBudget? = nil, limit: Int? = nil, arenaCapacity: Int = 64 << 10,
    _ body: (MemoryContext) throws -> Result
) throws -> Result {
    var context = try MemoryContext.open(name: name, parentBudget: budget, limit: limit, arenaCapacity: arenaCapacity)
    _ContextCounters.count(.opened)
    defer { MemoryContext.close(&context) }
    return try MemoryContext.$current.withValue(context) { try body(context) }
}
