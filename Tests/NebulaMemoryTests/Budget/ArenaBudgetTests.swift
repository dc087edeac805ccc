import NebulaMemory
import Testing

/// The two arenas that charge a budget per chunk (internal: test arguments must be).
enum ChunkedArenaKind: CaseIterable, Sendable {
    case bump
    case concurrent
}

/// What the tests need of either arena.
private protocol ChunkedArena: ResettableAllocator {
    var capacity: Int { get }
    var used: Int { get }
    var budget: MemoryBudget? { get }
}

extension BumpAllocator: ChunkedArena {}
extension ConcurrentBumpAllocator: ChunkedArena {}

/// The size of every chunk in these tests.
private let chunk = 4096

/// An arena of `kind` whose chunks hold `chunk` bytes, charged to `budget`. The concurrent one's
/// thread buffers are 256 bytes, so that a request above 64 bytes is carved from the shared
/// arena directly, where its chunk is plain to see.
private func makeArena(_ kind: ChunkedArenaKind, budget: MemoryBudget) throws(AllocError) -> any ChunkedArena {
    let growth = BumpAllocator.Configuration.Growth.chunked(chunkSize: chunk, maxCapacity: 1 << 20)
    switch kind {
    case .bump:
        return try BumpAllocator(capacity: chunk, configuration: .init(growth: growth), budget: budget)
    case .concurrent:
        return try ConcurrentBumpAllocator(
            capacity: chunk, configuration: .init(growth: growth, threadBufferSize: 256), budget: budget)
    }
}

/// A request that fills most of a chunk: a second one needs the next chunk.
private func largeRequest() throws -> Layout {
    try Layout(size: 3000, alignment: 8)
}

@Suite("Arena budgets")
struct ArenaBudgetTests {
    @Test(arguments: ChunkedArenaKind.allCases)
    func firstChunkIsChargedAtInit(kind: ChunkedArenaKind) throws {
        let engine = try MemoryBudget(name: "engine", limit: 1 << 20, stockBatch: 0)
        let execution = try engine.child(name: "execution", limit: 1 << 20, stockBatch: 0)
        let arena = try makeArena(kind, budget: execution)
        #expect(arena.capacity == chunk)
        #expect(arena.budget === execution)
        #expect([engine.charged, execution.charged] == [chunk, chunk])
        #expect([engine.used, execution.used] == [chunk, chunk])
        #expect(execution.statistics.reservations == 1)
        #expect(execution.stocked == 0)  // chunks are charged exactly
    }

    @Test(arguments: ChunkedArenaKind.allCases)
    func everyNewChunkIsCharged(kind: ChunkedArenaKind) throws {
        let budget = try MemoryBudget(name: "execution", limit: 1 << 20, stockBatch: 0)
        let arena = try makeArena(kind, budget: budget)
        for chunks in 1...4 {
            _ = try arena.allocate(largeRequest())
            #expect(arena.capacity == chunks * chunk)
            #expect(budget.charged == arena.capacity)
            #expect(budget.statistics.reservations == chunks)
        }
    }

    @Test(arguments: ChunkedArenaKind.allCases)
    func allocationsInsideAChunkTouchNoBudgetCounter(kind: ChunkedArenaKind) throws {
        let budget = try MemoryBudget(name: "execution", limit: 1 << 20, stockBatch: 0)
        let arena = try makeArena(kind, budget: budget)
        let before = (budget.charged, budget.statistics)
        for _ in 0..<50 {
            _ = try arena.allocate(UInt64.self, count: 2)
        }
        _ = try arena.allocate(Layout(size: 1000, alignment: 16))
        #expect(arena.capacity == chunk)
        #expect(arena.used >= 1800)
        #expect(budget.charged == before.0)
        #expect(budget.statistics == before.1)
    }

    @Test(arguments: ChunkedArenaKind.allCases)
    func resetRefundsEveryChunkButTheFirst(kind: ChunkedArenaKind) throws {
        let engine = try MemoryBudget(name: "engine", limit: 1 << 20, stockBatch: 0)
        let execution = try engine.child(name: "execution", limit: 1 << 20, stockBatch: 0)
        let arena = try makeArena(kind, budget: execution)
        for _ in 0..<3 {
            _ = try arena.allocate(largeRequest())
        }
        #expect(arena.capacity == 3 * chunk)
        #expect([engine.charged, execution.charged] == [3 * chunk, 3 * chunk])
        try arena.reset()
        #expect(arena.capacity == chunk)
        #expect(arena.used == 0)
        #expect([engine.charged, execution.charged] == [chunk, chunk])
        _ = try arena.allocate(largeRequest())  // the kept chunk serves again, uncharged
        #expect(execution.charged == chunk)
    }

    @Test(arguments: ChunkedArenaKind.allCases)
    func deinitRefundsEveryChunk(kind: ChunkedArenaKind) throws {
        let engine = try MemoryBudget(name: "engine", limit: 1 << 20, stockBatch: 0)
        let execution = try engine.child(name: "execution", limit: 1 << 20, stockBatch: 0)
        do {
            let arena = try makeArena(kind, budget: execution)
            for _ in 0..<3 {
                _ = try arena.allocate(largeRequest())
            }
            #expect(engine.charged == arena.capacity)
            #expect(arena.capacity == 3 * chunk)
        }
        #expect([engine.charged, execution.charged] == [0, 0])
        #expect([engine.used, execution.used] == [0, 0])
    }

    @Test(arguments: ChunkedArenaKind.allCases)
    func deniedChunkFailsTheAllocationAndLeavesTheArenaUnchanged(kind: ChunkedArenaKind) throws {
        let engine = try MemoryBudget(name: "engine", limit: 2 * chunk, stockBatch: 0)
        let execution = try engine.child(name: "execution", limit: 1 << 20, stockBatch: 0)
        let arena = try makeArena(kind, budget: execution)
        _ = try arena.allocate(largeRequest())
        _ = try arena.allocate(largeRequest())  // the second chunk: the engine is full now
        #expect(engine.charged == 2 * chunk)
        let (used, capacity) = (arena.used, arena.capacity)
        let error = expectAllocError(.budgetExceeded) { try arena.allocate(largeRequest()) }
        #expect(error?.message.contains("budget engine:") == true)
        #expect(error?.capacity == 2 * chunk)
        #expect(arena.used == used)
        #expect(arena.capacity == capacity)
        #expect([engine.charged, execution.charged] == [2 * chunk, 2 * chunk])
        #expect(execution.statistics.denials == 1)
        // What is left of the current chunk still serves a request that fits it.
        let small = try arena.allocate(Layout(size: 500, alignment: 8))
        small.initializeMemory(as: UInt8.self, repeating: 7, count: 500)
        #expect(arena.used > used)
        #expect(arena.capacity == capacity)
        #expect(engine.charged == 2 * chunk)
    }

    @Test(arguments: ChunkedArenaKind.allCases)
    func deniedFirstChunkFailsInitAndChargesNothing(kind: ChunkedArenaKind) throws {
        let engine = try MemoryBudget(name: "engine", limit: chunk - 1, stockBatch: 0)
        let execution = try engine.child(name: "execution", limit: 1 << 20, stockBatch: 0)
        let error = expectAllocError(.budgetExceeded) { _ = try makeArena(kind, budget: execution) }
        #expect(error?.capacity == chunk - 1)
        #expect([engine.charged, execution.charged] == [0, 0])
        #expect(execution.statistics == .init(reservations: 0, denials: 1, peak: 0))
        #expect(engine.peak == 0)
    }

    @Test func spareChunksStayChargedUntilTheArenaGivesThemBack() throws {
        let budget = try MemoryBudget(name: "execution", limit: 1 << 20, stockBatch: 0)
        let arena = try BumpAllocator(
            capacity: chunk, configuration: .init(growth: .chunked(chunkSize: chunk, maxCapacity: 1 << 20)),
            budget: budget)
        try arena.withScope { scratch in
            for _ in 0..<3 {
                _ = try scratch.allocate(largeRequest())
            }
        }
        // The scope's chunks are kept as spares: still held, still charged.
        #expect(arena.capacity == 3 * chunk)
        #expect(budget.charged == 3 * chunk)
        let grants = budget.statistics.reservations
        _ = try arena.allocate(largeRequest())
        _ = try arena.allocate(largeRequest())  // into the first spare: no new charge
        #expect(budget.statistics.reservations == grants)
        #expect(budget.charged == 3 * chunk)
        // Too large for the spare left: a new chunk replaces it, and the charge follows.
        _ = try arena.allocate(Layout(size: 5000, alignment: 8))
        #expect(arena.capacity == 2 * chunk + 5008)
        #expect(budget.charged == arena.capacity)
        arena.reset()
        #expect(budget.charged == chunk)
    }
}
