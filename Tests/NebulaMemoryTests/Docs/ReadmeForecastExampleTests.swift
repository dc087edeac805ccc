import NebulaMemory
import Testing

/// The forecast example of README.md, kept compiling and correct.
@Suite("README forecast example")
struct ReadmeForecastExampleTests {
    @Test func forecastExampleRuns() throws {
        let engine = kept(try MemoryBudget(name: "engine", limit: 512 << 20))
        let workflow = kept(try engine.child(name: "workflow-42", limit: 64 << 20, policy: .pressureAware()))

        // The README's lines:
        let watched = try MemoryMonitor(interval: .seconds(1), budget: engine, forecastHorizon: .seconds(120))
        watched.sample()
        let eta = watched.forecast?.timeToLimit

        let forecaster = try UsageForecaster(window: 60)
        let forecast = forecaster.sample(workflow)
        let growth = forecast.trend.slope

        // One sample of an idle budget: flat, and the limit out of sight.
        #expect(watched.forecast?.trend.sampleCount == 1)
        #expect(eta == nil)
        #expect(forecast.limit == 64 << 20)
        #expect(growth == 0)
    }

    @Test func forecastOfAGrowingWorkflow() throws {
        let engine = kept(try MemoryBudget(name: "engine", limit: 512 << 20, stockBatch: 0))
        let workflow = kept(try engine.child(name: "workflow-42", limit: 64 << 20, stockBatch: 0))
        let clock = ImmediateClock()
        let forecaster = try UsageForecaster(window: 60, clock: clock)
        var buffer = try workflow.reserve(0)
        var forecast = forecaster.sample(workflow)
        for _ in 0..<10 {
            try buffer.grow(by: 1 << 20)
            clock.advance(by: .seconds(1))
            forecast = forecaster.sample(workflow)
        }
        buffer.release()
        #expect(forecast.trend.slope == Double(1 << 20))
        #expect(forecast.timeToLimit == .seconds(54))  // 10 MiB used of 64, 1 MiB a second
    }
}
