/// A pool of reusable objects that any thread or task can check out from at once.
///
/// The same API as ``ObjectPool``; when every object is out, a checkout fails at once with
/// `ALLOC_POOL_EXHAUSTED` (``AsyncObjectPool`` waits instead).
///
/// ```swift
/// let pool = try ConcurrentObjectPool(capacity: 64) { MessageBuffer() }
/// await withTaskGroup(of: Void.self) { group in
///     for message in messages {
///         group.addTask { try? pool.withObject { buffer in buffer.encode(message) } }
///     }
/// }
/// ```
///
/// Implementation Notes: the pool's state sits behind a spin lock held for a few instructions
/// per operation; new objects are made outside it. A returned object may be checked out by
/// any other thread.
///
/// - Complexity: checkout and return O(1), plus one step per idle object evicted or discarded.
public final class ConcurrentObjectPool<Object: Sendable>: Sendable {
    @usableFromInline let _core: _ConcurrentObjectPoolCore<Object>
    @usableFromInline let _factory: @Sendable () -> Object

    /// Creates a pool of at most `capacity` objects made by `factory`.
    ///
    /// - Parameters:
    ///   - parent: a pool to borrow idle objects from when this one has none, and to give
    ///     surplus idle objects to.
    ///   - reset: what makes a returned object ready for its next user.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` as ``ObjectPool``.
    public init(
        capacity: Int, configuration: ObjectPoolConfiguration<Object> = .default,
        parent: ConcurrentObjectPool<Object>? = nil, reset: (@Sendable (inout Object) -> Void)? = nil,
        factory: @escaping @Sendable () -> Object
    ) throws(AllocError) {
        _core = try _ConcurrentObjectPoolCore(
            capacity: capacity, configuration: configuration, parent: parent?._core, prepare: reset, isReusable: nil)
        _factory = factory
    }

    /// Creates a pool of ``Poolable`` objects: `prepareForReuse()` runs before each reuse,
    /// and objects whose `isReusable` is false are dropped when they come back.
    public init(
        capacity: Int, configuration: ObjectPoolConfiguration<Object> = .default,
        parent: ConcurrentObjectPool<Object>? = nil, factory: @escaping @Sendable () -> Object
    ) throws(AllocError) where Object: Poolable {
        _core = try _ConcurrentObjectPoolCore(
            capacity: capacity, configuration: configuration, parent: parent?._core,
            prepare: { $0.prepareForReuse() }, isReusable: { $0.isReusable })
        _factory = factory
    }

    deinit {
        _core.poolWentAway()
    }

    /// Checks out an object: an idle one, one borrowed from the parent, or a new one.
    ///
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when `capacity` objects are out; nothing changes then.
    @inlinable
    public func checkout() throws(AllocError) -> Pooled<Object> {
        guard let pooled = _ObjectPoolOperations.checkout(_core, factory: _factory) else {
            throw _ObjectPoolOperations.exhausted(_core)
        }
        return pooled
    }

    /// Checks out `count` objects, or none.
    ///
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when fewer than `count` can be had (those taken go
    ///   back); `ALLOC_INVALID_LAYOUT` for a negative count.
    public func checkout(count: Int) throws(AllocError) -> PooledBatch<Object> {
        guard count >= 0 else { throw _ObjectPoolOperations.badBatch(count) }
        // Refused up front when it cannot succeed, so that no object is made for nothing; a
        // batch can still fall short when other threads check out meanwhile.
        guard count <= capacity - inUseCount else { throw _ObjectPoolOperations.exhausted(_core, requested: count) }
        var batch = PooledBatch<Object>(core: _core)
        for _ in 0..<count {
            guard let pooled = _ObjectPoolOperations.checkout(_core, factory: _factory) else {
                throw _ObjectPoolOperations.exhausted(_core, requested: count)
            }
            batch.append(pooled)
        }
        return batch
    }

    /// Runs `body` with a checked-out object and returns it to the pool afterwards.
    ///
    /// - Throws: `ALLOC_POOL_EXHAUSTED` as ``checkout()``, or what `body` throws.
    public func withObject<Result>(_ body: (inout Object) throws -> Result) throws -> Result {
        var pooled = try checkout()
        return try body(&pooled.value)
    }

    /// Creates objects until `count` are idle (within capacity and `maxIdle`); returns how
    /// many it created.
    @discardableResult
    public func prefill(_ count: Int) -> Int {
        _ObjectPoolOperations.prefill(_core, count, factory: _factory)
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
    /// The most objects the pool holds, idle and out together.
    public var capacity: Int { _core.capacity }
    /// The pool's counters, or nil when `trackStatistics` is off.
    public var statistics: ObjectPoolStatistics? { _core.lockedStatistics }
}
