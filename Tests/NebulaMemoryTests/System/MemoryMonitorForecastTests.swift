import NebulaMemory
import Synchronization
import Testing

/// A reservation that grows on request, for a source of samples that moves a budget's use.
private final class GrowingUse: Sendable {
    private let reservation: Mutex<Reservation>

    init(_ budget: MemoryBudget) throws {
        reservation = Mutex(try budget.reserve(0))
    }

    func grow(by bytes: Int) {
        reservation.withLock { try? $0.grow(by: bytes) }
    }

    func releaseAll() {
        reservation.withLock { try? $0.shrink(by: $0.bytes) }
    }
}

@Suite("MemoryMonitor forecast")
struct MemoryMonitorForecastTests {
    /// Plenty of system memory: any raised level comes from the forecast.
    private let plenty: @Sendable () -> SystemMemory = { SystemMemory(total: 1000, available: 900) }

    @Test func risingBudgetRaisesTheLevelBeforeItIsFullAndFlatOneLowersIt() throws {
        let engine = kept(try MemoryBudget(name: "engine", limit: 1 << 20, stockBatch: 0))
        let workflow = kept(try engine.child(name: "workflow", limit: 1 << 20, policy: .pressureAware()))
        let clock = ImmediateClock()
        let monitor = try MemoryMonitor(
            budget: engine, forecastHorizon: .seconds(60), forecastWindow: 5, clock: clock, source: plenty)
        let use = try GrowingUse(engine)
        defer { use.releaseAll() }
        #expect(monitor.forecast == nil)

        // 16 KiB a second fills the 1 MiB in 64 s: the limit is 60 s away at 4 s, 15 s away at 49 s.
        var levels: [MemoryPressure] = []
        for second in 0...50 {
            if second > 0 {
                use.grow(by: 16 << 10)
                clock.advance(by: .seconds(1))
            }
            levels.append(monitor.sample())
        }
        #expect(levels[0...3].allSatisfy { $0 == .normal })
        #expect(levels[4...48].allSatisfy { $0 == .high })
        #expect(levels[49...50].allSatisfy { $0 == .critical })
        #expect(monitor.forecast?.timeToLimit == .seconds(14))
        #expect(monitor.forecast?.limit == 1 << 20)
        #expect(workflow.pressure == .critical)
        #expect(workflow.effectiveLimit == 1 << 18)

        // Use levels off at 800 KiB: once the rise has left the 5-sample window, the trend is flat.
        var falling: [MemoryPressure] = []
        for _ in 0..<4 {
            clock.advance(by: .seconds(1))
            falling.append(monitor.sample())
        }
        #expect(falling.last == .normal)
        #expect(zip(falling, falling.dropFirst()).allSatisfy { $0 >= $1 }, "\(falling)")
        #expect(monitor.forecast?.timeToLimit == nil)
        #expect(monitor.forecast?.trend.slope == 0)
        #expect(workflow.pressure == .normal)
    }

    @Test func withoutAHorizonTheSameRiseRaisesNothing() throws {
        let engine = kept(try MemoryBudget(name: "engine", limit: 1 << 20, stockBatch: 0))
        let clock = ImmediateClock()
        let monitor = try MemoryMonitor(budget: engine, clock: clock, source: plenty)
        let use = try GrowingUse(engine)
        defer { use.releaseAll() }
        for _ in 0...50 {
            use.grow(by: 16 << 10)
            clock.advance(by: .seconds(1))
            #expect(monitor.sample() == .normal)
        }
        #expect(monitor.forecast == nil)
    }

    @Test func systemPressureStillCountsWhenTheForecastIsCalm() throws {
        let engine = kept(try MemoryBudget(name: "engine", limit: 1 << 20))
        let memory = ScriptedMemory(available: [900, 80, 900])
        let monitor = try MemoryMonitor(
            budget: engine, forecastHorizon: .seconds(60), clock: ImmediateClock(), source: memory.read)
        #expect(monitor.sample() == .normal)
        #expect(monitor.sample() == .high)
        #expect(monitor.forecast?.timeToLimit == nil)
        #expect(monitor.sample() == .normal)
    }

    @Test func streamPublishesTheForecastsLevels() async throws {
        let engine = kept(try MemoryBudget(name: "engine", limit: 1 << 20, stockBatch: 0))
        let use = try GrowingUse(engine)
        defer { use.releaseAll() }
        // Each sample first grows the budget by 16 KiB, one interval after the last.
        let monitor = try MemoryMonitor(
            budget: engine, forecastHorizon: .seconds(60), forecastWindow: 5, clock: ImmediateClock(),
            source: { [plenty] in
                use.grow(by: 16 << 10)
                return plenty()
            })
        var seen: [MemoryPressure] = []
        for await level in monitor.levels() {
            seen.append(level)
            if seen.count == 3 { break }
        }
        #expect(seen == [.normal, .high, .critical])
    }

    // MARK: Bad input

    @Test(arguments: [Duration.zero, .seconds(-5)])
    func nonPositiveHorizonIsRejected(horizon: Duration) throws {
        let engine = try MemoryBudget(name: "engine", limit: 1 << 20)
        let error = expectAllocError(.invalidConfiguration) {
            try MemoryMonitor(budget: engine, forecastHorizon: horizon)
        }
        #expect(error?.message.contains("forecastHorizon \(horizon) must be positive") == true)
        #expect(error?.allocatorKind == .monitor)
    }

    @Test func horizonWithoutABudgetIsRejected() {
        let error = expectAllocError(.invalidConfiguration) { try MemoryMonitor(forecastHorizon: .seconds(60)) }
        #expect(error?.message.contains("needs a budget") == true)
    }

    @Test(arguments: [
        (1, "must hold at least 2"), (0, "must hold at least 2"), (-3, "must hold at least 2"),
        (Int.max, "is above the maximum"),
    ])
    func forecastWindowOutOfRangeIsRejected(window: Int, problem: String) throws {
        let engine = try MemoryBudget(name: "engine", limit: 1 << 20)
        let error = expectAllocError(.invalidConfiguration) {
            try MemoryMonitor(budget: engine, forecastHorizon: .seconds(60), forecastWindow: window)
        }
        #expect(error?.message.contains("forecastWindow \(window) \(problem)") == true)
    }
}
