import NebulaMemory
import Testing

/// The budgets example of README.md, kept compiling and correct.
@Suite("README budget example")
struct ReadmeBudgetExampleTests {
    @Test func budgetExampleRuns() async throws {
        let engine = kept(try MemoryBudget(name: "engine", limit: 512 << 20))
        let workflow = kept(try engine.child(name: "workflow-42", limit: 64 << 20, policy: .pressureAware()))

        var buffer = try workflow.reserve(1 << 20)
        try buffer.grow(by: 4096)
        #expect(engine.used == (1 << 20) + 4096)
        buffer.release()
        #expect(engine.used == 0)

        let rows = try withMemoryContext(name: "execution-7", budget: workflow, limit: 8 << 20) { context in
            let row = try context.arena.allocate(UInt8.self, count: 512)
            row.initialize(repeating: 0, count: 512)
            return MemoryContext.current?.budget.used ?? 0
        }
        #expect(rows == 64 << 10)  // one chunk
        #expect(workflow.used == 0)

        let monitor = try MemoryMonitor(interval: .seconds(1), budget: engine)
        let level = monitor.sample()
        #expect(workflow.pressure == level)
    }
}
