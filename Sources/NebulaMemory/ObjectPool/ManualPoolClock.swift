import Synchronization

/// A clock that moves only when told to: for tests of idle timeouts, lifetimes and leaks.
public final class ManualPoolClock: Sendable {
    private let nanoseconds = Atomic<Int64>(0)

    /// A clock at time zero.
    public init() {}

    /// The current reading.
    public var now: Duration { .nanoseconds(nanoseconds.load(ordering: .acquiring)) }

    /// Moves the clock forward.
    ///
    /// - Parameter duration: how far, at nanosecond resolution.
    public func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        nanoseconds.add(seconds * 1_000_000_000 + attoseconds / 1_000_000_000, ordering: .releasing)
    }

    /// This clock as a pool's time source.
    public var poolClock: PoolClock {
        PoolClock { [self] in now }
    }
}
