/// Objects checked out together with `checkout(count:)`; all go back when the batch ends.
///
/// ```swift
/// var workers = try pool.checkout(count: 4)
/// for index in 0..<workers.count { workers[index].start() }
/// ```
public struct PooledBatch<Object>: ~Copyable {
    @usableFromInline let _core: Unmanaged<_ObjectPoolCore<Object>>
    @usableFromInline var _slots: [Int] = []

    @usableFromInline
    init(core: _ObjectPoolCore<Object>) {
        _core = Unmanaged.passUnretained(core)
    }

    @usableFromInline
    mutating func append(_ item: consuming Pooled<Object>) {
        _slots.append(item._handOver())
    }

    /// How many objects the batch holds.
    public var count: Int { _slots.count }

    /// The object at `index`.
    public subscript(index: Int) -> Object {
        get { _core._withUnsafeGuaranteedRef { $0.objects[_slots[index]] } }
        _modify {
            let object = _core._withUnsafeGuaranteedRef { $0.objects + _slots[index] }
            yield &object.pointee
        }
    }

    deinit {
        for slot in _slots {
            _core._withUnsafeGuaranteedRef { $0._checkin(slot: slot) }
        }
    }
}
