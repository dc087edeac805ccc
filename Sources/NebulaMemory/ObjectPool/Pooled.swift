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
    @usableFromInline let _core: Unmanaged<_ObjectPoolCore<Object>>
    @usableFromInline let _object: UnsafeMutablePointer<Object>
    /// -1 once the object left the handle (detached, or moved into a batch).
    @usableFromInline var _slot: Int
    /// Which pool: the return path is then a direct, inlined call, not a virtual one.
    @usableFromInline let _kind: _ObjectPoolKind

    @inlinable
    init(core: _ObjectPoolCore<Object>, slot: Int, kind: _ObjectPoolKind) {
        _core = Unmanaged.passUnretained(core)
        _object = core.objects + slot
        _slot = slot
        _kind = kind
    }

    /// The checked-out object.
    @inlinable
    public var value: Object {
        get { _object.pointee }
        _modify { yield &_object.pointee }
    }

    /// Takes the object out of the pool for good: it is not returned, and its place in the
    /// pool's capacity is free again.
    public consuming func detach() -> Object {
        let slot = _slot
        _slot = -1
        return _core._withUnsafeGuaranteedRef { $0._detach(slot: slot) }
    }

    /// Gives up the slot without returning it (into a batch).
    @usableFromInline
    consuming func _handOver() -> Int {
        let slot = _slot
        _slot = -1
        return slot
    }

    @inlinable
    deinit {
        guard _slot >= 0 else { return }
        _core._withUnsafeGuaranteedRef { core in
            switch _kind {
            case .plain:
                _ObjectPoolOperations.checkin(unsafeDowncast(core, to: _PlainObjectPoolCore<Object>.self), slot: _slot)
            case .concurrent:
                _ObjectPoolOperations.checkin(
                    unsafeDowncast(core, to: _ConcurrentObjectPoolCore<Object>.self), slot: _slot)
            case .async:
                core._checkin(slot: _slot)
            }
        }
    }
}
