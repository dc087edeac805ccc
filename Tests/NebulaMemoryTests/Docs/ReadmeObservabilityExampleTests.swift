import NebulaMemory
import Testing

/// The observability example of README.md, kept compiling and correct.
@Suite("README observability example")
struct ReadmeObservabilityExampleTests {
    @Test func registeringAndExporting() throws {
        let engineBudget = try MemoryBudget(name: "engine", limit: 1 << 30)
        let nodePool = try ConcurrentObjectPool(capacity: 8) { [UInt8]() }
        // The README's lines:
        let registry = MemoryRegistry.shared
        let engine = try registry.register(engineBudget, as: "engine")
        let nodes = try registry.register(nodePool, as: "nodes")
        let metrics = registry.snapshot().prometheusText()  // serve it at /metrics

        let parsed = try PrometheusText(metrics)
        #expect(parsed.value("nebula_memory_budget_limit_bytes", name: engine) == 1 << 30)
        #expect(parsed.value("nebula_memory_pool_capacity_objects", name: nodes) == 8)
        registry.unregister(engine)
        registry.unregister(nodes)
        withExtendedLifetime((engineBudget, nodePool)) {}
    }

    @Test func statisticsAndContexts() throws {
        let registry = MemoryRegistry()
        let arena = try BumpAllocator(capacity: 256)
        _ = try arena.allocate(Layout(size: 40, alignment: 8))
        _ = try? arena.allocate(Layout(size: 4096, alignment: 8))
        // The README's lines:
        let contexts = MemoryContexts()
        try registry.register(contexts, as: "contexts")
        let stats = arena.statistics!
        print(stats.failures[.arenaExhausted] ?? 0, stats.sizeClasses.nonEmptyClasses)

        #expect(stats.failures[.arenaExhausted] == 1)
        #expect(stats.sizeClasses.nonEmptyClasses.map(\.sizes) == [32...63])
        #expect(registry.snapshot()["contexts"]?.report.contexts != nil)
        withExtendedLifetime(contexts) {}
    }
}
