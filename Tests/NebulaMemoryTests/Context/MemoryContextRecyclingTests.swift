import NebulaMemory
import Testing

/// An `arenaCapacity` no other suite uses: recycled arenas are kept by capacity, so the arenas
/// these tests follow are theirs alone (the suite is serialized for the same reason).
private let capacity = 40 << 10

/// The default `arenaCapacity`.
private let defaultChunk = 64 << 10

/// Opens and closes a context of `capacity` under `budget`; returns its arena.
private func arenaOfAContext(under budget: MemoryBudget) throws -> ConcurrentBumpAllocator {
    try withMemoryContext(name: "execution", budget: budget, arenaCapacity: capacity) { $0.arena }
}

@Suite("MemoryContext recycling", .serialized)
struct MemoryContextRecyclingTests {
    @Test func manyContextsLeaveNothingChargedAndReuseOneArena() throws {
        let workflow = try MemoryBudget(name: "workflow", limit: 1 << 30, stockBatch: 0)
        var previous: ConcurrentBumpAllocator?
        var reused = 0
        var wrongCharges = 0
        var leftCharged = 0
        for round in 0..<100_000 {
            // Each context's arena is held until the next one opens, so an arena that was not
            // recycled cannot come back at the same address.
            let arena = try withMemoryContext(name: "execution", budget: workflow, arenaCapacity: capacity) { context in
                _ = try context.arena.allocate(UInt8.self, count: 64)
                if round % 1000 == 0 {
                    _ = try context.arena.allocate(UInt8.self, count: capacity)  // a second chunk
                }
                let expected = round % 1000 == 0 ? 2 * capacity + 1 : capacity
                if context.arena.capacity != expected || context.budget.charged != expected
                    || workflow.charged != expected || context.arena.budget !== context.budget
                {
                    wrongCharges += 1
                }
                return context.arena
            }
            if arena === previous { reused += 1 }
            previous = arena
            if workflow.charged != 0 { leftCharged += 1 }
        }
        #expect(wrongCharges == 0)
        #expect(leftCharged == 0)
        #expect(reused == 99_999)
        #expect(workflow.peak == 2 * capacity + 1)
        #expect(previous?.budget == nil)
        #expect(previous?.capacity == capacity)
        let trimmed = MemoryContext.trimRecycledArenas()
        #expect((1...64).contains(trimmed))
    }

    @Test func trimmingFreesTheKeptArenas() throws {
        let workflow = try MemoryBudget(name: "workflow", limit: 1 << 30, stockBatch: 0)
        let closed = try arenaOfAContext(under: workflow)
        #expect(MemoryContext.trimRecycledArenas() >= 1)
        let next = try arenaOfAContext(under: workflow)
        #expect(next !== closed)
        #expect(workflow.charged == 0)
    }

    @Test(arguments: MemoryPressure.allCases)
    func contextsClosingUnderHighPressureAreNotRecycled(pressure: MemoryPressure) throws {
        let workflow = try MemoryBudget(name: "workflow", limit: 1 << 30, stockBatch: 0)
        workflow.updatePressure(pressure)
        let closed = try arenaOfAContext(under: workflow)
        #expect(workflow.charged == 0)
        workflow.updatePressure(.normal)
        let next = try arenaOfAContext(under: workflow)
        #expect((next === closed) == (pressure < .high))
        // A context closing at normal pressure is recycled again.
        let third = try arenaOfAContext(under: workflow)
        #expect(third === next)
        #expect(workflow.charged == 0)
    }

    @Test(arguments: [1, 5000, defaultChunk - 1, defaultChunk, 1 << 20])
    func contextBelowOneChunkIsChargedExactlyItsLimit(limit: Int) throws {
        let workflow = try MemoryBudget(name: "workflow", limit: 1 << 30, stockBatch: 0)
        let expected = min(limit, defaultChunk)
        try withMemoryContext(name: "execution", budget: workflow, limit: limit) { context in
            #expect(context.budget.limit == limit)
            #expect(context.arena.capacity == expected)
            #expect(context.budget.charged == expected)
            #expect(workflow.charged == expected)
        }
        #expect(workflow.charged == 0)
    }

    @Test func recycledContextThatCannotReopenStaysKeptAndUncharged() throws {
        let workflow = try MemoryBudget(name: "workflow", limit: 1 << 20, stockBatch: 0)
        // Closed with nothing else referencing it, the whole context is kept for this thread.
        let first = try arenaOfAContext(under: workflow)
        let badName = expectAllocError(.invalidConfiguration) {
            try withMemoryContext(name: "bad/name", budget: workflow, arenaCapacity: capacity) { _ in }
        }
        #expect(badName?.message.contains("bad/name") == true)
        #expect(workflow.charged == 0)
        // The context's own limit has room; the workflow has not, so its chunk is denied.
        try workflow.setLimit(capacity - 1)
        let denied = expectAllocError(.budgetExceeded) {
            try withMemoryContext(name: "execution", budget: workflow, limit: 1 << 20, arenaCapacity: capacity) { _ in }
        }
        #expect(denied?.message.contains("budget workflow:") == true)
        #expect(workflow.charged == 0)
        try workflow.setLimit(1 << 20)
        // Both failures put the context back: the next one reopens it, under its own name.
        let (arena, name) = try withMemoryContext(name: "execution-2", budget: workflow, arenaCapacity: capacity) {
            ($0.arena, $0.budget.name)
        }
        #expect(arena === first)
        #expect(name == "execution-2")
        #expect(workflow.charged == 0)
    }

    @Test(arguments: [false, true])
    func deniedFirstChunkThrowsAndLeavesNothingCharged(recycled: Bool) throws {
        // The context's limit is the workflow's, 1 MiB; the engine above has 100 bytes.
        let engine = try MemoryBudget(name: "engine", limit: 100, stockBatch: 0)
        let workflow = try engine.child(name: "workflow", limit: 1 << 20, stockBatch: 0)
        let roomy = try MemoryBudget(name: "roomy", limit: 1 << 20, stockBatch: 0)
        MemoryContext.trimRecycledArenas()
        // With `recycled`, an arena of this capacity waits in the cache for the next context.
        let kept = try recycled ? arenaOfAContext(under: roomy) : nil
        var ran = false
        let error = expectAllocError(.budgetExceeded) {
            try withMemoryContext(name: "execution", budget: workflow, arenaCapacity: capacity) { _ in ran = true }
        }
        #expect(error?.message.contains("budget engine:") == true)
        #expect(error?.capacity == 100)
        #expect(!ran)
        #expect(MemoryContext.current == nil)
        #expect([engine.charged, workflow.charged] == [0, 0])
        #expect(engine.peak == 0)
        // The arena, new or recycled, is charged to nothing: the next context pays one chunk.
        let next = try withMemoryContext(name: "execution", budget: roomy, arenaCapacity: capacity) { context in
            #expect(roomy.charged == capacity)
            return context.arena
        }
        if let kept { #expect(next === kept) }
        #expect(roomy.charged == 0)
    }
}
