/// The return of an object to its core, picked by the core's locking strategy.
@usableFromInline
enum _ObjectPoolReturn {
    @inlinable
    @inline(__always)
    static func checkin<Object>(_ core: Unmanaged<AnyObject>, slot: Int, locks: Bool, of type: Object.Type) {
        core._withUnsafeGuaranteedRef { core in
            if locks {
                unsafeDowncast(core, to: _ObjectPoolCore<Object, _SpinLocking>.self).checkin(slot)
            } else {
                unsafeDowncast(core, to: _ObjectPoolCore<Object, _NoLocking>.self).checkin(slot)
            }
        }
    }
}
