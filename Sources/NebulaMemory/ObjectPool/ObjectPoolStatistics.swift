/// Counters of an object pool, read as a snapshot.
public struct ObjectPoolStatistics: Sendable, Hashable, Codable {
    /// Checkouts served by an idle object (from this pool or borrowed from its parent).
    public var hits = 0
    /// Checkouts that had to create an object.
    public var misses = 0
    /// Objects created by the factory.
    public var created = 0
    /// Objects dropped: unhealthy, not reusable, past their lifetime, or beyond `maxIdle`.
    public var discarded = 0
    /// Idle objects dropped for being idle longer than `idleTimeout`.
    public var evicted = 0
    /// The most objects out at once.
    public var peakInUse = 0
    /// Objects found out longer than `leakDetectionThreshold`.
    public var leaks = 0
    /// Objects taken out of the pool for good with `detach()`.
    public var detached = 0
    /// Idle objects borrowed from the parent pool.
    public var borrowed = 0
    /// Waits for an object: each time a checkout found no object and no room and queued
    /// (``AsyncObjectPool`` only: the other pools throw at once). A checkout whose object
    /// failed its recycle may wait again.
    public var waits = 0
    /// Checkouts, and creates of `prefill`, that gave up because their time (or
    /// `createTimeout`) ran out (``AsyncObjectPool`` only).
    public var timeouts = 0

    /// A snapshot with every counter at zero.
    public init() {}
}
