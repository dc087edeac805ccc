import NebulaMemory
import Testing

private struct BodyFailure: Error {}

/// The default `arenaCapacity`: what a context's budget is charged per chunk.
private let chunk = 64 << 10

@Suite("MemoryContext")
struct MemoryContextTests {
    @Test func contextChargesItsBudgetAndRefundsAtTheEnd() async throws {
        let workflow = try MemoryBudget(name: "workflow-42", limit: 1 << 20)
        let seen = try await withMemoryContext(name: "execution-7", budget: workflow, limit: 4096) { context in
            await Task.yield()
            #expect(MemoryContext.current === context)
            #expect(context.budget.path == "workflow-42/execution-7")
            #expect(context.budget.limit == 4096)
            // The limit is below the default chunk, so the limit is the chunk, charged at the open.
            #expect(workflow.used == 4096)
            let row = try context.arena.allocate(UInt8.self, count: 512)
            row.initialize(repeating: 1, count: 512)
            #expect(workflow.used == 4096)
            #expect(context.budget.used == 4096)
            return context.budget.used
        }
        #expect(seen == 4096)
        #expect(workflow.used == 0)
        #expect(MemoryContext.current == nil)
    }

    @Test func arenaIsBoundByTheContextLimit() async throws {
        let workflow = try MemoryBudget(name: "workflow", limit: 1 << 20)
        try await withMemoryContext(name: "execution", budget: workflow, limit: 1000) { context in
            await Task.yield()
            _ = try context.arena.allocate(UInt8.self, count: 900)
            let error = #expect(throws: AllocError.self) { try context.arena.allocate(UInt8.self, count: 200) }
            #expect(error?.code == .budgetExceeded)
            #expect(error?.message.contains("workflow/execution") == true)
            #expect(workflow.used == 1000)
        }
        #expect(workflow.used == 0)
    }

    @Test func nestedContextsChainBudgetsAndRestoreTheOuterOne() async throws {
        let engine = try MemoryBudget(name: "engine", limit: 1 << 20)
        try await withMemoryContext(name: "workflow", budget: engine) { outer in
            _ = try outer.arena.allocate(UInt8.self, count: 100)
            try await withMemoryContext(name: "execution") { inner in
                await Task.yield()
                #expect(inner.parent === outer)
                #expect(inner.budget.parent === outer.budget)
                #expect(inner.budget.path == "engine/workflow/execution")
                _ = try inner.arena.allocate(UInt8.self, count: 50)
                #expect(outer.budget.used == 2 * chunk)
                #expect(engine.used == 2 * chunk)
            }
            #expect(MemoryContext.current === outer)
            #expect(engine.used == chunk)
        }
        #expect(engine.used == 0)
    }

    @Test func childTasksSeeTheContext() async throws {
        let engine = try MemoryBudget(name: "engine", limit: 1 << 20)
        try await withMemoryContext(name: "execution", budget: engine) { context in
            async let fromChild = MemoryContext.current?.budget.path
            let fromGroup = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let current = try #require(MemoryContext.current)
                        _ = try current.arena.allocate(UInt64.self, count: 8)
                        return current === context ? 1 : 0
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(await fromChild == "engine/execution")
            #expect(fromGroup == 4)
            #expect(engine.used == chunk)
            let detached = await Task.detached { MemoryContext.current == nil }.value
            #expect(detached)
        }
        #expect(engine.used == 0)
    }

    @Test func throwingBodyStillRefunds() async throws {
        // No stock, so that the peak is the chunk alone.
        let engine = try MemoryBudget(name: "engine", limit: 1 << 20, stockBatch: 0)
        await #expect(throws: BodyFailure.self) {
            try await withMemoryContext(name: "execution", budget: engine) { context in
                _ = try context.arena.allocate(UInt8.self, count: 300)
                await Task.yield()
                throw BodyFailure()
            }
        }
        #expect(engine.used == 0)
        #expect(engine.peak == chunk)
    }

    @Test func synchronousFormWorksTheSame() throws {
        let engine = try MemoryBudget(name: "engine", limit: 1 << 20)
        let used = try withMemoryContext(name: "execution", budget: engine) { context in
            _ = try context.arena.create(Int64(7))
            return try withMemoryContext(name: "node") { inner in
                _ = try inner.arena.allocate(UInt8.self, count: 10)
                return engine.used
            }
        }
        #expect(used == 2 * chunk)
        #expect(engine.used == 0)
    }

    @Test func missingBudgetIsReported() {
        let error = #expect(throws: AllocError.self) { try withMemoryContext(name: "orphan") { _ in 1 } }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("orphan") == true)
    }

    @Test(arguments: [("bad/name", 64 << 10), ("execution", 0), ("execution", -1)])
    func badNameOrCapacityIsReportedAndChargesNothing(name: String, capacity: Int) async throws {
        let engine = try MemoryBudget(name: "engine", limit: 1 << 20)
        await #expect(throws: AllocError.self) {
            try await withMemoryContext(name: name, budget: engine, arenaCapacity: capacity) { _ in
                await Task.yield()
                return 1
            }
        }
        #expect(engine.used == 0)
        #expect(MemoryContext.current == nil)
    }
}
