import Synchronization

/// The core of the thread-safe object pools: every operation under a spin lock.
///
/// A spin lock rather than a mutex: the critical sections are a handful of instructions (pop
/// or push an idle object), so an uncontended checkout costs one atomic exchange and one
/// store, where a pthread mutex doubled the cost of a checkout and its return. A waiter yields
/// the processor after a short spin, so a descheduled holder does not stall it. The lock is
/// built on `Atomic` acquire/release operations, which ThreadSanitizer follows.
///
/// Unchecked `Sendable`: every access to the inherited state goes through `locked`, and the
/// pools only hold objects that are `Sendable` themselves.
@usableFromInline
class _LockedObjectPoolCore<Object>: _ObjectPoolCore<Object>, @unchecked Sendable {
    @usableFromInline let _lock = Atomic<Bool>(false)

    @inlinable
    final override func locked<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure)
        -> Result
    {
        if _lock.exchange(true, ordering: .acquiring) { _acquireContendedSpinLock(_lock) }
        defer { _lock.store(false, ordering: .releasing) }
        return try body()
    }
}
