import Synchronization

/// Keeps a sliding window of memory readings and fits a line through them: where use is going,
/// and when it reaches a limit.
///
/// ```swift
/// let forecaster = try UsageForecaster(window: 30)
/// let forecast = forecaster.sample(workflowBudget)   // records workflowBudget.used now
/// if let eta = forecast.timeToLimit, eta < .seconds(60) { scheduler.pause(workflow) }
/// ```
///
/// The window holds the newest `window` samples, and with a `maxAge` only those at most that
/// old against the newest; an older sample is forgotten, so a series that rose and then levelled
/// off reads flat once the rise has left the window. Its storage is made with the forecaster:
/// recording a sample allocates nothing. Times are durations since the forecaster's origin, its
/// clock's reading when it was made; the clock can be replaced, for tests.
///
/// Thread-safe: samples and fits happen under a lock. A ``MemoryMonitor`` with a
/// `forecastHorizon` keeps one for its budget.
public final class UsageForecaster: Sendable {
    /// The most samples the window holds.
    public let window: Int
    /// The oldest a sample may be against the newest before it is forgotten; nil for no limit.
    public let maxAge: Duration?

    /// The largest window: 2^20 samples, 24 MiB of storage, which every read of the trend walks.
    public static let maximumWindow = 1 << 20

    private let elapsed: @Sendable () -> Duration
    private let state: Mutex<_UsageWindow>

    /// Creates a forecaster with an empty window.
    ///
    /// - Parameters:
    ///   - window: the most samples the window holds, from 2 (a line needs two points) to
    ///     ``maximumWindow``.
    ///   - maxAge: how old against the newest sample a sample may be before it is forgotten;
    ///     positive, or nil for no limit.
    ///   - clock: the clock ``record(used:)`` and ``sample(_:)`` read; its reading now is the origin.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for a window below 2 or above ``maximumWindow``,
    ///   or a `maxAge` that is not positive.
    public init<C: Clock>(window: Int = 60, maxAge: Duration? = nil, clock: C = ContinuousClock()) throws(AllocError)
    where C.Duration == Duration {
        guard window >= 2 else {
            throw AllocError(
                .invalidConfiguration,
                "usage forecaster: window \(window) must hold at least 2 samples (a line needs two points)",
                allocatorKind: .monitor)
        }
        guard window <= Self.maximumWindow else {
            throw AllocError(
                .invalidConfiguration,
                "usage forecaster: window \(window) is above the maximum of \(Self.maximumWindow) samples",
                allocatorKind: .monitor, suggestion: "sample less often, or bound the window by maxAge")
        }
        if let maxAge, maxAge <= .zero {
            throw AllocError(
                .invalidConfiguration, "usage forecaster: maxAge \(maxAge) must be positive", allocatorKind: .monitor)
        }
        self.window = window
        self.maxAge = maxAge
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
        self.state = Mutex(_UsageWindow(capacity: window, maxAge: maxAge))
    }

    /// The time on the forecaster's clock since its origin: what ``record(used:)`` stamps a sample with.
    public var now: Duration { elapsed() }

    /// How many samples the window holds now.
    public var sampleCount: Int { state.withLock { $0.count } }

    /// The line through the samples in the window now.
    ///
    /// - Complexity: O(``window``).
    public var trend: UsageTrend { state.withLock { $0.fit() } }

    /// Adds a sample taken at a given time.
    ///
    /// Samples come in time order: one at the same time as the newest is kept (samples all at
    /// one time show a flat trend), one earlier than the newest is refused.
    ///
    /// - Parameters:
    ///   - used: the bytes in use, 0 or more.
    ///   - time: when, as a duration since the forecaster's origin.
    /// - Throws: `ALLOC_INVALID_LAYOUT` for a negative `used`; `ALLOC_INVALID_STATE` for a `time`
    ///   earlier than the newest sample's. The window is unchanged then.
    public func record(used: Int, at time: Duration) throws(AllocError) {
        guard used >= 0 else {
            throw AllocError(
                .invalidLayout, "usage forecaster: used \(used) is negative", allocatorKind: .monitor)
        }
        let newest: Duration? = state.withLock { window in
            if let newest = window.newestTime, time < newest { return newest }
            window.append(time: time, used: used)
            return nil
        }
        if let newest {
            throw AllocError(
                .invalidState, "usage forecaster: a sample at \(time) is earlier than the newest, at \(newest)",
                allocatorKind: .monitor, suggestion: "record samples in time order")
        }
    }

    /// Adds a sample taken now, by the forecaster's clock.
    ///
    /// - Parameter used: the bytes in use, 0 or more.
    /// - Throws: as ``record(used:at:)``: `ALLOC_INVALID_LAYOUT` for a negative `used`;
    ///   `ALLOC_INVALID_STATE` when the window holds a sample recorded with a later time.
    public func record(used: Int) throws(AllocError) {
        try record(used: used, at: now)
    }

    /// Forgets every sample; the origin stays.
    public func reset() {
        state.withLock { $0.removeAll() }
    }
}
