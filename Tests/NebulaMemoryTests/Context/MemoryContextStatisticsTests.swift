import NebulaMemory
import Testing

/// Context counts are process-wide and other tests open contexts at the same time: these
/// check lower bounds, and what this test alone decides.
@Suite("MemoryContext statistics")
struct MemoryContextStatisticsTests {
    @Test func openingAndClosingContextsIsCounted() throws {
        let budget = try MemoryBudget(name: "workflow", limit: 1 << 20)
        let before = MemoryContext.statistics
        for _ in 0..<3 {
            try withMemoryContext(name: "execution", budget: budget) { _ in
                #expect(MemoryContext.statistics.open >= 1, "this context is open")
            }
        }
        let after = MemoryContext.statistics
        #expect(after.opened - before.opened >= 3)
        #expect(after.closed - before.closed >= 3)
        #expect(after.opened >= after.closed)
    }

    @Test func aContextReusedWholeIsCountedAsReopened() throws {
        let budget = try MemoryBudget(name: "workflow", limit: 1 << 20)
        let before = MemoryContext.statistics
        // On one thread, under one parent: the second reuses the first's context, unless a
        // test trimming the kept contexts runs in between; a few tries see it.
        for _ in 0..<20 where MemoryContext.statistics.reopened == before.reopened {
            for _ in 0..<2 { try withMemoryContext(name: "execution", budget: budget) { _ in } }
        }
        #expect(MemoryContext.statistics.reopened > before.reopened)
    }

    @Test func theRegistryExportsTheContextsCounts() throws {
        let registry = MemoryRegistry()
        let contexts = MemoryContexts()
        try registry.register(contexts, as: "contexts")
        let budget = try MemoryBudget(name: "workflow", limit: 1 << 20)
        try withMemoryContext(name: "execution", budget: budget) { _ in }
        let report = try #require(registry.snapshot()["contexts"]?.report)
        #expect(report.kind == .contexts)
        let counts = try #require(report.contexts)
        #expect(counts.opened >= 1 && counts.closed >= 1)
        let parsed = try PrometheusText(registry.snapshot().prometheusText())
        #expect((parsed.value("nebula_memory_contexts_opened_total", name: "contexts") ?? 0) >= 1)
        #expect(parsed.value("nebula_memory_open_contexts", name: "contexts") != nil)
        withExtendedLifetime(contexts) {}
    }
}
