/// How an object pool keeps, checks and hands out its objects: the configuration of
/// ``ObjectPool``, ``ConcurrentObjectPool`` and ``AsyncObjectPool``.
///
/// ```swift
/// var configuration = ObjectPoolConfiguration<Connection>.default
/// configuration.maxIdle = 8
/// configuration.idleTimeout = .seconds(60)
/// configuration.healthCheck = { $0.isOpen }
/// configuration.leakDetectionThreshold = .seconds(30)
/// configuration.onLeak = { report in logger.warning("pooled object out for \(report.outFor)") }
/// ```
///
/// - Important: `healthCheck`, `onLeak` and the pool's reset closure (or `prepareForReuse`)
///   run while the thread-safe pools hold their lock: they must not use the same pool.
public struct ObjectPoolConfiguration<Object>: Sendable {
    /// Which idle object a checkout takes.
    public enum Order: Sendable, Hashable {
        /// The most recently returned (warm caches; idle ones age out).
        case lifo
        /// The least recently returned (spreads use evenly, e.g. over connections).
        case fifo
    }

    /// Idle objects kept at most; beyond, a returned object is discarded (or given to the
    /// parent pool). Defaults to the pool's capacity.
    public var maxIdle: Int?
    /// Idle objects older than this are evicted, at checkout and by `evictIdle()`.
    public var idleTimeout: Duration?
    /// Objects older than this (since creation) are discarded instead of reused.
    public var maxLifetime: Duration?
    /// Checked on every checkout of an idle object; `false` discards it and tries the next.
    public var healthCheck: (@Sendable (Object) -> Bool)?
    /// Which idle object a checkout takes.
    public var order: Order
    /// An object out longer than this is reported through `onLeak` and counted in statistics.
    public var leakDetectionThreshold: Duration?
    /// Called (on the thread that notices) for each object out longer than the threshold.
    public var onLeak: (@Sendable (LeakReport) -> Void)?
    /// Count hits, misses and the rest for `statistics`.
    public var trackStatistics: Bool
    /// The time source; injected in tests.
    public var clock: PoolClock
    /// ``AsyncObjectPool`` only: the longest one call of the factory may take; a checkout
    /// whose create takes longer fails with `ALLOC_POOL_EXHAUSTED` and frees its place at
    /// once. Nil: bounded by the checkout's timeout alone.
    public var createTimeout: Duration?
    /// ``AsyncObjectPool`` only: the longest the pool's `recycle` check may take on an idle
    /// object before it is handed out; one that takes longer is dropped and the checkout tries
    /// the next. Nil: bounded by the checkout's timeout alone.
    public var recycleTimeout: Duration?

    /// Creates a configuration; the defaults are those of ``default``.
    ///
    /// Values are checked when a pool is created with the configuration, which throws
    /// `ALLOC_INVALID_CONFIGURATION` for a negative `maxIdle` or a duration that is not positive.
    ///
    /// - Parameters:
    ///   - maxIdle: idle objects kept at most; `nil` for the pool's capacity.
    ///   - idleTimeout: how long an object may stay idle; `nil` for ever.
    ///   - maxLifetime: how long an object may live from its creation; `nil` for ever.
    ///   - healthCheck: decides whether an idle object may be checked out; `nil` for no check.
    ///   - order: which idle object a checkout takes.
    ///   - leakDetectionThreshold: how long an object may be out before it is reported;
    ///     `nil` for no leak detection.
    ///   - onLeak: called for each object out longer than the threshold.
    ///   - trackStatistics: whether the pool keeps ``ObjectPoolStatistics``.
    ///   - clock: the time source of the time-based settings.
    ///   - createTimeout: ``AsyncObjectPool`` only: the longest one call of the factory may take.
    ///   - recycleTimeout: ``AsyncObjectPool`` only: the longest its `recycle` check may take.
    public init(
        maxIdle: Int? = nil, idleTimeout: Duration? = nil, maxLifetime: Duration? = nil,
        healthCheck: (@Sendable (Object) -> Bool)? = nil, order: Order = .lifo,
        leakDetectionThreshold: Duration? = nil, onLeak: (@Sendable (LeakReport) -> Void)? = nil,
        trackStatistics: Bool = true, clock: PoolClock = .continuous, createTimeout: Duration? = nil,
        recycleTimeout: Duration? = nil
    ) {
        self.maxIdle = maxIdle
        self.idleTimeout = idleTimeout
        self.maxLifetime = maxLifetime
        self.healthCheck = healthCheck
        self.order = order
        self.leakDetectionThreshold = leakDetectionThreshold
        self.onLeak = onLeak
        self.trackStatistics = trackStatistics
        self.clock = clock
        self.createTimeout = createTimeout
        self.recycleTimeout = recycleTimeout
    }

    /// LIFO, no timeouts, statistics on.
    public static var `default`: Self { Self() }
    /// Statistics and leak detection after 10 seconds.
    public static var debug: Self { Self(leakDetectionThreshold: .seconds(10)) }
    /// No statistics, no time-based checks: the fastest checkout.
    public static var performance: Self { Self(trackStatistics: false) }

    /// Whether any setting needs the clock.
    var needsClock: Bool { idleTimeout != nil || maxLifetime != nil || leakDetectionThreshold != nil }

    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for negative or zero values.
    func validate(capacity: Int) throws(AllocError) {
        guard capacity > 0 else {
            throw AllocError.badConfiguration("capacity must be at least 1", value: "capacity: \(capacity)")
        }
        if let maxIdle, maxIdle < 0 {
            throw AllocError.badConfiguration("maxIdle must not be negative", value: "maxIdle: \(maxIdle)")
        }
        for (name, duration) in [
            ("idleTimeout", idleTimeout), ("maxLifetime", maxLifetime),
            ("leakDetectionThreshold", leakDetectionThreshold), ("createTimeout", createTimeout),
            ("recycleTimeout", recycleTimeout),
        ] {
            if let duration, duration <= .zero {
                throw AllocError.badConfiguration("\(name) must be positive", value: "\(name): \(duration)")
            }
        }
    }
}
