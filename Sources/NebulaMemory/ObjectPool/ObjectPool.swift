/// A pool of reusable objects for one thread or task: node instances, buffers, parsers.
///
/// A checkout reuses an idle object (after `prepareForReuse`), creates one while the pool is
/// under its capacity, and otherwise fails with `ALLOC_POOL_EXHAUSTED`. The object comes back
/// when its ``Pooled`` handle ends.
///
/// ```swift
/// let pool = try ObjectPool(capacity: 32) { JSONParser() }
/// let total = try pool.withObject { parser in try parser.parse(payload).count }
///
/// var parser = try pool.checkout()
/// try parser.value.parse(other)
/// // back in the pool when `parser` ends
/// ```
///
/// Implementation Notes: idle objects sit in a ring allocated once; a checkout and its return
/// cost no allocation and no atomic operation (the handle does not retain the pool; the pool's
/// storage stays alive by itself while objects are out). The clock is read only when a
/// time-based setting is on.
///
/// - Complexity: checkout and return O(1), plus one step per idle object evicted or discarded.
/// - Important: not thread-safe and therefore not `Sendable`; use ``ConcurrentObjectPool`` or
///   ``AsyncObjectPool`` to share a pool between tasks.
public final class ObjectPool<Object> {
    @usableFromInline let _core: _PlainObjectPoolCore<Object>
    @usableFromInline let _factory: () -> Object

    /// Creates a pool of at most `capacity` objects made by `factory`.
    ///
    /// - Parameters:
    ///   - parent: a pool to borrow idle objects from when this one has none, and to give
    ///     surplus idle objects to (e.g. an engine-wide pool above per-workflow pools).
    ///   - reset: what makes a returned object ready for its next user.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for a capacity below 1, a negative `maxIdle`,
    ///   or a duration that is not positive.
    public init(
        capacity: Int, configuration: ObjectPoolConfiguration<Object> = .default, parent: ObjectPool<Object>? = nil,
        reset: ((inout Object) -> Void)? = nil, factory: @escaping () -> Object
    ) throws(AllocError) {
        _core = try _PlainObjectPoolCore(
            capacity: capacity, configuration: configuration, parent: parent?._core, prepare: reset, isReusable: nil)
        _factory = factory
    }

    /// Creates a pool of ``Poolable`` objects: `prepareForReuse()` runs before each reuse,
    /// and objects whose `isReusable` is false are dropped when they come back.
    public init(
        capacity: Int, configuration: ObjectPoolConfiguration<Object> = .default, parent: ObjectPool<Object>? = nil,
        factory: @escaping () -> Object
    ) throws(AllocError) where Object: Poolable {
        _core = try _PlainObjectPoolCore(
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
    /// - Complexity: O(1), plus one step per idle object evicted or discarded on the way.
    @inlinable
    public func checkout() throws(AllocError) -> Pooled<Object> {
        guard let pooled = _ObjectPoolOperations.checkout(_core, factory: _factory) else {
            throw _ObjectPoolOperations.exhausted(_core)
        }
        return pooled
    }

    /// Checks out `count` objects at once, or none.
    ///
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when fewer than `count` can be had (those taken go
    ///   back); `ALLOC_INVALID_LAYOUT` for a negative count.
    public func checkout(count: Int) throws(AllocError) -> PooledBatch<Object> {
        guard count >= 0 else { throw _ObjectPoolOperations.badBatch(count) }
        guard count <= capacity - inUseCount else { throw _ObjectPoolOperations.exhausted(_core, requested: count) }
        var batch = PooledBatch<Object>(core: _core)
        for _ in 0..<count {
            batch.append(try checkout())
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

    /// Drops idle objects past `idleTimeout` or `maxLifetime` now, rather than at the next
    /// checkout, and reports objects out longer than `leakDetectionThreshold`; returns how
    /// many idle objects it dropped.
    @discardableResult
    public func evictIdle() -> Int { _core.lockedEvictIdle() }

    /// Objects out longer than `leakDetectionThreshold` not reported before; each is also
    /// passed to `onLeak` and counted in ``statistics``.
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
