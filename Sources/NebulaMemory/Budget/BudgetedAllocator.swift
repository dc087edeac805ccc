import Synchronization

/// An allocator that charges a ``MemoryBudget`` for what its base allocates, and refunds it on
/// `deallocate`, `reset` and its own deinit.
///
/// ```swift
/// let execution = try workflow.child(name: "execution-7", limit: 8 << 20)
/// let arena = BudgetedAllocator(try BumpAllocator(capacity: 1 << 20), budget: execution)
/// let ids = try arena.allocate(UInt64.self, count: 128)   // charges 1 KiB to the hierarchy
/// ```
///
/// The budget is charged before the base is asked, so a denial costs no allocation; a base that
/// then fails gets the charge refunded. Charges are the layout's size: alignment padding and
/// the base's own overhead are not counted.
public final class BudgetedAllocator<Base: Allocator>: Allocator {
    /// The allocator that serves the memory.
    public let base: Base
    /// The budget charged for it.
    public let budget: MemoryBudget
    private let charged = Atomic<Int>(0)

    /// Wraps `base`; the wrapper must be the only way memory is taken from `base` for the
    /// accounting to hold.
    ///
    /// - Parameters:
    ///   - base: the allocator that serves the memory.
    ///   - budget: the budget charged for what `base` allocates through the wrapper.
    public init(_ base: Base, budget: MemoryBudget) {
        self.base = base
        self.budget = budget
    }

    /// Refunds what is still charged: the accounting ends with the wrapper.
    deinit {
        refundAll()
    }

    /// Bytes charged to the budget now.
    public var chargedBytes: Int { charged.load(ordering: .relaxed) }

    /// Charges the budget, then allocates from the base.
    ///
    /// - Parameter layout: the memory wanted; `layout.size` bytes are charged.
    /// - Returns: the base's memory.
    /// - Throws: `ALLOC_BUDGET_EXCEEDED`, or the base's error (the charge is then refunded).
    public func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        try charging(layout.size) { () throws(AllocError) in try base.allocate(layout) }
    }

    /// Gives the memory back to the base, then refunds the budget.
    ///
    /// - Parameters:
    ///   - pointer: memory this allocator returned.
    ///   - layout: the layout `pointer` was allocated with; `layout.size` bytes are refunded.
    /// - Throws: the base's error; nothing is refunded then.
    public func deallocate(_ pointer: UnsafeMutableRawPointer, layout: Layout) throws(AllocError) {
        try base.deallocate(pointer, layout: layout)
        charged.subtract(layout.size, ordering: .relaxed)
        budget.refund(layout.size)
    }

    /// Charges the growth (or refunds the shrinkage) of the allocation, and lets the base
    /// resize it.
    ///
    /// - Parameters:
    ///   - pointer: memory this allocator returned for `old`.
    ///   - old: the layout `pointer` was allocated with.
    ///   - new: the layout wanted.
    /// - Returns: the base's memory for `new`.
    /// - Throws: `ALLOC_BUDGET_EXCEEDED` for growth the budget denies, or the base's error
    ///   (the charge is then refunded); the memory and the budget are unchanged then.
    public func reallocate(_ pointer: UnsafeMutableRawPointer, from old: Layout, to new: Layout) throws(AllocError)
        -> UnsafeMutableRawPointer
    {
        let growth = new.size - old.size
        guard growth >= 0 else {
            let moved = try base.reallocate(pointer, from: old, to: new)
            charged.add(growth, ordering: .relaxed)
            budget.refund(-growth)
            return moved
        }
        return try charging(growth) { () throws(AllocError) in try base.reallocate(pointer, from: old, to: new) }
    }

    /// Charges the budget, then lets the base allocate and initialize the value (so arenas still
    /// deinitialize it on reset).
    ///
    /// - Parameter value: the value to store; the stride of `T` is charged.
    /// - Returns: the base's memory holding `value`.
    /// - Throws: `ALLOC_BUDGET_EXCEEDED`, or the base's error (the charge is then refunded).
    public func create<T>(_ value: T) throws(AllocError) -> UnsafeMutablePointer<T> {
        // The stride, as `Layout.of(T.self)`: what the typed `deallocate` refunds.
        try charging(Layout.of(T.self).size) { () throws(AllocError) in try base.create(value) }
    }

    /// Charges `size` to the budget, then runs `body`; refunds the charge when `body` throws.
    private func charging<Result>(_ size: Int, _ body: () throws(AllocError) -> Result) throws(AllocError)
        -> Result
    {
        try budget.charge(size)
        do {
            let result = try body()
            charged.add(size, ordering: .relaxed)
            return result
        } catch {
            budget.refund(size)
            throw error
        }
    }
}

extension BudgetedAllocator {
    /// Refunds everything charged, for an owner that releases the base's memory itself.
    func refundAll() {
        budget.refund(charged.exchange(0, ordering: .relaxed))
    }
}

extension BudgetedAllocator: ResettableAllocator where Base: ResettableAllocator {
    /// Resets the base, then refunds everything charged.
    ///
    /// - Throws: the base's error; nothing is refunded then.
    public func reset() throws(AllocError) {
        try base.reset()
        refundAll()
    }
}

// Safe: `base` is Sendable by the condition, `budget` is Sendable, and `charged` is an atomic;
// there is no other stored state.
extension BudgetedAllocator: @unchecked Sendable where Base: Sendable {}
