import Logging
import MetricsTestKit
import NebulaMemory
import NebulaMemoryMetrics
import Prometheus
import ServiceLifecycle
import Synchronization
import Testing

@Suite("MemoryMetricsService")
struct MemoryMetricsServiceTests {
    @Test func reportsAtTheIntervalAndOnceMoreWhenCancelled() async throws {
        let metrics = TestMetrics()
        let registry = MemoryRegistry()
        let budget = try MemoryBudget(name: "engine", limit: 1 << 20)
        try registry.register(budget, as: "engine")
        let service = try MemoryMetricsService(
            registry: registry, interval: .milliseconds(10), factory: metrics, logger: CapturedLogs().logger())
        let dimensions = [("name", "engine"), ("kind", "budget")]
        let running = Task { try await service.run() }
        // Three reports at the interval (the machine may be busy: up to 10 s).
        var waited = 0
        while (try? metrics.expectGauge("nebula_memory_budget_used_bytes", dimensions))?.values.count ?? 0 < 3,
            waited < 1000
        {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        let held = try budget.reserve(777)
        running.cancel()
        try await running.value
        // The last report, after cancellation, saw the reservation.
        let gauge = try metrics.expectGauge("nebula_memory_budget_used_bytes", dimensions)
        #expect(gauge.values.count >= 4)
        #expect(gauge.lastValue == 777)
        held.release()
        withExtendedLifetime(budget) {}
    }

    @Test func stopsAtGracefulShutdownOfItsServiceGroup() async throws {
        let metrics = TestMetrics()
        let registry = MemoryRegistry()
        let budget = try MemoryBudget(name: "engine", limit: 1 << 20)
        try registry.register(budget, as: "engine")
        let logger = CapturedLogs().logger()
        let service = try MemoryMetricsService(
            registry: registry, interval: .milliseconds(10), factory: metrics, logger: logger)
        let group = ServiceGroup(services: [service], logger: logger)
        let running = Task { try await group.run() }
        let dimensions = [("name", "engine"), ("kind", "budget")]
        var waited = 0
        while (try? metrics.expectGauge("nebula_memory_budget_limit_bytes", dimensions)) == nil, waited < 1000 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(try metrics.expectGauge("nebula_memory_budget_limit_bytes", dimensions).lastValue == Double(1 << 20))
        withExtendedLifetime(budget) {}
    }

    @Test func aZeroIntervalIsRefused() throws {
        #expect {
            _ = try MemoryMetricsService(interval: .zero, logger: CapturedLogs().logger())
        } throws: { error in
            (error as? AllocError)?.code == .invalidConfiguration
        }
    }

    @Test func swiftPrometheusProducesTheSameValues() throws {
        let prometheus = PrometheusCollectorRegistry()
        let registry = MemoryRegistry()
        let budget = try MemoryBudget(name: "engine", limit: 1 << 20, stockBatch: 0)
        let held = try budget.reserve(2048)
        let pool = try ConcurrentPoolAllocator(blockSize: 64, blockCount: 4)
        let block = try pool.allocateBlock()
        try registry.register(budget, as: "engine")
        try registry.register(pool, as: "blocks")
        let reporter = MemoryMetricsReporter(
            factory: PrometheusMetricsFactory(registry: prometheus), logger: CapturedLogs().logger())
        reporter.report(registry.snapshot())
        let text = prometheus.emitToString()

        /// The value of the sample of `metric` whose labels include `name`.
        func value(_ metric: String, _ name: String) -> Double? {
            for line in text.split(separator: "\n") where line.hasPrefix(metric + "{") {
                guard line.contains("name=\"\(name)\""), let space = line.lastIndex(of: " ") else { continue }
                return Double(line[line.index(after: space)...])
            }
            return nil
        }
        #expect(value("nebula_memory_budget_used_bytes", "engine") == 2048)
        #expect(value("nebula_memory_budget_limit_bytes", "engine") == Double(1 << 20))
        #expect(value("nebula_memory_in_use_bytes", "blocks") == 64)
        #expect(value("nebula_memory_allocations_total", "blocks") == 1)
        #expect(text.contains("# TYPE nebula_memory_allocations_total counter"))
        #expect(text.contains("# TYPE nebula_memory_budget_used_bytes gauge"))
        try pool.deallocateBlock(block)
        held.release()
        withExtendedLifetime((budget, pool)) {}
    }
}

@Suite("MemoryMonitorService")
struct MemoryMonitorServiceTests {
    @Test func levelChangesAreLogged() async throws {
        let logs = CapturedLogs()
        let available = Mutex(900)
        let monitor = try MemoryMonitor(
            interval: .milliseconds(5),
            source: {
                var memory = SystemMemory()
                memory.total = 1000
                memory.available = available.withLock { $0 }
                return memory
            })
        let running = Task { try await MemoryMonitorService(monitor, logger: logs.logger()).run() }
        try await Task.sleep(for: .milliseconds(50))
        available.withLock { $0 = 10 }
        var waited = 0
        while logs.records.isEmpty, waited < 2000 {
            try await Task.sleep(for: .milliseconds(5))
            waited += 1
        }
        running.cancel()
        try await running.value
        let change = try #require(logs.records.first)
        #expect(change.message == "memory pressure level changed")
        #expect(change.level == .warning)
        #expect(change.metadata["from"] == "normal")
        #expect(change.metadata["to"] == "critical")
    }
}
