/// A pool of reusable objects for one thread or task: node instances, buffers, parsers.
///
/// A checkout reuses an idle object (after `prepareForReuse`), creates one while the pool is
/// under its capacity, and otherwise fails with `ALLOC_POOL_EXHAUSTED`. The object comes back
/// when its ``Pooled`` handle ends. The rest of the API is that of every pool
/// (``ObjectPooling``, ``ImmediateObjectPooling``).
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
public final class ObjectPool<Object>: ImmediateObjectPooling {
    /// The pool\'s storage and rules (see ``ObjectPooling``).
    public let _core: _ObjectPoolCore<Object, _NoLocking>
    @usableFromInline let _factory: () -> Object

    /// Creates a pool of at most `capacity` objects made by `factory`.
    ///
    /// - Parameters:
    ///   - capacity: the most objects the pool holds, idle, out and being created; 1 or more.
    ///   - configuration: how the pool keeps, checks and hands out its objects.
    ///   - parent: a pool to borrow idle objects from when this one has none, and to give
    ///     surplus idle objects to (e.g. an engine-wide pool above per-workflow pools).
    ///   - reset: what makes a returned object ready for its next user.
    ///   - factory: makes the pool's objects, for a checkout that finds none idle while the pool
    ///     has room and for `prefill(_:)`.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for a capacity below 1, a negative `maxIdle`,
    ///   or a duration that is not positive.
    public init(
        capacity: Int, configuration: ObjectPoolConfiguration<Object> = .default, parent: ObjectPool<Object>? = nil,
        reset: ((inout Object) -> Void)? = nil, factory: @escaping () -> Object
    ) throws(AllocError) {
        _core = try _ObjectPoolCore(
            capacity: capacity, configuration: configuration, parent: parent?._core, prepare: reset, isReusable: nil)
        _factory = factory
    }

    /// Creates a pool of ``Poolable`` objects: `prepareForReuse()` runs before each reuse,
    /// and objects whose `isReusable` is false are dropped when they come back.
    ///
    /// - Parameters:
    ///   - capacity: the most objects the pool holds, idle, out and being created; 1 or more.
    ///   - configuration: how the pool keeps, checks and hands out its objects.
    ///   - parent: a pool to borrow idle objects from when this one has none, and to give
    ///     surplus idle objects to.
    ///   - factory: makes the pool's objects, for a checkout that finds none idle while the pool
    ///     has room and for `prefill(_:)`.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for a capacity below 1, a negative `maxIdle`,
    ///   or a duration that is not positive.
    public init(
        capacity: Int, configuration: ObjectPoolConfiguration<Object> = .default, parent: ObjectPool<Object>? = nil,
        factory: @escaping () -> Object
    ) throws(AllocError) where Object: Poolable {
        _core = try _ObjectPoolCore(
            capacity: capacity, configuration: configuration, parent: parent?._core,
            prepare: { $0.prepareForReuse() }, isReusable: { $0.isReusable })
        _factory = factory
    }

    deinit {
        _core.poolWentAway()
    }

    /// Makes a new object with the pool's factory.
    ///
    /// - Returns: the factory's object, not yet in the pool.
    @inlinable
    public func _make() -> Object { _factory() }
}
