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
public final class ConcurrentObjectPool<Object: Sendable>: ImmediateObjectPooling, Sendable {
    /// The pool\'s storage and rules (see ``ObjectPooling``).
    public let _core: _ObjectPoolCore<Object, _SpinLocking>
    @usableFromInline let _factory: @Sendable () -> Object

    /// Creates a pool of at most `capacity` objects made by `factory`.
    ///
    /// - Parameters:
    ///   - capacity: the most objects the pool holds, idle, out and being created; 1 or more.
    ///   - configuration: how the pool keeps, checks and hands out its objects.
    ///   - parent: a pool to borrow idle objects from when this one has none, and to give
    ///     surplus idle objects to.
    ///   - reset: what makes a returned object ready for its next user.
    ///   - factory: makes the pool's objects, for a checkout that finds none idle while the pool
    ///     has room and for `prefill(_:)`; it runs outside the pool's lock, on the calling thread.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` as ``ObjectPool``.
    public init(
        capacity: Int, configuration: ObjectPoolConfiguration<Object> = .default,
        parent: ConcurrentObjectPool<Object>? = nil, reset: (@Sendable (inout Object) -> Void)? = nil,
        factory: @escaping @Sendable () -> Object
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
    ///     has room and for `prefill(_:)`; it runs outside the pool's lock, on the calling thread.
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` as ``ObjectPool``.
    public init(
        capacity: Int, configuration: ObjectPoolConfiguration<Object> = .default,
        parent: ConcurrentObjectPool<Object>? = nil, factory: @escaping @Sendable () -> Object
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
