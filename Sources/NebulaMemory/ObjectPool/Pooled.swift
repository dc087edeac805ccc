/// An object checked out of a pool; it goes back when this value ends.
///
/// `Pooled` is noncopyable, so an object can never be returned twice or used after it went
/// back: the compiler rejects both.
///
/// ```swift
/// do {
///     var buffer = try pool.checkout()
///     buffer.value.bytes.append(contentsOf: payload)
///     send(buffer.value)
/// }   // back in the pool here
///
/// let connection = try pool.checkout().detach()   // out of the pool for good
/// ```
public struct Pooled<Object>: ~Copyable {
    // Not retained: the pool's core keeps itself alive while any of its objects are out, so a
    // checkout costs no atomic reference counting. The object stays in its slot in the pool;
    // the handle points at it.
    @usableFromInline let _core: Unmanaged<AnyObject>
    @usableFromInline let _object: UnsafeMutablePointer<Object>
    @usableFromInline let _slot: Int
    /// The core's locking strategy: the return is then a direct, inlined call into the core's
    /// specialization, not a virtual one.
    @usableFromInline let _locks: Bool

    @inlinable
    init<Locking>(core: _ObjectPoolCore<Object, Locking>, slot: Int, object: UnsafeMutableRawPointer) {
        _core = Unmanaged.passUnretained(core)
        _object = object.assumingMemoryBound(to: Object.self)
        _slot = slot
        _locks = Locking.locks
    }

    /// The checked-out object.
    @inlinable
    public var value: Object {
        get { _object.pointee }
        _modify { yield &_object.pointee }
    }

    /// Takes the object out of the pool for good: it is not returned, and its place in the
    /// pool's capacity is free again.
    ///
    /// - Returns: the object, now the caller's alone.
    public consuming func detach() -> Object {
        let (core, slot, locks) = (_core, _slot, _locks)
        discard self
        return core._withUnsafeGuaranteedRef { core in
            locks
                ? unsafeDowncast(core, to: _ObjectPoolCore<Object, _SpinLocking>.self).detachObject(slot)
                : unsafeDowncast(core, to: _ObjectPoolCore<Object, _NoLocking>.self).detachObject(slot)
        }
    }

    /// Gives up the slot without returning it (into a batch).
    @usableFromInline
    consuming func _handOver() -> Int {
        let slot = _slot
        discard self
        return slot
    }

    // A handle that gave up its slot ends with `discard self`: the return runs for every
    // other handle, so it needs no test.
    @inlinable
    deinit {
        _ObjectPoolReturn.checkin(_core, slot: _slot, locks: _locks, of: Object.self)
    }
}
