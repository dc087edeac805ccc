import Foundation
import NebulaMemory
import Testing

@Suite("MemoryRegistry")
struct MemoryRegistryTests {
    @Test func snapshotReadsEveryKindSortedByName() throws {
        let registry = MemoryRegistry()
        let budget = try MemoryBudget(name: "engine", limit: 1 << 20, stockBatch: 0)
        let reservation = try budget.reserve(4096)
        let arena = try ConcurrentBumpAllocator(capacity: 1 << 16)
        _ = try arena.allocate(Layout(size: 100, alignment: 8))
        let pool = try ConcurrentPoolAllocator(blockSize: 64, blockCount: 8)
        let block = try pool.allocateBlock()
        let objects = try ConcurrentObjectPool(capacity: 4) { [Int]() }
        let checkedOut = try objects.checkout()
        try registry.register(budget, as: "engine")
        try registry.register(arena, as: "arena")
        try registry.register(pool, as: "blocks")
        try registry.register(objects, as: "nodes")

        let snapshot = registry.snapshot()
        #expect(snapshot.entries.map(\.name) == ["arena", "blocks", "engine", "nodes"])
        let engine = try #require(snapshot["engine"]?.report.budget)
        #expect(snapshot["engine"]?.report.kind == .budget)
        #expect(engine.usedBytes == 4096 && engine.limitBytes == 1 << 20 && engine.path == "engine")
        #expect(engine.reservations == 1 && engine.denials == 0 && engine.pressure == .normal)
        let arenaReport = try #require(snapshot["arena"]?.report)
        #expect(arenaReport.kind == .concurrentBump && arenaReport.capacityBytes == arena.capacity)
        #expect(arenaReport.allocator?.allocations == 1)
        let blocks = try #require(snapshot["blocks"]?.report)
        #expect(blocks.kind == .concurrentPool && blocks.capacityBytes == 8 * 64)
        #expect(blocks.allocator?.bytesInUse == 64)
        let nodes = try #require(snapshot["nodes"]?.report.objectPool)
        #expect(snapshot["nodes"]?.report.kind == .concurrentObjectPool)
        #expect(nodes.inUse == 1 && nodes.idle == 0 && nodes.capacity == 4 && nodes.statistics?.misses == 1)
        try pool.deallocateBlock(block)
        _ = checkedOut
        reservation.release()
        withExtendedLifetime((budget, arena, pool, objects)) {}
    }

    @Test func aTakenNameGetsASuffixAndNeverReplacesTheHolder() throws {
        let registry = MemoryRegistry()
        let budgets = try (0..<3).map { try MemoryBudget(name: "b\($0)", limit: 1000 * ($0 + 1)) }
        let names = try budgets.map { try registry.register($0, as: "workflow") }
        #expect(names == ["workflow", "workflow-2", "workflow-3"])
        let snapshot = registry.snapshot()
        #expect(snapshot.entries.map { $0.report.budget?.limitBytes } == [1000, 2000, 3000])
        // The same object again under its own name keeps its one entry.
        #expect(try registry.register(budgets[0], as: "workflow") == "workflow")
        #expect(registry.names == ["workflow", "workflow-2", "workflow-3"])
        withExtendedLifetime(budgets) {}
    }

    @Test func anEmptyNameIsRefusedAndNothingIsRegistered() throws {
        let registry = MemoryRegistry()
        let budget = try MemoryBudget(name: "engine", limit: 100)
        let error = expectAllocError(.invalidConfiguration) { try registry.register(budget, as: "") }
        #expect(error?.message.contains("must not be empty") == true)
        #expect(registry.names.isEmpty && registry.snapshot().entries.isEmpty)
    }

    @Test func objectsAreHeldWeaklyAndLeaveWhenDeallocated() throws {
        let registry = MemoryRegistry()
        var budget: MemoryBudget? = try MemoryBudget(name: "short", limit: 100)
        weak let watched = budget
        try registry.register(budget!, as: "short")
        #expect(registry.names == ["short"])
        budget = nil
        #expect(watched == nil)
        #expect(registry.snapshot().entries.isEmpty && registry.names.isEmpty)
        // The name is free again: no suffix.
        let next = try MemoryBudget(name: "next", limit: 100)
        #expect(try registry.register(next, as: "short") == "short")
    }

    @Test func unregisterRemovesOnlyThatName() throws {
        let registry = MemoryRegistry()
        let a = try MemoryBudget(name: "a", limit: 1)
        let b = try MemoryBudget(name: "b", limit: 1)
        try registry.register(a, as: "a")
        try registry.register(b, as: "b")
        #expect(registry.unregister("a"))
        #expect(!registry.unregister("a"))
        #expect(!registry.unregister("never"))
        #expect(registry.names == ["b"])
        withExtendedLifetime((a, b)) {}
    }

    @Test func jsonDecodesBackToTheSameSnapshot() throws {
        let registry = MemoryRegistry()
        let budget = try MemoryBudget(name: "engine", limit: 1 << 20)
        budget.updatePressure(.high)
        let arena = try ConcurrentBumpAllocator(capacity: 4096, configuration: .init(trackStatistics: false))
        let objects = try ConcurrentObjectPool(capacity: 2) { 0 }
        try registry.register(budget, as: "quote \" backslash \\ newline \n tab \t bell \u{7} é ✓")
        try registry.register(arena, as: "untracked")
        try registry.register(objects, as: "objects")
        let snapshot = registry.snapshot()
        let text = snapshot.jsonText()
        #expect(!text.contains("\n"))
        let decoded = try JSONDecoder().decode(MemorySnapshot.self, from: Data(text.utf8))
        #expect(decoded == snapshot)
        #expect(decoded.entries.first { $0.name == "untracked" }?.report.allocator == nil)
        #expect(!text.contains("\"allocator\":null"))
        withExtendedLifetime((budget, arena, objects)) {}
    }

    @Test func prometheusTextParsesBackMetricByMetric() throws {
        let registry = MemoryRegistry()
        let budget = try MemoryBudget(name: "engine", limit: 1 << 20, stockBatch: 0)
        let reservation = try budget.reserve(1000)
        _ = expectAllocError(.budgetExceeded) { _ = try budget.reserve(1 << 21) }
        let arena = try ConcurrentBumpAllocator(capacity: 1 << 16)
        for _ in 0..<5 { _ = try arena.allocate(Layout(size: 48, alignment: 16)) }
        _ = try arena.allocate(Layout(size: 3, alignment: 1))
        expectAllocError(.arenaExhausted) { try arena.allocate(Layout(size: 1 << 20, alignment: 8)) }
        let objects = try ConcurrentObjectPool(capacity: 3) { "node" }
        _ = try objects.checkout()
        let odd = "wf \"7\"\\next\nline"
        try registry.register(budget, as: odd)
        try registry.register(arena, as: "arena")
        try registry.register(objects, as: "objects")
        let snapshot = registry.snapshot()

        let parsed = try PrometheusText(snapshot.prometheusText())
        #expect(parsed.value("nebula_memory_budget_used_bytes", name: odd) == 1000)
        #expect(parsed.value("nebula_memory_budget_limit_bytes", name: odd) == 1 << 20)
        #expect(parsed.value("nebula_memory_budget_denials_total", name: odd) == 1)
        #expect(parsed.value("nebula_memory_budget_reservations_total", name: odd) == 1)
        #expect(parsed.value("nebula_memory_allocations_total", name: "arena") == 6)
        #expect(parsed.value("nebula_memory_allocations_by_size_total", name: "arena", ("size", "32-63")) == 5)
        #expect(parsed.value("nebula_memory_allocations_by_size_total", name: "arena", ("size", "2-3")) == 1)
        #expect(
            parsed.value("nebula_memory_allocation_failures_total", name: "arena", ("code", "ALLOC_ARENA_EXHAUSTED"))
                == 1)
        #expect(parsed.value("nebula_memory_capacity_bytes", name: "arena") == arena.capacity)
        #expect(parsed.value("nebula_memory_pool_hits_total", name: "objects") == 0)
        #expect(parsed.value("nebula_memory_pool_misses_total", name: "objects") == 1)
        #expect(parsed.value("nebula_memory_pool_idle_objects", name: "objects") == 1)
        // Every sample: the right kind label, a known type, counters ending in _total.
        for sample in parsed.samples {
            let kind = try #require(snapshot[sample.labels["name"] ?? ""]?.report.kind)
            #expect(sample.labels["kind"] == kind.rawValue)
            #expect(sample.name.hasPrefix("nebula_memory_"))
            #expect((parsed.types[sample.name] == "counter") == sample.name.hasSuffix("_total"))
            #expect(parsed.help[sample.name]?.isEmpty == false)
        }
        // Each entry exports exactly the metrics of its kind.
        #expect(parsed.samples.filter { $0.labels["name"] == odd }.count == 6)
        #expect(parsed.samples.filter { $0.labels["name"] == "arena" }.count == 10)
        #expect(parsed.samples.filter { $0.labels["name"] == "objects" }.count == 12)
        reservation.release()
        withExtendedLifetime((budget, arena, objects)) {}
    }

    @Test func anEmptyRegistryExportsNothing() {
        let snapshot = MemoryRegistry().snapshot()
        #expect(snapshot.prometheusText().isEmpty)
        #expect(snapshot.jsonText() == "{\"entries\":[]}")
    }

    @Test func anObjectRegisteredAgainKeepsItsNameAndIsNotCountedTwice() throws {
        let registry = MemoryRegistry()
        let budget = try MemoryBudget(name: "engine", limit: 1)
        #expect(try registry.register(budget, as: "engine") == "engine")
        #expect(try registry.register(budget, as: "other") == "engine")
        #expect(registry.names == ["engine"])
        #expect(registry.snapshot().entries.count == 1)
        withExtendedLifetime(budget) {}
    }

    @Test func unregisteringAnObjectRemovesItWhateverItsName() throws {
        let registry = MemoryRegistry()
        let a = try MemoryBudget(name: "a", limit: 1)
        let b = try MemoryBudget(name: "b", limit: 1)
        try registry.register(a, as: "shared")
        try registry.register(b, as: "shared")
        #expect(registry.unregister(a))
        #expect(!registry.unregister(a))
        #expect(registry.names == ["shared-2"])
        withExtendedLifetime((a, b)) {}
    }

    @Test func aLaterObjectUnderAFreedNameHasAnotherRegistration() throws {
        let registry = MemoryRegistry()
        var first: MemoryBudget? = try MemoryBudget(name: "first", limit: 1)
        try registry.register(first!, as: "workflow")
        let before = try #require(registry.snapshot()["workflow"]?.registration)
        first = nil
        let second = try MemoryBudget(name: "second", limit: 2)
        try registry.register(second, as: "workflow")
        let after = try #require(registry.snapshot()["workflow"])
        #expect(after.registration != before)
        #expect(after.report.budget?.limitBytes == 2)
        withExtendedLifetime(second) {}
    }

    @Test func aRegisteredContextBudgetIsNotReusedByTheNextContext() throws {
        let registry = MemoryRegistry()
        let workflow = try MemoryBudget(name: "workflow", limit: 1 << 24)
        weak var registeredBudget: MemoryBudget?
        weak var registeredArena: ConcurrentBumpAllocator?
        try withMemoryContext(name: "first", budget: workflow) { context in
            try registry.register(context.budget, as: "execution")
            try registry.register(context.arena, as: "execution-arena")
            registeredBudget = context.budget
            registeredArena = context.arena
            _ = try context.arena.allocate(Layout(size: 64, alignment: 8))
        }
        // Not kept for recycling: gone with the context, and gone from the registry.
        #expect(registeredBudget == nil && registeredArena == nil)
        try withMemoryContext(name: "second", budget: workflow) { context in
            #expect(context.budget.name == "second")
        }
        #expect(registry.snapshot().entries.isEmpty)
    }

    @Test func anAsyncObjectPoolReportsItsCounts() async throws {
        let registry = MemoryRegistry()
        let pool = try AsyncObjectPool(capacity: 3) { 7 }
        try registry.register(pool, as: "connections")
        let held = try await pool.checkout(timeout: .seconds(30))
        let report = try #require(registry.snapshot()["connections"]?.report)
        #expect(report.kind == .asyncObjectPool)
        #expect(report.objectPool?.inUse == 1 && report.objectPool?.capacity == 3)
        #expect(report.objectPool?.statistics?.misses == 1)
        withExtendedLifetime(pool) {}
        _ = consume held
    }
}
