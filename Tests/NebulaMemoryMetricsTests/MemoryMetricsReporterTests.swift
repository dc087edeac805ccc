import Logging
import MetricsTestKit
import NebulaMemory
import NebulaMemoryMetrics
import Testing

@Suite("MemoryMetricsReporter")
struct MemoryMetricsReporterTests {
    @Test func gaugesRecordAndCountersGrowByTheirIncrease() throws {
        let metrics = TestMetrics()
        let logs = CapturedLogs()
        let registry = MemoryRegistry()
        let arena = try ConcurrentBumpAllocator(capacity: 1 << 16)
        let budget = try MemoryBudget(name: "engine", limit: 1 << 20, stockBatch: 0)
        try registry.register(arena, as: "scratch")
        try registry.register(budget, as: "engine")
        let reporter = MemoryMetricsReporter(factory: metrics, logger: logs.logger())

        for _ in 0..<3 { _ = try arena.allocate(Layout(size: 32, alignment: 8)) }
        let held = try budget.reserve(4096)
        reporter.report(registry.snapshot())
        let arenaDimensions = [("name", "scratch"), ("kind", "concurrent_bump")]
        let engineDimensions = [("name", "engine"), ("kind", "budget")]
        #expect(metrics.counterTotal(label: "nebula_memory_allocations_total", dimensions: arenaDimensions) == 3)
        #expect(
            try metrics.expectGauge("nebula_memory_capacity_bytes", arenaDimensions).lastValue
                == Double(arena.capacity))
        #expect(try metrics.expectGauge("nebula_memory_budget_used_bytes", engineDimensions).lastValue == 4096)

        // A second report adds only what happened since: the totals match the allocator's.
        for _ in 0..<4 { _ = try arena.allocate(Layout(size: 32, alignment: 8)) }
        held.release()
        reporter.report(registry.snapshot())
        #expect(metrics.counterTotal(label: "nebula_memory_allocations_total", dimensions: arenaDimensions) == 7)
        #expect(
            metrics.counterTotal(label: "nebula_memory_budget_reservations_total", dimensions: engineDimensions) == 1)
        #expect(try metrics.expectGauge("nebula_memory_budget_used_bytes", engineDimensions).lastValue == 0)
        // Heap corruption is process-wide: other tests' may be logged too.
        #expect(logs.records.filter { $0.message != "heap corruption detected" }.isEmpty)
        withExtendedLifetime((arena, budget)) {}
    }

    /// An object replacing another under its name counts from zero, whether its counter is
    /// below the first's (which looks like a reset) or above it (where a difference alone would
    /// undercount); the metrics of a name that is gone are destroyed.
    @Test(arguments: [(5, 2), (2, 5)])
    func aReplacingObjectCountsFromZeroAndAGoneNameIsDestroyed(first: Int, second: Int) throws {
        let metrics = TestMetrics()
        let registry = MemoryRegistry()
        let reporter = MemoryMetricsReporter(factory: metrics, logger: CapturedLogs().logger())
        let dimensions = [("name", "scratch"), ("kind", "concurrent_bump")]
        for count in [first, second] {
            let arena = try ConcurrentBumpAllocator(capacity: 4096)
            try registry.register(arena, as: "scratch")
            for _ in 0..<count { _ = try arena.allocate(Layout(size: 8, alignment: 8)) }
            reporter.report(registry.snapshot())
            withExtendedLifetime(arena) {}
        }
        #expect(
            metrics.counterTotal(label: "nebula_memory_allocations_total", dimensions: dimensions) == first + second)
        reporter.report(registry.snapshot())
        #expect(metrics.counters(label: "nebula_memory_allocations_total", dimensions: dimensions).isEmpty)
        #expect(metrics.recorders(label: "nebula_memory_capacity_bytes", dimensions: dimensions).isEmpty)
    }

    @Test func aChildBudgetSharesItsRootsPressureAndOnlyTheRootLogsIt() throws {
        let logs = CapturedLogs()
        let registry = MemoryRegistry()
        let engine = try MemoryBudget(name: "engine", limit: 1000)
        let workflow = try engine.child(name: "workflow", limit: 500)
        try registry.register(engine, as: "engine")
        try registry.register(workflow, as: "workflow")
        let reporter = MemoryMetricsReporter(factory: TestMetrics(), logger: logs.logger())
        reporter.report(registry.snapshot())
        engine.updatePressure(.high)
        reporter.report(registry.snapshot())
        let changes = logs.records.filter { $0.message == "memory pressure level changed" }
        #expect(changes.count == 1)
        #expect(changes.first?.metadata["path"] == "engine")
        withExtendedLifetime((engine, workflow)) {}
    }

    @Test func deniedReservationsAreLoggedWithTheBudget() throws {
        let logs = CapturedLogs()
        let registry = MemoryRegistry()
        let engine = try MemoryBudget(name: "engine", limit: 1000, stockBatch: 0)
        let workflow = try engine.child(name: "workflow-7", limit: 500)
        try registry.register(workflow, as: "workflow-7")
        let reporter = MemoryMetricsReporter(factory: TestMetrics(), logger: logs.logger())
        reporter.report(registry.snapshot())
        for _ in 0..<2 { #expect(throws: AllocError.self) { _ = try workflow.reserve(600) } }
        reporter.report(registry.snapshot())
        reporter.report(registry.snapshot())

        let denials = logs.records.filter { $0.message == "memory budget denied reservations" }
        #expect(denials.count == 1)
        #expect(denials.first?.level == .warning)
        #expect(denials.first?.metadata["denials"] == "2")
        #expect(denials.first?.metadata["path"] == "engine/workflow-7")
        #expect(denials.first?.metadata["limit_bytes"] == "500")
        withExtendedLifetime((engine, workflow)) {}
    }

    @Test func pressureChangesAreLoggedUpAsWarningsDownAsNotices() throws {
        let logs = CapturedLogs()
        let registry = MemoryRegistry()
        let engine = try MemoryBudget(name: "engine", limit: 1000)
        try registry.register(engine, as: "engine")
        let reporter = MemoryMetricsReporter(factory: TestMetrics(), logger: logs.logger())
        reporter.report(registry.snapshot())
        engine.updatePressure(.critical)
        reporter.report(registry.snapshot())
        engine.updatePressure(.moderate)
        reporter.report(registry.snapshot())
        reporter.report(registry.snapshot())

        let changes = logs.records.filter { $0.message == "memory pressure level changed" }
        #expect(changes.map(\.level) == [.warning, .notice])
        #expect(changes.map { $0.metadata["to"] ?? "" } == ["critical", "moderate"])
        #expect(changes.first?.metadata["from"] == "normal")
        withExtendedLifetime(engine) {}
    }

    @Test func poolLeaksAreLogged() throws {
        let logs = CapturedLogs()
        let clock = ManualPoolClock()
        var configuration = ObjectPoolConfiguration<Int>(leakDetectionThreshold: .seconds(10))
        configuration.clock = clock.poolClock
        let pool = try ConcurrentObjectPool(capacity: 2, configuration: configuration) { 0 }
        let registry = MemoryRegistry()
        try registry.register(pool, as: "connections")
        let reporter = MemoryMetricsReporter(factory: TestMetrics(), logger: logs.logger())
        let leaked = try pool.checkout()
        reporter.report(registry.snapshot())
        clock.advance(by: .seconds(11))
        #expect(pool.reportLeaks().count == 1)
        reporter.report(registry.snapshot())

        let leaks = logs.records.filter { $0.message == "object pool objects out past the leak threshold" }
        #expect(leaks.count == 1)
        #expect(leaks.first?.metadata["name"] == "connections")
        #expect(leaks.first?.metadata["leaks"] == "1")
        withExtendedLifetime(pool) {}
        _ = consume leaked
    }

    @Test func heapCorruptionIsLoggedOnceAsCritical() throws {
        let arena = try BumpAllocator(capacity: 4096, configuration: .hardened)
        let layout = try Layout(size: 1409, alignment: 1)
        let pointer = try arena.allocate(layout)
        let canary = pointer.load(fromByteOffset: 1409, as: UInt8.self)
        pointer.storeBytes(of: ~canary, toByteOffset: 1409, as: UInt8.self)
        #expect(throws: AllocError.self) { try arena.deallocate(pointer, layout: layout) }
        let logs = CapturedLogs()
        let reporter = MemoryMetricsReporter(factory: TestMetrics(), logger: logs.logger())
        reporter.report(MemoryRegistry().snapshot())
        reporter.report(MemoryRegistry().snapshot())
        let mine = logs.records.filter {
            $0.message == "heap corruption detected" && $0.metadata["detail"]?.contains("(size 1409 bytes)") == true
        }
        #expect(mine.count == 1, "logged once, not at every report")
        #expect(mine.first?.level == .critical)
        #expect(mine.first?.metadata["code"] == "ALLOC_INVALID_STATE")
        #expect(mine.first?.metadata["allocator"] == "arena")
        pointer.storeBytes(of: canary, toByteOffset: 1409, as: UInt8.self)
        try arena.deallocate(pointer, layout: layout)
    }
}
