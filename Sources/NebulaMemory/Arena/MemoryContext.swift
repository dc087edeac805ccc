/// The memory of one unit of work, usually a workflow execution: a budget and an arena charged
/// to it, found from anywhere in the task tree through ``current``.
///
/// ```swift
/// try await withMemoryContext(name: "execution-7", budget: workflowBudget, limit: 8 << 20) { context in
///     let row = try context.arena.allocate(UInt8.self, count: 512)   // charged to execution-7
///     try await runNodes()               // nodes reach the arena through MemoryContext.current
/// }                                      // arena released, budget refunded
/// ```
///
/// Contexts nest: one opened inside another without a budget gets a child of the enclosing
/// context's budget. Child tasks (`async let`, task groups) inherit the context; detached tasks
/// and threads do not.
public final class MemoryContext: Sendable {
    /// The context of the running task, or `nil` outside any.
    @TaskLocal public static var current: MemoryContext?

    /// The context's name, also its budget's name.
    public let name: String
    /// The budget of this context, nested in the one it was opened with.
    public let budget: MemoryBudget
    /// A thread-safe arena for the context's allocations, charged to ``budget``. Everything in it
    /// is released when the context ends.
    public let arena: BudgetedAllocator<ConcurrentBumpAllocator>
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
        self.budget = try parentBudget.child(name: name, limit: limit ?? parentBudget.limit)
        self.arena = BudgetedAllocator(try ConcurrentBumpAllocator(capacity: arenaCapacity), budget: budget)
    }

    /// Releases the arena and refunds the budget; run once when the body returns or throws.
    func close() {
        try? arena.base.reset()
        arena.refundAll()
    }
}

/// Runs `body` in a new ``MemoryContext``: a budget named `name` under `budget` (or under the
/// enclosing context's budget) and an arena charged to it; when `body` ends, the arena is
/// released and the budget refunded.
///
/// Memory taken from the arena must not be used after `body` returns.
///
/// - Parameters:
///   - limit: the context's own limit; by default its parent's.
///   - arenaCapacity: the arena's first chunk, in bytes.
/// - Throws: `ALLOC_INVALID_CONFIGURATION` for a bad name, limit or capacity, or without any
///   budget; otherwise what `body` throws.
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
