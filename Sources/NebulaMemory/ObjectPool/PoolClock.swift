import Synchronization

/// The time source of the object pools: how old an idle object is, how long one is out.
///
/// Pools read it only when a time-based setting is on (`idleTimeout`, `maxLifetime`,
/// `leakDetectionThreshold`), so a plain checkout costs no clock read. Tests inject a
/// ``ManualPoolClock`` instead of sleeping.
///
/// ```swift
/// let clock = ManualPoolClock()
/// var configuration = ObjectPoolConfiguration<Connection>.default
/// configuration.idleTimeout = .seconds(30)
/// configuration.clock = clock.poolClock
/// …
/// clock.advance(by: .seconds(31))   // idle connections are now evicted
/// ```
public struct PoolClock: Sendable {
    /// The current time since an arbitrary, fixed origin.
    public let now: @Sendable () -> Duration

    /// A clock reading `now`.
    ///
    /// - Parameter now: returns the current time since an arbitrary, fixed origin.
    public init(now: @escaping @Sendable () -> Duration) {
        self.now = now
    }

    /// Monotonic time (`ContinuousClock`).
    public static var continuous: PoolClock {
        let origin = ContinuousClock.now
        return PoolClock { ContinuousClock.now - origin }
    }
}
