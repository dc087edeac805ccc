import NebulaMemory
import Testing

extension Duration {
    /// The duration in seconds, for tolerances.
    fileprivate var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}

/// A forecaster holding `samples`, as (time, bytes used).
private func forecaster(
    window: Int = 64, maxAge: Duration? = nil, _ samples: [(Duration, Int)]
) throws -> UsageForecaster {
    let forecaster = try UsageForecaster(window: window, maxAge: maxAge)
    for (time, used) in samples { try forecaster.record(used: used, at: time) }
    return forecaster
}

@Suite("UsageForecaster")
struct UsageForecasterTests {
    // An origin of 31 years puts the times at 10^9 s: summing their squares as they are would
    // cancel every digit of a slope of a few kilobytes per second.
    @Test(arguments: [Duration.zero, .seconds(1_000_000_000)])
    func linearSeriesHasItsExactSlopeAndTimeToLimit(origin: Duration) throws {
        let base = 64 << 30
        let samples = (0..<60).map { (origin + .seconds($0), base + 4096 * $0) }
        let trend = try forecaster(window: 60, samples).trend
        #expect(abs(trend.slope - 4096) < 1e-6)
        #expect(trend.sampleCount == 60)
        #expect(trend.latest == origin + .seconds(59))
        #expect(trend.latestUsed == base + 4096 * 59)
        #expect(trend.span == .seconds(59))
        #expect(abs(trend.usage(at: origin + .seconds(30)) - Double(base + 4096 * 30)) < 1e-3)
        #expect(abs(trend.intercept - (Double(base) - 4096 * origin.secondsValue)) < 1e-3)
        // 1 MiB above the newest sample at 4 KiB/s: 256 s.
        let eta = try #require(trend.timeToLimit(base + 4096 * 59 + (1 << 20)))
        #expect(abs((eta - .seconds(256)).secondsValue) < 1e-6)
    }

    @Test func flatSeriesNeverReachesALimitAbove() throws {
        let trend = try forecaster((0..<10).map { (.seconds($0), 5000) }).trend
        #expect(trend.slope == 0)
        #expect(trend.intercept == 5000)
        #expect(trend.timeToLimit(6000) == nil)
        #expect(trend.timeToLimit(5000) == .zero)
    }

    @Test func fallingSeriesNeverReachesALimitAbove() throws {
        let trend = try forecaster((0..<10).map { (.seconds($0), 10_000 - 100 * $0) }).trend
        #expect(abs(trend.slope + 100) < 1e-9)
        #expect(trend.timeToLimit(20_000) == nil)
        #expect(trend.timeToLimit(9_100) == .zero)  // the newest sample is there already
    }

    @Test func noisyLinearSeriesKeepsItsSlopeWithinAFewPercent() throws {
        var random = SeededGenerator(seed: 42)
        // Noise of ±50 kB on a rise of 10 kB a second: the standard error of the slope is 0.8 %.
        let samples = (0..<120).map { second in
            (Duration.seconds(second), 10_000_000 + 10_000 * second + Int.random(in: -50_000...50_000, using: &random))
        }
        #expect(zip(samples, samples.dropFirst()).contains { $0.1 > $1.1 }, "the series must not be monotonic")
        let trend = try forecaster(window: 120, samples).trend
        #expect(abs(trend.slope - 10_000) < 300)
        // 600 s ahead of the newest sample, on the true line.
        let eta = try #require(trend.timeToLimit(10_000_000 + 10_000 * 119 + 6_000_000))
        #expect(abs(eta.secondsValue - 600) < 30)
    }

    @Test func aRiseThatLeftTheWindowIsForgotten() throws {
        let forecaster = try UsageForecaster(window: 10)
        for second in 0..<20 { try forecaster.record(used: 1000 * second, at: .seconds(second)) }
        for second in 20..<25 { try forecaster.record(used: 19_000, at: .seconds(second)) }
        #expect(forecaster.trend.slope > 0, "half the window still rises")
        #expect(forecaster.trend.timeToLimit(40_000) != nil)
        for second in 25..<30 { try forecaster.record(used: 19_000, at: .seconds(second)) }
        let trend = forecaster.trend
        #expect(trend.slope == 0)
        #expect(trend.timeToLimit(40_000) == nil)
        #expect(trend.sampleCount == 10)
        #expect(trend.span == .seconds(9))
    }

    @Test func samplesOlderThanMaxAgeAreForgotten() throws {
        let forecaster = try UsageForecaster(window: 100, maxAge: .seconds(5))
        for second in 0..<10 { try forecaster.record(used: 1000 * second, at: .seconds(second)) }
        for second in 10..<14 { try forecaster.record(used: 9000, at: .seconds(second)) }
        #expect(forecaster.trend.slope > 0, "8 s, at 8000 bytes, is 5 s old: still in the window")
        try forecaster.record(used: 9000, at: .seconds(14))
        #expect(forecaster.trend.slope == 0)
        #expect(forecaster.sampleCount == 6)
        #expect(forecaster.trend.span == .seconds(5))
    }

    @Test func emptyWindowHasNoTrend() throws {
        let trend = try UsageForecaster().trend
        #expect(trend.sampleCount == 0)
        #expect(trend.slope == 0)
        #expect(trend.latestUsed == 0)
        #expect(trend.timeToLimit(0) == nil)
        #expect(trend.timeToLimit(1000) == nil)
    }

    @Test func oneSampleIsFlat() throws {
        let trend = try forecaster([(.seconds(3), 500)]).trend
        #expect(trend.sampleCount == 1)
        #expect(trend.slope == 0)
        #expect(trend.intercept == 500)
        #expect(trend.usage(at: .seconds(100)) == 500)
        #expect(trend.span == .zero)
        #expect(trend.timeToLimit(1000) == nil)
        #expect(trend.timeToLimit(500) == .zero)
    }

    @Test func samplesAtOneTimeAreFlatUntilTimeMoves() throws {
        let forecaster = try forecaster([(.seconds(2), 100), (.seconds(2), 300), (.seconds(2), 800)])
        let flat = forecaster.trend
        #expect(flat.sampleCount == 3)
        #expect(flat.slope == 0)
        #expect(flat.usage(at: .seconds(2)) == 400)
        #expect(flat.timeToLimit(1000) == nil)
        try forecaster.record(used: 1400, at: .seconds(3))
        #expect(abs(forecaster.trend.slope - 1000) < 1e-9)
    }

    @Test func lineAlreadyOverTheLimitIsZeroAway() throws {
        // Fitted: 500 B/s through 1500 at 2 s, while the newest sample is at 1000.
        let trend = try forecaster([(.seconds(0), 0), (.seconds(1), 2000), (.seconds(2), 1000)]).trend
        #expect(abs(trend.usage(at: .seconds(2)) - 1500) < 1e-9)
        #expect(trend.timeToLimit(1200) == .zero)
        #expect(trend.timeToLimit(2500) == .seconds(2))
    }

    @Test func limitCenturiesAwayIsNil() throws {
        let trend = try forecaster([(.seconds(0), 0), (.seconds(1), 1)]).trend
        #expect(trend.timeToLimit(1_000_001) == .seconds(1_000_000))
        #expect(trend.timeToLimit(.max) == nil)
    }

    @Test func sampleReadsTheBudgetOnTheForecastersClock() throws {
        let clock = ImmediateClock()
        let budget = kept(try MemoryBudget(name: "engine", limit: 1 << 20, stockBatch: 0))
        let forecaster = try UsageForecaster(window: 8, clock: clock)
        var reservation = try budget.reserve(0)
        var forecast = forecaster.sample(budget)
        for _ in 1...4 {
            try reservation.grow(by: 64 << 10)
            clock.advance(by: .seconds(1))
            forecast = forecaster.sample(budget)
        }
        reservation.release()
        #expect(forecaster.now == .seconds(4))
        #expect(forecast.limit == 1 << 20)
        #expect(forecast.trend.latest == .seconds(4))
        #expect(forecast.trend.slope == 65_536)
        #expect(forecast.timeToLimit == .seconds(12))  // 768 KiB to go at 64 KiB/s
    }

    @Test func resetForgetsEverySample() throws {
        let forecaster = try forecaster([(.seconds(0), 0), (.seconds(1), 1000)])
        forecaster.reset()
        #expect(forecaster.sampleCount == 0)
        #expect(forecaster.trend.timeToLimit(10_000) == nil)
        try forecaster.record(used: 10, at: .zero)  // times start over
        #expect(forecaster.sampleCount == 1)
    }

    // MARK: Bad input

    @Test func earlierSampleIsRefusedAndChangesNothing() throws {
        let forecaster = try forecaster([(.seconds(4), 100), (.seconds(5), 200)])
        let before = forecaster.trend
        let error = expectAllocError(.invalidState) { try forecaster.record(used: 900, at: .seconds(4)) }
        #expect(error?.message.contains("earlier than the newest") == true)
        #expect(forecaster.trend == before)
        try forecaster.record(used: 300, at: .seconds(5))  // the same time is in order
        #expect(forecaster.sampleCount == 3)
    }

    @Test func clockBehindAnExplicitSampleIsRefused() throws {
        let forecaster = try UsageForecaster(clock: ImmediateClock())
        try forecaster.record(used: 100, at: .seconds(10))
        expectAllocError(.invalidState) { try forecaster.record(used: 200) }
        #expect(forecaster.sampleCount == 1)
    }

    @Test func negativeUseIsRefused() throws {
        let forecaster = try UsageForecaster()
        let error = expectAllocError(.invalidLayout) { try forecaster.record(used: -1, at: .zero) }
        #expect(error?.message.contains("negative") == true)
        #expect(forecaster.sampleCount == 0)
    }

    @Test(arguments: [0, -1, 1])
    func windowBelowTwoIsRejected(window: Int) {
        let error = expectAllocError(.invalidConfiguration) { try UsageForecaster(window: window) }
        #expect(error?.message.contains("window \(window) must hold at least 2") == true)
        #expect(error?.allocatorKind == .monitor)
    }

    @Test(arguments: [UsageForecaster.maximumWindow + 1, .max])
    func windowAboveTheMaximumIsRejected(window: Int) {
        let error = expectAllocError(.invalidConfiguration) { try UsageForecaster(window: window) }
        #expect(error?.message.contains("above the maximum of \(UsageForecaster.maximumWindow)") == true)
    }

    @Test func largestWindowIsAccepted() throws {
        #expect(try UsageForecaster(window: UsageForecaster.maximumWindow).window == 1 << 20)
    }

    @Test(arguments: [Duration.zero, .seconds(-1)])
    func nonPositiveMaxAgeIsRejected(maxAge: Duration) {
        let error = expectAllocError(.invalidConfiguration) { try UsageForecaster(maxAge: maxAge) }
        #expect(error?.message.contains("maxAge") == true)
    }
}
