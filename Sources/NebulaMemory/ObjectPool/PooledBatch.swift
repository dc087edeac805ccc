/// Objects checked out together with `checkout(count:)`; all go back when the batch ends.
///
/// ```swift
/// var workers = try pool.checkout(count: 4)
/// for index in 0..<workers.count { workers[index].start() }
/// ```
public struct PooledBatch<Object>: ~Copyable {
    @usableFromInline let _core: Unmanaged<AnyObject>
    @usableFromInline let _locks: Bool
    @usableFromInline var _slots: [Int] = []
    @usableFromInline var _objects: [UnsafeMutablePointer<Object>] = []

    @usableFromInline
    init<Locking>(core: _ObjectPoolCore<Object, Locking>) {
        _core = Unmanaged.passUnretained(core)
        _locks = Locking.locks
    }

    @usableFromInline
    mutating func append(_ item: consuming Pooled<Object>) {
        _objects.append(item._object)
        _slots.append(item._handOver())
    }

    /// How many objects the batch holds.
    public var count: Int { _slots.count }

    /// The object at `index`.
    ///
    /// - Parameter index: a position in `0..<count`, in the order the objects were checked out.
    public subscript(index: Int) -> Object {
        get { _objects[index].pointee }
        _modify { yield &_objects[index].pointee }
    }

    deinit {
        for slot in _slots {
            _ObjectPoolReturn.checkin(_core, slot: slot, locks: _locks, of: Object.self)
        }
    }
}
