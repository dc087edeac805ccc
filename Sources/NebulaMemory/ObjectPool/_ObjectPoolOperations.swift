/// The operations of the three object pools, written once. Each is generic over the pool's
/// final core type, so that the plain pool's `locked` is known to do nothing and inlines away,
/// while the thread-safe pools' takes their spin lock.
@usableFromInline
enum _ObjectPoolOperations {
    /// A checkout served now: an idle object, or a new one from `factory` (made outside the
    /// lock); nil when the pool is exhausted.
    @inlinable
    static func checkout<Object, Core: _ObjectPoolCore<Object>>(_ core: Core, factory: () -> Object)
        -> Pooled<Object>?
    {
        switch core.locked({ core.take() }) {
        case .idle(let slot):
            return Pooled(core: core, slot: slot, kind: Core.kind)
        case .create(let slot, let created):
            let object = factory()
            core.locked { core.created(object, slot: slot, created: created) }
            return Pooled(core: core, slot: slot, kind: Core.kind)
        case .exhausted:
            return nil
        }
    }

    /// Takes an object back, and lets the core go if its pool is gone and this was the last.
    @inlinable
    static func checkin<Object, Core: _ObjectPoolCore<Object>>(_ core: Core, slot: Int) {
        let orphan = core.locked {
            core.put(slot)
            core.returned()
            return core.takeOrphan()
        }
        orphan?.release()
    }

    /// Creates objects until `count` are idle, within capacity and `maxIdle`.
    static func prefill<Object, Core: _ObjectPoolCore<Object>>(_ core: Core, _ count: Int, factory: () -> Object)
        -> Int
    {
        var made = 0
        while let slot = core.locked({ core.reserveForPrefill(upTo: count) }) {
            let object = factory()
            core.locked { core.prefilled(object, slot: slot) }
            made += 1
        }
        return made
    }

    /// The error of a checkout that found every object out.
    @usableFromInline
    static func exhausted<Object>(_ core: _ObjectPoolCore<Object>, requested: Int = 1) -> AllocError {
        let (capacity, inUse) = core.locked { (core.capacity, core.inUse) }
        return AllocError(
            .poolExhausted, "all \(capacity) objects of the pool are in use", allocatorKind: "object pool",
            capacity: capacity, used: inUse, available: capacity - inUse,
            notes: ["requested \(requested) object\(requested == 1 ? "" : "s"); capacity and used count objects"])
    }

    /// The error for a negative batch size.
    @usableFromInline
    static func badBatch(_ count: Int) -> AllocError {
        AllocError(.invalidLayout, "a batch of \(count) objects", suggestion: "ask for 0 or more objects")
    }
}

/// The core of ``ObjectPool``: no lock at all.
@usableFromInline
final class _PlainObjectPoolCore<Object>: _ObjectPoolCore<Object> {
    @inlinable
    override class var kind: _ObjectPoolKind { .plain }

    @inlinable
    override func locked<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        try body()
    }
}

/// The core of ``ConcurrentObjectPool``: the spin lock, final so that calls are direct.
@usableFromInline
final class _ConcurrentObjectPoolCore<Object>: _LockedObjectPoolCore<Object>, @unchecked Sendable {
    @inlinable
    override class var kind: _ObjectPoolKind { .concurrent }
}
