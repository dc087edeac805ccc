import NebulaMemory
import Testing

/// A forecast rising 1000 bytes a second whose limit is `seconds` away from the newest sample,
/// or a flat one for nil.
private func forecast(limitIn seconds: Int?) throws -> BudgetForecast {
    let forecaster = try UsageForecaster(window: 2)
    try forecaster.record(used: seconds == nil ? 1000 : 0, at: .zero)
    try forecaster.record(used: 1000, at: .seconds(1))
    return BudgetForecast(trend: forecaster.trend, limit: 1000 + 1000 * (seconds ?? 1))
}

@Suite("BudgetForecast")
struct BudgetForecastTests {
    @Test func timeToLimitIsTheTrendsAgainstTheLimit() throws {
        #expect(try forecast(limitIn: 42).timeToLimit == .seconds(42))
        #expect(try forecast(limitIn: nil).timeToLimit == nil)
    }

    // A horizon of 60 s: critical within 15 s, high within 60 s.
    @Test(arguments: [
        (0, MemoryPressure.critical), (10, .critical), (15, .critical), (16, .high), (60, .high), (61, .normal),
    ])
    func levelRisesAtOnce(seconds: Int, expected: MemoryPressure) throws {
        #expect(try forecast(limitIn: seconds).level(horizon: .seconds(60)) == expected)
    }

    @Test func flatTrendAsksForNothing() throws {
        #expect(try forecast(limitIn: nil).level(horizon: .seconds(60), from: .critical) == .normal)
    }

    // Leaving a level needs the limit a quarter further than its threshold: 18.75 s from
    // critical, 75 s from high.
    @Test(arguments: [
        (16, MemoryPressure.critical, MemoryPressure.critical), (19, .critical, .high), (70, .critical, .high),
        (70, .high, .high), (75, .high, .high), (76, .high, .normal), (76, .critical, .normal),
    ])
    func levelFallsOnlyPastTheMargin(seconds: Int, current: MemoryPressure, expected: MemoryPressure) throws {
        #expect(try forecast(limitIn: seconds).level(horizon: .seconds(60), from: current) == expected)
    }
}
