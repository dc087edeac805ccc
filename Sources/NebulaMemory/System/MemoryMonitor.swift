import Synchronization

/// Samples system memory at an interval and publishes pressure level changes.
///
/// ```swift
/// let monitor = try MemoryMonitor(interval: .seconds(1), budget: engineBudget)
/// for await level in monitor.levels() {
///     if level >= .high { cache.shrink() }
/// }
/// ```
///
/// Each sample also sets the pressure of `budget`'s hierarchy, so `.pressureAware` budgets
/// tighten without the host wiring anything. The clock and the source of samples can be
/// replaced, for tests and for hosts that read memory another way.
///
/// With a `forecastHorizon`, each sample also records the budget's use in a
/// ``UsageForecaster`` and raises the level before the budget fills up, even while the system
/// has memory to spare: to `.high` when the usage trend reaches the budget's limit within the
/// horizon, to `.critical` within a quarter of it (see ``BudgetForecast/level(horizon:from:)``).
/// The raised level falls again, with a margin, once the trend flattens.
///
/// ```swift
/// let monitor = try MemoryMonitor(budget: engineBudget, forecastHorizon: .seconds(60))
/// monitor.sample()
/// monitor.forecast?.timeToLimit   // nil while the engine's use is flat or falling
/// ```
public final class MemoryMonitor: Sendable {
    /// Time between samples.
    public let interval: Duration
    /// The thresholds that map a sample to a level.
    public let thresholds: MemoryPressure.Thresholds
    /// The hierarchy whose pressure each sample updates, if any.
    public let budget: MemoryBudget?
    /// How far ahead the budget's usage trend raises the level; nil when it does not.
    public let forecastHorizon: Duration?

    private let source: @Sendable () -> SystemMemory
    private let sleep: @Sendable (Duration) async throws -> Void
    /// The budget's window of samples, with a `forecastHorizon` only.
    private let forecaster: UsageForecaster?
    private let state = Mutex(_MonitorState())

    /// Creates a monitor; nothing is sampled until ``sample()`` or ``levels()`` is called.
    ///
    /// - Parameters:
    ///   - interval: the time between samples of ``levels()``; positive.
    ///   - thresholds: the thresholds that map a sample to a level.
    ///   - budget: a budget whose hierarchy each sample sets the pressure of; `nil` for none.
    ///   - forecastHorizon: how far ahead the budget's usage trend raises the level, positive;
    ///     `nil` (the default) for no forecast. Needs a `budget`.
    ///   - forecastWindow: how many samples the trend is fitted to, from 2 to
    ///     ``UsageForecaster/maximumWindow``: with the default interval of a second, the default
    ///     30 looks at the last half minute.
    ///   - clock: the clock ``levels()`` sleeps on between samples and forecasts are timed by;
    ///     replaced in tests.
    ///   - source: what takes a sample; ``SystemMemory/read(root:)`` by default.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for an interval or a forecast horizon that is not
    ///   positive, a forecast horizon without a budget, a forecast window out of range, or
    ///   thresholds that fail ``MemoryPressure/Thresholds/validate()``.
    public init<C: Clock>(
        interval: Duration = .seconds(1),
        thresholds: MemoryPressure.Thresholds = .init(),
        budget: MemoryBudget? = nil,
        forecastHorizon: Duration? = nil,
        forecastWindow: Int = 30,
        clock: C = ContinuousClock(),
        source: @escaping @Sendable () -> SystemMemory = { SystemMemory.read() }
    ) throws(AllocError) where C.Duration == Duration {
        guard interval > .zero else {
            throw AllocError(
                .invalidConfiguration, "memory monitor: interval \(interval) must be positive",
                allocatorKind: .monitor)
        }
        try thresholds.validate()
        try Self.validate(forecastHorizon: forecastHorizon, window: forecastWindow, budget: budget)
        self.interval = interval
        self.thresholds = thresholds
        self.budget = budget
        self.forecastHorizon = forecastHorizon
        if forecastHorizon != nil {
            self.forecaster = try UsageForecaster(window: forecastWindow, clock: clock)
        } else {
            self.forecaster = nil
        }
        self.source = source
        self.sleep = { duration in try await clock.sleep(for: duration) }
    }

    /// The level after the latest sample; `.normal` before the first.
    ///
    /// The higher of the level system memory reads at and the level the budget's forecast asks for.
    public var level: MemoryPressure { state.withLock { $0.level } }

    /// The budget's forecast at the latest sample; nil before the first, or without a
    /// `forecastHorizon`.
    public var forecast: BudgetForecast? { state.withLock { $0.forecast } }

    /// Takes one sample now, moves the level (with hysteresis) and updates the budget.
    ///
    /// With a `forecastHorizon`, the budget's ``MemoryBudget/used`` is sampled too and its
    /// forecast moves a level of its own; the monitor's level is the higher of the two.
    ///
    /// - Returns: the level after this sample.
    @discardableResult
    public func sample() -> MemoryPressure {
        let memory = source()
        var forecast: BudgetForecast?
        if let forecaster, let budget { forecast = forecaster.sample(budget) }
        let level = state.withLock { state in
            state.system = thresholds.level(of: memory, from: state.system)
            if let forecast, let forecastHorizon {
                state.forecastLevel = forecast.level(horizon: forecastHorizon, from: state.forecastLevel)
                state.forecast = forecast
            }
            return state.level
        }
        budget?.updatePressure(level)
        return level
    }

    /// A stream of levels: the level of a first sample, then each change, one sample per
    /// `interval`. A consumer that falls behind sees the newest 16 changes. Sampling stops when
    /// the consumer stops iterating or its task is cancelled.
    ///
    /// - Returns: a stream that samples in a task of its own for as long as it is consumed.
    public func levels() -> AsyncStream<MemoryPressure> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: MemoryPressure.self, bufferingPolicy: .bufferingNewest(16))
        let task = Task { [self] in
            var published: MemoryPressure?
            while !Task.isCancelled {
                let level = sample()
                if level != published {
                    continuation.yield(level)
                    published = level
                }
                do { try await sleep(interval) } catch { break }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private static func validate(forecastHorizon: Duration?, window: Int, budget: MemoryBudget?) throws(AllocError) {
        var problem: String?
        if let forecastHorizon, forecastHorizon <= .zero {
            problem = "forecastHorizon \(forecastHorizon) must be positive"
        } else if forecastHorizon != nil, budget == nil {
            problem = "forecastHorizon needs a budget to forecast"
        } else if window < 2 {
            problem = "forecastWindow \(window) must hold at least 2 samples (a line needs two points)"
        } else if window > UsageForecaster.maximumWindow {
            problem = "forecastWindow \(window) is above the maximum of \(UsageForecaster.maximumWindow) samples"
        }
        if let problem {
            throw AllocError(.invalidConfiguration, "memory monitor: \(problem)", allocatorKind: .monitor)
        }
    }
}
