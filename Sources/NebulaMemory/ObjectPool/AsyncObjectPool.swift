/// A pool of reusable objects whose checkout waits, with a timeout, when every object is out.
///
/// The pool for connections and other objects made by `async` factories. Waiters are served
/// first come, first served (higher `priority` first); a cancelled checkout stops waiting with
/// `CancellationError`, and a timed-out one fails with `ALLOC_POOL_EXHAUSTED`. Neither loses
/// an object or a place in the pool. The rest of the API is that of every pool
/// (``ObjectPooling``).
///
/// ```swift
/// var configuration = ObjectPoolConfiguration<Connection>.default
/// configuration.createTimeout = .seconds(5)
/// let pool = try AsyncObjectPool(capacity: 16, configuration: configuration,
///                                recycle: { try await $0.ping() }) { try await Database.connect(url) }
/// var connection = try await pool.checkout(timeout: .seconds(2))
/// try await connection.value.execute(query)
/// // back in the pool when `connection` ends
/// ```
///
/// Implementation Notes: the state sits behind the same spin lock as ``ConcurrentObjectPool``;
/// factories and `recycle` run outside it, each in a task of its own when a timeout bounds
/// it, so that one that never returns cannot hold a checkout past its timeout. A factory that
/// throws or times out gives its place back (and a waiter may use it) before its error
/// reaches the caller; an object it makes after its time is up is dropped.
public final class AsyncObjectPool<Object: Sendable>: ObjectPooling, Sendable {
    /// The pool\'s storage and rules (see ``ObjectPooling``).
    public let _core: _ObjectPoolCore<Object, _SpinLocking>
    let _factory: @Sendable () async throws -> Object
    let _recycle: (@Sendable (Object) async throws -> Void)?

    /// Creates a pool of at most `capacity` objects made by `factory`.
    ///
    /// - Parameters:
    ///   - capacity: the most objects the pool holds, idle, out and being created; 1 or more.
    ///   - configuration: how the pool keeps, checks and hands out its objects, and how long
    ///     a create or `recycle` may take.
    ///   - parent: a pool to borrow idle objects from when this one has none, and to give
    ///     surplus idle objects to.
    ///   - reset: what makes a returned object ready for its next user.
    ///   - recycle: checks an idle object before a checkout hands it out (a connection's
    ///     ping); when it throws, or takes longer than `recycleTimeout`, the object is dropped
    ///     and the checkout tries the next.
    ///   - factory: makes the pool's objects, for a checkout that finds none idle while the pool
    ///     has room and for `prefill(_:)`; it runs outside the pool's lock.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` as ``ObjectPool``.
    public init(
        capacity: Int, configuration: ObjectPoolConfiguration<Object> = .default,
        parent: AsyncObjectPool<Object>? = nil, reset: (@Sendable (inout Object) -> Void)? = nil,
        recycle: (@Sendable (Object) async throws -> Void)? = nil,
        factory: @escaping @Sendable () async throws -> Object
    ) throws(AllocError) {
        _core = try _ObjectPoolCore(
            capacity: capacity, configuration: configuration, parent: parent?._core, prepare: reset, isReusable: nil)
        _factory = factory
        _recycle = recycle
    }

    /// Creates a pool of ``Poolable`` objects.
    ///
    /// - Parameters:
    ///   - capacity: the most objects the pool holds, idle, out and being created; 1 or more.
    ///   - configuration: how the pool keeps, checks and hands out its objects, and how long
    ///     a create or `recycle` may take.
    ///   - parent: a pool to borrow idle objects from when this one has none, and to give
    ///     surplus idle objects to.
    ///   - recycle: checks an idle object before a checkout hands it out; when it throws, or
    ///     takes longer than `recycleTimeout`, the object is dropped and the checkout tries the
    ///     next.
    ///   - factory: makes the pool's objects, for a checkout that finds none idle while the pool
    ///     has room and for `prefill(_:)`; it runs outside the pool's lock.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` as ``ObjectPool``.
    public init(
        capacity: Int, configuration: ObjectPoolConfiguration<Object> = .default,
        parent: AsyncObjectPool<Object>? = nil, recycle: (@Sendable (Object) async throws -> Void)? = nil,
        factory: @escaping @Sendable () async throws -> Object
    ) throws(AllocError) where Object: Poolable {
        _core = try _ObjectPoolCore(
            capacity: capacity, configuration: configuration, parent: parent?._core,
            prepare: { $0.prepareForReuse() }, isReusable: { $0.isReusable })
        _factory = factory
        _recycle = recycle
    }

    deinit {
        _core.poolWentAway()
    }

    /// Tasks waiting for an object to come back or for room to make one.
    ///
    /// A checkout whose factory is running is not waiting: it holds a place in the pool
    /// already, and is counted by ``creatingCount``.
    public var waitingCount: Int { _core.lockedWaitingCount }

    /// Checkouts whose factory is running (also `prefill`'s).
    public var creatingCount: Int { _core.locked { _core.state.reserved } }

    /// Checks out an object, waiting up to `timeout` in all: for an object to come back or
    /// room to make one, for the factory, and for `recycle`.
    ///
    /// `createTimeout` and `recycleTimeout`, when set, bound those steps instead of what is
    /// left of `timeout`: with `timeout: .zero` (never wait for an object) a checkout creates
    /// an object only when `createTimeout` gives it time to.
    ///
    /// - Parameters:
    ///   - timeout: the longest the whole checkout may take; `.zero` never waits for an object.
    ///   - priority: waiters with a higher priority are served first; equal priorities
    ///     in the order they started waiting.
    /// - Returns: the object's handle; the object goes back to the pool when the handle ends.
    /// - Throws: `ALLOC_POOL_EXHAUSTED` (with the time waited) after `timeout`, or when the
    ///   factory takes longer than `createTimeout`; `ALLOC_INVALID_STATE` when the pool is or
    ///   gets closed; `CancellationError` when the task is cancelled; what the factory throws.
    ///   No object or place is lost in any case.
    public func checkout(timeout: Duration, priority: Int = 0) async throws -> Pooled<Object> {
        let start = ContinuousClock.now
        let deadline = start + timeout
        while true {
            switch try await grant(until: deadline, timeout: timeout, priority: priority) {
            case .object(let slot, let address):
                let pooled = Pooled(core: _core, slot: slot, object: UnsafeMutableRawPointer(bitPattern: address)!)
                if let recycled = try await recycled(pooled, deadline: deadline, timeout: timeout, start: start) {
                    return recycled
                }
            case .create(let slot, let created):
                return try await create(slot, created: created, deadline: deadline, timeout: timeout)
            }
            guard ContinuousClock.now < deadline else {
                throw timedOut(waited: ContinuousClock.now - start, timeout: timeout)
            }
        }
    }

    /// Checks out `count` objects, or none, within `timeout` in all.
    ///
    /// The objects are taken one after the other, each kept while the next is awaited: two
    /// batches that together need more than the capacity can hold each other up until their
    /// timeouts.
    ///
    /// - Parameters:
    ///   - count: how many objects, 0 or more.
    ///   - timeout: the longest the whole batch may take.
    ///   - priority: as for ``checkout(timeout:priority:)``, for each object.
    /// - Returns: the batch; every object goes back to the pool when the batch ends.
    /// - Throws: as ``checkout(timeout:priority:)`` (those taken go back);
    ///   `ALLOC_INVALID_LAYOUT` for a negative count; `ALLOC_POOL_EXHAUSTED` at once for a
    ///   `count` above the capacity, which no wait can serve.
    /// - Complexity: `count` checkouts, one after the other.
    public func checkout(count: Int, timeout: Duration, priority: Int = 0) async throws -> PooledBatch<Object> {
        guard count >= 0 else { throw _ObjectPoolCore<Object, _SpinLocking>.badBatch(count) }
        // More than the pool can ever hold at once: no wait can help.
        guard count <= capacity else { throw _core.exhausted(requested: count) }
        let deadline = ContinuousClock.now + timeout
        var batch = PooledBatch<Object>(core: _core)
        for _ in 0..<count {
            let left = Swift.max(.zero, deadline - ContinuousClock.now)
            do {
                batch.append(try await checkout(timeout: left, priority: priority))
            } catch var error as AllocError where error.code == .poolExhausted {
                error.notes.append("requested \(count) objects, had \(batch.count) when the time was up")
                throw error
            }
        }
        return batch
    }

    /// Runs `body` with a checked-out object and returns it to the pool afterwards.
    ///
    /// Untyped, unlike the synchronous pools' `withObject`: the checkout itself throws what
    /// the factory throws and `CancellationError`, so there is no one type to name.
    ///
    /// - Parameters:
    ///   - timeout: as for ``checkout(timeout:priority:)``.
    ///   - priority: as for ``checkout(timeout:priority:)``.
    ///   - body: uses the object; it goes back to the pool when `body` returns or throws.
    /// - Returns: what `body` returns.
    /// - Throws: as ``checkout(timeout:priority:)``, or what `body` throws.
    public func withObject<Result>(
        timeout: Duration, priority: Int = 0, _ body: (inout Object) async throws -> Result
    ) async throws -> Result {
        var pooled = try await checkout(timeout: timeout, priority: priority)
        return try await body(&pooled.value)
    }

    /// Creates objects until `count` are idle (within capacity and `maxIdle`).
    ///
    /// - Parameter count: how many idle objects the pool should hold.
    /// - Returns: how many objects it created.
    /// - Throws: what the factory throws; with `createTimeout` set, also
    ///   `ALLOC_POOL_EXHAUSTED` for a create that takes longer and `CancellationError` when
    ///   the task is cancelled meanwhile. The objects made before stay idle, and the place
    ///   of the failed one is free again.
    /// - Complexity: one call of the factory per object created, one after the other.
    @discardableResult
    public func prefill(_ count: Int) async throws -> Int {
        let core = _core
        var made = 0
        while let slot = core.locked({ core.reserveForPrefill(upTo: count) }) {
            do {
                let object: Object
                if let limit = core.configuration.createTimeout {
                    object = try await make(within: limit)
                } else {
                    object = try await _factory()
                }
                core.locked { core.prefilled(object, slot: slot) }?.finish()
            } catch {
                core.creationFailedServingWaiters(slot: slot)
                throw error
            }
            made += 1
        }
        return made
    }

    // MARK: The steps of a checkout

    /// An idle object or a place to make one: now, or when a waiter is served.
    private func grant(until deadline: ContinuousClock.Instant, timeout: Duration, priority: Int) async throws
        -> _ObjectPoolGrant
    {
        let core = _core
        let start = ContinuousClock.now
        if let now = try core.locked({ () throws(AllocError) in try core.grantNow() }) { return now }
        let left = deadline - start
        guard left > .zero else { throw timedOut(waited: start - (deadline - timeout), timeout: timeout) }
        let id = core.locked { core.nextWaiterID() }
        let timer = _WaitTimer()
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let immediate: Result<_ObjectPoolGrant, any Error>? = core.locked {
                    if Task.isCancelled { return .failure(CancellationError()) }
                    do throws(AllocError) {
                        if let grant = try core.grantNow() { return .success(grant) }
                    } catch {
                        return .failure(error)
                    }
                    core.enqueue(_ObjectPoolWaiter(id: id, priority: priority, continuation: continuation))
                    return nil
                }
                if let immediate {
                    continuation.resume(with: immediate)
                    return
                }
                // Started only once the waiter is registered, so that it always finds it
                // (unless it was served first), however short the timeout.
                timer.start {
                    Task { [self] in
                        try? await Task.sleep(for: left)
                        guard !Task.isCancelled, let waiter = core.removeWaiter(id) else { return }
                        waiter.resume(throwing: timedOut(waited: ContinuousClock.now - start, timeout: timeout))
                    }
                }
            }
        } onCancel: {
            core.removeWaiter(id)?.resume(throwing: CancellationError())
        }
    }

    /// Runs `recycle` on a checked-out idle object: its handle when it passes, nil when the
    /// object was dropped because it failed or took longer than `recycleTimeout`.
    ///
    /// - Throws: `CancellationError`, or `ALLOC_POOL_EXHAUSTED` when the checkout's own time
    ///   ran out first; the object goes back to the pool then, unharmed.
    private func recycled(
        _ pooled: consuming Pooled<Object>, deadline: ContinuousClock.Instant, timeout: Duration,
        start: ContinuousClock.Instant
    ) async throws -> Pooled<Object>? {
        guard let recycle = _recycle else { return pooled }
        let object = pooled.value
        let ownLimit = _core.configuration.recycleTimeout
        let limit = ownLimit ?? deadline - ContinuousClock.now
        guard limit > .zero else { throw timedOut(waited: ContinuousClock.now - start, timeout: timeout) }
        let passed: Bool
        do {
            passed =
                try await _TimeBoundedCall.run(limit: limit, { try await recycle(object) }, abandoned: { _ in }) != nil
        } catch is CancellationError where Task.isCancelled {
            throw CancellationError()
        } catch {
            _core.discardCheckedOut(pooled._handOver())
            return nil
        }
        if passed { return pooled }
        // Out of time: the recycle's own limit condemns the object, the checkout's does not.
        guard ownLimit == nil else {
            _core.discardCheckedOut(pooled._handOver())
            return nil
        }
        throw timedOut(waited: ContinuousClock.now - start, timeout: timeout)
    }

    /// Makes an object in `slot` within `createTimeout`, or else what is left of the
    /// checkout's time; the place is freed on any failure.
    private func create(
        _ slot: Int, created: Duration, deadline: ContinuousClock.Instant, timeout: Duration
    ) async throws -> Pooled<Object> {
        let core = _core
        let limit = core.configuration.createTimeout ?? deadline - ContinuousClock.now
        guard limit > .zero else {
            core.creationFailedServingWaiters(slot: slot)
            core.locked { if core.trackStatistics { core.state.statistics.timeouts += 1 } }
            throw AllocError(
                .poolExhausted, "no time left to create an object within \(timeout)", allocatorKind: .objectPool,
                notes: ["set createTimeout to let a checkout that does not wait for an object still create one"])
        }
        let made: Object
        do {
            made = try await make(
                within: limit,
                notes: ["the factory is left to finish; its object will be dropped", "checkout timeout \(timeout)"])
        } catch {
            core.creationFailedServingWaiters(slot: slot)
            throw error
        }
        return try core.finishCreation(made, slot: slot, created: created)
    }

    /// The factory's object, made in a task of its own within `limit`.
    ///
    /// - Throws: `ALLOC_POOL_EXHAUSTED` (with `notes`) when the factory takes longer; what the
    ///   factory throws; `CancellationError`.
    private func make(within limit: Duration, notes: [String] = []) async throws -> Object {
        guard let made = try await _TimeBoundedCall.run(limit: limit, _factory, abandoned: { _ in }) else {
            let core = _core
            core.locked { if core.trackStatistics { core.state.statistics.timeouts += 1 } }
            throw AllocError(
                .poolExhausted, "creating an object took longer than \(limit)", allocatorKind: .objectPool,
                notes: notes)
        }
        return made
    }

    /// The error of a checkout whose time ran out, counted as a timeout.
    private func timedOut(waited: Duration, timeout: Duration) -> AllocError {
        let core = _core
        let (capacity, inUse) = core.locked {
            if core.trackStatistics { core.state.statistics.timeouts += 1 }
            return (core.state.capacity, core.state.inUse)
        }
        return AllocError(
            .poolExhausted, "no object came free within \(timeout)", allocatorKind: .objectPool,
            capacity: capacity, used: inUse, available: capacity - inUse, notes: ["waited \(waited)"])
    }
}
