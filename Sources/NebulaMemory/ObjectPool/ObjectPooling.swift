/// What every object pool offers: ``ObjectPool``, ``ConcurrentObjectPool`` and
/// ``AsyncObjectPool`` differ only in how a checkout waits and which threads may use them.
///
/// ```swift
/// func report(_ pool: some ObjectPooling) -> String {
///     "\(pool.inUseCount) of \(pool.capacity) out, \(pool.idleCount) idle"
/// }
/// ```
public protocol ObjectPooling<Object>: AnyObject {
    /// The pooled type.
    associatedtype Object
    /// How the pool's core locks its state.
    associatedtype _Locking: _ObjectPoolLocking
    /// The storage and rules the pool types share.
    var _core: _ObjectPoolCore<Object, _Locking> { get }
}

extension ObjectPooling {
    /// Idle objects ready for a checkout.
    public var idleCount: Int { _core.lockedIdleCount }
    /// Objects checked out and not yet returned.
    public var inUseCount: Int { _core.lockedInUse }
    /// The most objects the pool holds, idle, out and being created together.
    public var capacity: Int { _core.lockedCapacity }
    /// Whether ``close()`` was called.
    public var isClosed: Bool { _core.lockedIsClosed }
    /// The pool's counters, or nil when `trackStatistics` is off.
    public var statistics: ObjectPoolStatistics? { _core.lockedStatistics }

    /// Drops every idle object.
    ///
    /// - Returns: how many idle objects were dropped.
    /// - Complexity: O(*n*) for the *n* idle objects.
    @discardableResult
    public func drain() -> Int { _core.drain() }

    /// Drops idle objects past `idleTimeout` or `maxLifetime` now, rather than at the next
    /// checkout, and reports objects out longer than `leakDetectionThreshold`.
    ///
    /// - Returns: how many idle objects it dropped.
    /// - Complexity: O(*n*) in the pool's slots: with `maxLifetime` set it checks every idle
    ///   object, and with leak detection on every slot.
    @discardableResult
    public func evictIdle() -> Int { _core.evictIdle() }

    /// Objects out longer than `leakDetectionThreshold` not reported before; each is also
    /// passed to `onLeak` and counted in ``statistics``.
    ///
    /// - Returns: a report per newly found object; empty when leak detection is off.
    /// - Complexity: O(*n*) in the pool's slots, each checked; O(1) when leak detection is off.
    public func reportLeaks() -> [LeakReport] { _core.locked { _core.findLeaks() } }

    /// Closes the pool for good: idle objects are dropped, waiting checkouts fail at once
    /// with `ALLOC_INVALID_STATE`, new checkouts are refused with it, and objects returned
    /// later are dropped. Calling it again does nothing.
    ///
    /// - Complexity: O(*n* + *w*) for the *n* idle objects dropped and the *w* checkouts
    ///   waiting.
    public func close() { _core.close() }

    /// Changes the capacity at run time.
    ///
    /// Growing makes room at once (a waiting checkout may create an object). Shrinking drops
    /// idle objects first until the pool fits; objects out beyond the new capacity are
    /// dropped when they come back, so the pool drains down to it.
    ///
    /// - Parameter capacity: the new capacity, 1 or more.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for a capacity below 1; `ALLOC_INVALID_STATE`
    ///   when the pool is closed. Nothing changes then.
    /// - Complexity: O(*n*) for the *n* idle objects dropped. Growing past the largest capacity
    ///   so far also grows the pool's tables, O(`capacity`); each waiting checkout that the
    ///   new room lets in is served in O(*w*), for the *w* waiting.
    public func resize(capacity: Int) throws(AllocError) { try _core.resize(to: capacity) }

    /// Adds an object made elsewhere, idle: a connection opened ahead, say.
    ///
    /// - Parameter object: the object to keep; the pool owns it once this returns.
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when the pool already holds `capacity` objects or
    ///   `maxIdle` idle ones; `ALLOC_INVALID_STATE` when it is closed. The pool is then
    ///   unchanged and `object` stays the caller's.
    public func add(_ object: Object) throws(AllocError) { try _core.add(object) }
}

/// The pools whose checkout never waits: ``ObjectPool`` and ``ConcurrentObjectPool``. When
/// every object is out, a checkout fails at once with `ALLOC_POOL_EXHAUSTED`.
public protocol ImmediateObjectPooling<Object>: ObjectPooling {
    /// Makes a new object for a checkout.
    ///
    /// - Returns: the new object, not yet in the pool.
    func _make() -> Object
}

extension ImmediateObjectPooling {
    /// Checks out an object: an idle one, one borrowed from the parent, or a new one.
    ///
    /// - Returns: the object's handle; the object goes back to the pool when the handle ends.
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when `capacity` objects are out;
    ///   `ALLOC_INVALID_STATE` when the pool is closed. Nothing changes then.
    /// - Complexity: O(1), plus one step per idle object evicted or discarded on the way.
    @inlinable
    @inline(__always)
    public func checkout() throws(AllocError) -> Pooled<Object> {
        try _core.checkout(for: self)
    }

    /// Checks out `count` objects at once, or none.
    ///
    /// - Parameter count: how many objects, 0 or more.
    /// - Returns: the batch; every object goes back to the pool when the batch ends.
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when fewer than `count` can be had (those taken go
    ///   back); `ALLOC_INVALID_LAYOUT` for a negative count; `ALLOC_INVALID_STATE` when the
    ///   pool is closed.
    /// - Complexity: `count` checkouts, each as ``checkout()``.
    public func checkout(count: Int) throws(AllocError) -> PooledBatch<Object> {
        try _core.checkout(count: count, for: self)
    }

    /// Runs `body` with a checked-out object and returns it to the pool afterwards.
    ///
    /// ```swift
    /// let count = try parsers.withObject { parser throws(ParseError) in try parser.parse(payload).count }
    /// ```
    ///
    /// - Parameter body: uses the object; it goes back to the pool when `body` returns or
    ///   throws.
    /// - Returns: what `body` returns.
    /// - Throws: ``ScopeFailure/open(_:)`` with the error of ``checkout()`` (the body does not
    ///   run); ``ScopeFailure/body(_:)`` with what `body` throws.
    public func withObject<Result, Failure: Error>(
        _ body: (inout Object) throws(Failure) -> Result
    ) throws(ScopeFailure<Failure>) -> Result {
        let checkedOut: Pooled<Object>
        do throws(AllocError) {
            checkedOut = try checkout()
        } catch {
            throw .open(error)
        }
        var pooled = checkedOut
        do throws(Failure) {
            return try body(&pooled.value)
        } catch {
            throw .body(error)
        }
    }

    /// Creates objects until `count` are idle (within capacity and `maxIdle`).
    ///
    /// - Parameter count: how many idle objects the pool should hold.
    /// - Returns: how many objects it created.
    /// - Complexity: one call of the factory per object created.
    @discardableResult
    public func prefill(_ count: Int) -> Int {
        _core.prefill(count, factory: _make)
    }
}
