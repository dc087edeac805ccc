/// The chunks an arena holds, their total size and the budget charged for it: what both bump
/// arenas share (the concurrent one keeps it under its lock).
@usableFromInline
struct _ArenaChunkList {
    @usableFromInline let first: UnsafeMutablePointer<_ArenaChunk>
    /// Usable bytes in all chunks held, spares included: what `budget` is charged.
    @usableFromInline var capacity: Int
    @usableFromInline let growth: BumpAllocator.Configuration.Growth
    @usableFromInline var budget: MemoryBudget?

    /// Checks an arena's configuration, charges `budget` for the first chunk and takes it
    /// from the system.
    ///
    /// - Throws: as `_ArenaChunk.makeFirst`.
    @usableFromInline
    init(capacity: Int, growth: BumpAllocator.Configuration.Growth, budget: MemoryBudget?) throws(AllocError) {
        first = try _ArenaChunk.makeFirst(capacity: capacity, growth: growth, budget: budget)
        self.capacity = capacity
        self.growth = growth
        self.budget = budget
    }

    /// The most this arena may ever hold.
    @usableFromInline
    var maxCapacity: Int { growth.maxCapacity(holding: capacity) }

    /// Bytes that can still be had with `room` bytes left in `current`: that room, the spare
    /// chunks after it, and what growth may still add.
    @usableFromInline
    func available(in current: UnsafeMutablePointer<_ArenaChunk>, room: Int) -> Int {
        room + _ArenaChunk.spareCapacity(after: current) + (maxCapacity - capacity)
    }

    /// The chunk to continue in after `chunk` for `layout` (see `_ArenaChunk.chunk(after:…)`);
    /// nil when the arena may not grow or `failure` says why it could not.
    @usableFromInline
    mutating func chunk(
        after chunk: UnsafeMutablePointer<_ArenaChunk>, fitting layout: Layout, failure: inout _ChunkFailure?
    ) -> UnsafeMutablePointer<_ArenaChunk>? {
        _ArenaChunk.chunk(
            after: chunk, fitting: layout, growth: growth, capacity: &capacity, budget: budget, failure: &failure)
    }

    /// Frees every chunk after the first and refunds the budget for them: what a reset gives back.
    @usableFromInline
    mutating func releaseSpares() {
        _ArenaChunk.freeChain(from: first.pointee.next)
        first.pointee.next = nil
        budget?.refundChunk(capacity - first.pointee.capacity)
        capacity = first.pointee.capacity
    }

    /// Moves the charge for every chunk from the current budget to `budget`; on a denial the
    /// list keeps no budget and the denial is returned.
    mutating func rebind(to budget: MemoryBudget?) -> AllocError? {
        self.budget?.refundChunk(capacity)
        self.budget = nil
        if let budget, let denial = budget.chargeChunk(capacity) { return denial }
        self.budget = budget
        return nil
    }

    /// Frees every chunk and refunds their charge: the end of the arena.
    func freeAll() {
        _ArenaChunk.freeChain(from: first)
        budget?.refundChunk(capacity)
    }
}
