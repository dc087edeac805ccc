import Synchronization

/// The storage and rules of an object pool, shared by the three pool types, which differ in
/// their `Locking` strategy only (and the async pool in using the waiter queue).
///
/// Objects live in slots that never move while they are out: a `Pooled` handle points at its
/// object, so a checkout and its return pass a slot number around instead of the object (no
/// retain or release of a class object, no copy of a struct). Idle slots wait in a ring (LIFO
/// or FIFO), empty ones on a stack.
///
/// Every operation on the state runs inside `locked`. The core outlives its pool while objects
/// are out: handles do not retain it (that would cost two atomic operations per checkout), so
/// when the pool goes away with objects still out, the core retains itself until the last one
/// comes back.
public final class _ObjectPoolCore<Object, Locking: _ObjectPoolLocking> {
    @usableFromInline let lockFlag = Atomic<Bool>(false)
    /// Read and written only under `locked`, which makes the runtime's exclusivity checks
    /// redundant; without them an access is a plain load or store.
    @exclusivity(unchecked) @usableFromInline var state: _ObjectPoolState<Object>
    @usableFromInline let configuration: ObjectPoolConfiguration<Object>
    @usableFromInline let needsClock: Bool
    @usableFromInline let tracksLeaks: Bool
    @usableFromInline let trackStatistics: Bool
    /// LIFO without time-based settings: the idle ring is used as a stack (its head stays 0)
    /// and a slot's state does not tell idle from out (only leak detection needs that).
    @usableFromInline let stackMode: Bool
    @usableFromInline let prepare: ((inout Object) -> Void)?
    @usableFromInline let isReusable: ((Object) -> Bool)?
    @usableFromInline let parent: _ObjectPoolCore<Object, Locking>?
    /// `.zero`, stored: building a `Duration` is an out-of-line call with 128-bit arithmetic,
    /// too much for a checkout that needs no clock.
    @usableFromInline let zero: Duration

    @usableFromInline
    init(
        capacity: Int, configuration: ObjectPoolConfiguration<Object>, parent: _ObjectPoolCore<Object, Locking>?,
        prepare: ((inout Object) -> Void)?, isReusable: ((Object) -> Bool)?
    ) throws(AllocError) {
        // A programmer error that cannot be reported: `Pooled` returns objects to the library's
        // two strategies only.
        precondition(
            Locking.self == _NoLocking.self || Locking.self == _SpinLocking.self,
            "object pools lock with _NoLocking or _SpinLocking only")
        try configuration.validate(capacity: capacity)
        self.configuration = configuration
        self.needsClock = configuration.needsClock
        self.tracksLeaks = configuration.leakDetectionThreshold != nil
        self.trackStatistics = configuration.trackStatistics
        self.stackMode = !configuration.needsClock && configuration.order == .lifo
        self.prepare = prepare
        self.isReusable = isReusable
        self.parent = parent
        self.zero = .zero
        state = _ObjectPoolState(
            capacity: capacity, maxIdle: Swift.min(configuration.maxIdle ?? capacity, capacity),
            plainTake: stackMode && configuration.healthCheck == nil, plainPut: stackMode && isReusable == nil,
            tracksPeak: trackStatistics)
    }

    deinit {
        state.release()
    }

    /// Runs `body` with the state to itself.
    @inlinable
    @inline(__always)
    func locked<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        Locking.lock(lockFlag)
        defer { Locking.unlock(lockFlag) }
        return try body()
    }

    @inlinable var now: Duration { needsClock ? configuration.clock.now() : zero }

    /// The object of `slot`.
    @inlinable
    func object(_ slot: Int) -> UnsafeMutablePointer<Object> { state.objectAt[slot] }

    // MARK: Reading, each under the lock.

    @usableFromInline var lockedIdleCount: Int { locked { state.idle.count } }
    @usableFromInline var lockedInUse: Int { locked { state.inUse } }
    @usableFromInline var lockedCapacity: Int { locked { state.capacity } }
    @usableFromInline var lockedIsClosed: Bool { locked { state.closed } }
    @usableFromInline var lockedWaitingCount: Int { locked { state.waiters.count } }

    /// The statistics, or nil when they are off.
    @usableFromInline
    var lockedStatistics: ObjectPoolStatistics? {
        trackStatistics ? locked { state.statisticsSnapshot } : nil
    }

    // MARK: Lifetime

    /// Called by the pool's deinit: keeps the core alive while objects are out.
    @usableFromInline
    func poolWentAway() {
        locked {
            if state.inUse + state.reserved > 0 {
                state.keepAlive = Unmanaged.passRetained(self).toOpaque()
                state.attention = true
            }
        }
    }

    /// Under the lock: the self-retain to release when the pool is gone and nothing is out.
    @usableFromInline
    func takeOrphan() -> Unmanaged<AnyObject>? {
        guard let keepAlive = state.keepAlive, state.inUse + state.reserved == 0 else {
            return nil
        }
        state.keepAlive = nil
        state.attention = !state.waiters.isEmpty
        return Unmanaged.fromOpaque(keepAlive)
    }
}

/// Unchecked `Sendable` for the thread-safe pools: every access to the state goes through
/// `locked`, which takes the spin lock, and those pools only hold `Sendable` objects.
extension _ObjectPoolCore: @unchecked Sendable where Locking == _SpinLocking, Object: Sendable {}
