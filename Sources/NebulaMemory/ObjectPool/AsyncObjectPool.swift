/// A pool of reusable objects whose checkout waits, with a timeout, when every object is out.
///
/// The pool for connections and other objects made by `async` factories. Waiters are served
/// first come, first served (higher `priority` first); a cancelled checkout stops waiting with
/// `CancellationError`, and a timed-out one fails with `ALLOC_POOL_EXHAUSTED`. Neither loses
/// an object or a place in the pool.
///
/// ```swift
/// let pool = try AsyncObjectPool(capacity: 16) { try await Database.connect(url) }
/// var connection = try await pool.checkout(timeout: .seconds(2))
/// try await connection.value.execute(query)
/// // back in the pool when `connection` ends
/// ```
///
/// Implementation Notes: the state sits behind the same spin lock as ``ConcurrentObjectPool``;
/// factories run outside it. A factory that throws gives its place back (and a waiter may use
/// it) before its error reaches the caller.
public final class AsyncObjectPool<Object: Sendable>: Sendable {
    let _core: _AsyncObjectPoolCore<Object>
    let _factory: @Sendable () async throws -> Object

    /// Creates a pool of at most `capacity` objects made by `factory`.
    ///
    /// - Parameters:
    ///   - parent: a pool to borrow idle objects from when this one has none, and to give
    ///     surplus idle objects to.
    ///   - reset: what makes a returned object ready for its next user.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` as ``ObjectPool``.
    public init(
        capacity: Int, configuration: ObjectPoolConfiguration<Object> = .default,
        parent: AsyncObjectPool<Object>? = nil, reset: (@Sendable (inout Object) -> Void)? = nil,
        factory: @escaping @Sendable () async throws -> Object
    ) throws(AllocError) {
        _core = try _AsyncObjectPoolCore(
            capacity: capacity, configuration: configuration, parent: parent?._core, prepare: reset, isReusable: nil)
        _factory = factory
    }

    /// Creates a pool of ``Poolable`` objects.
    public init(
        capacity: Int, configuration: ObjectPoolConfiguration<Object> = .default,
        parent: AsyncObjectPool<Object>? = nil, factory: @escaping @Sendable () async throws -> Object
    ) throws(AllocError) where Object: Poolable {
        _core = try _AsyncObjectPoolCore(
            capacity: capacity, configuration: configuration, parent: parent?._core,
            prepare: { $0.prepareForReuse() }, isReusable: { $0.isReusable })
        _factory = factory
    }

    deinit {
        _core.poolWentAway()
    }

    /// Checks out an object, waiting up to `timeout` when every object is out.
    ///
    /// - Parameter priority: waiters with a higher priority are served first; equal priorities
    ///   in the order they started waiting.
    /// - Throws: `ALLOC_POOL_EXHAUSTED` (with the time waited) after `timeout`;
    ///   `CancellationError` when the task is cancelled while waiting; what the factory throws
    ///   when a new object could not be made. No object or place is lost in any case.
    public func checkout(timeout: Duration, priority: Int = 0) async throws -> Pooled<Object> {
        let core = _core
        let start = ContinuousClock.now
        let grant: _AsyncObjectPoolCore<Object>.Grant
        if let now = core.locked({ core.grantNow() }) {
            grant = now
        } else {
            guard timeout > .zero else { throw Self.timedOut(core, waited: .zero, timeout: timeout) }
            let id = core.locked {
                core.nextWaiterID += 1
                return core.nextWaiterID
            }
            let timer = _WaitTimer()
            defer { timer.cancel() }
            grant = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let immediate: Result<_AsyncObjectPoolCore<Object>.Grant, any Error>? = core.locked {
                        if Task.isCancelled { return .failure(CancellationError()) }
                        if let grant = core.grantNow() { return .success(grant) }
                        core.waiters.append(.init(id: id, priority: priority, continuation: continuation))
                        return nil
                    }
                    if let immediate {
                        continuation.resume(with: immediate)
                        return
                    }
                    // Started only once the waiter is registered, so that it always finds it
                    // (unless it was served first), however short the timeout.
                    timer.start {
                        Task { [core] in
                            try? await Task.sleep(for: timeout)
                            guard !Task.isCancelled, let waiter = core.locked({ core.removeWaiter(id) }) else {
                                return
                            }
                            let waited = ContinuousClock.now - start
                            waiter.resume(throwing: Self.timedOut(core, waited: waited, timeout: timeout))
                        }
                    }
                }
            } onCancel: {
                core.locked { core.removeWaiter(id) }?.resume(throwing: CancellationError())
            }
        }
        switch grant {
        case .object(let slot):
            return Pooled(core: core, slot: slot, kind: .async)
        case .create(let slot, let created):
            do {
                let object = try await _factory()
                core.locked { core.created(object, slot: slot, created: created) }
                return Pooled(core: core, slot: slot, kind: .async)
            } catch {
                core.creationFailedServingWaiters(slot: slot)
                throw error
            }
        }
    }

    static func timedOut(_ core: _AsyncObjectPoolCore<Object>, waited: Duration, timeout: Duration) -> AllocError {
        let (capacity, inUse) = core.locked { (core.capacity, core.inUse) }
        return AllocError(
            .poolExhausted, "no object came free within \(timeout)", allocatorKind: "object pool",
            capacity: capacity, used: inUse, available: capacity - inUse, notes: ["waited \(waited)"])
    }

    /// Runs `body` with a checked-out object and returns it to the pool afterwards.
    ///
    /// - Throws: as ``checkout(timeout:priority:)``, or what `body` throws.
    public func withObject<Result>(
        timeout: Duration, priority: Int = 0, _ body: (inout Object) async throws -> Result
    ) async throws -> Result {
        var pooled = try await checkout(timeout: timeout, priority: priority)
        return try await body(&pooled.value)
    }

    /// Creates objects until `count` are idle (within capacity and `maxIdle`); returns how
    /// many it created.
    ///
    /// - Throws: what the factory throws; the objects made before stay idle, and the place
    ///   of the failed one is free again.
    @discardableResult
    public func prefill(_ count: Int) async throws -> Int {
        let core = _core
        var made = 0
        while let slot = core.locked({ core.reserveForPrefill(upTo: count) }) {
            do {
                let object = try await _factory()
                core.locked {
                    core.prefilled(object, slot: slot)
                    core.returned()  // a task may be waiting for it
                }
                core.resumePendingGrants()
            } catch {
                core.creationFailedServingWaiters(slot: slot)
                throw error
            }
            made += 1
        }
        return made
    }

    /// Drops every idle object; returns how many.
    @discardableResult
    public func drain() -> Int { _core.lockedDrain() }

    /// Drops idle objects past `idleTimeout` or `maxLifetime` and reports leaks now; returns
    /// how many idle objects it dropped.
    @discardableResult
    public func evictIdle() -> Int { _core.lockedEvictIdle() }

    /// Objects out longer than `leakDetectionThreshold` not reported before.
    public func reportLeaks() -> [LeakReport] { _core.lockedFindLeaks() }

    /// Idle objects ready for a checkout.
    public var idleCount: Int { _core.lockedIdleCount }
    /// Objects checked out and not yet returned.
    public var inUseCount: Int { _core.lockedInUse }
    /// Tasks waiting for an object.
    public var waitingCount: Int { _core.locked { _core.waiters.count } }
    /// The most objects the pool holds, idle and out together.
    public var capacity: Int { _core.capacity }
    /// The pool's counters, or nil when `trackStatistics` is off.
    public var statistics: ObjectPoolStatistics? { _core.lockedStatistics }
}

/// The timeout task of one waiting checkout, cancelled when the checkout ends, also when that
/// happens before the task exists.
final class _WaitTimer: Sendable {
    private let task = _Locked<(task: Task<Void, Never>?, cancelled: Bool)>((nil, false))

    func start(_ make: () -> Task<Void, Never>) {
        task.withLock { state in
            if !state.cancelled { state.task = make() }
        }
    }

    func cancel() {
        task.withLock { state in
            state.cancelled = true
            state.task?.cancel()
        }
    }
}
