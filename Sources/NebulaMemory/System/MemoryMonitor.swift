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
public final class MemoryMonitor: Sendable {
    /// Time between samples.
    public let interval: Duration
    /// The thresholds that map a sample to a level.
    public let thresholds: MemoryPressure.Thresholds
    /// The hierarchy whose pressure each sample updates, if any.
    public let budget: MemoryBudget?

    private let source: @Sendable () -> SystemMemory
    private let sleep: @Sendable (Duration) async throws -> Void
    private let state = Mutex(MemoryPressure.normal)

    /// Creates a monitor; nothing is sampled until ``sample()`` or ``levels()`` is called.
    ///
    /// - Parameters:
    ///   - interval: the time between samples of ``levels()``; positive.
    ///   - thresholds: the thresholds that map a sample to a level.
    ///   - budget: a budget whose hierarchy each sample sets the pressure of; `nil` for none.
    ///   - clock: the clock ``levels()`` sleeps on between samples; replaced in tests.
    ///   - source: what takes a sample; ``SystemMemory/read(root:)`` by default.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for an interval that is not positive or
    ///   thresholds that fail ``MemoryPressure/Thresholds/validate()``.
    public init<C: Clock>(
        interval: Duration = .seconds(1),
        thresholds: MemoryPressure.Thresholds = .init(),
        budget: MemoryBudget? = nil,
        clock: C = ContinuousClock(),
        source: @escaping @Sendable () -> SystemMemory = { SystemMemory.read() }
    ) throws(AllocError) where C.Duration == Duration {
        guard interval > .zero else {
            throw AllocError(
                .invalidConfiguration, "memory monitor: interval \(interval) must be positive",
                allocatorKind: .monitor)
        }
        try thresholds.validate()
        self.interval = interval
        self.thresholds = thresholds
        self.budget = budget
        self.source = source
        self.sleep = { duration in try await clock.sleep(for: duration) }
    }

    /// The level after the latest sample; `.normal` before the first.
    public var level: MemoryPressure { state.withLock { $0 } }

    /// Takes one sample now, moves the level (with hysteresis) and updates the budget.
    ///
    /// - Returns: the level after this sample.
    @discardableResult
    public func sample() -> MemoryPressure {
        let memory = source()
        let level = state.withLock { current in
            current = thresholds.level(of: memory, from: current)
            return current
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
}
