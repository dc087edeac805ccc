import Synchronization

/// A spin lock: ``ConcurrentObjectPool`` and ``AsyncObjectPool``.
///
/// A spin lock rather than a mutex: the critical sections are a handful of instructions (pop
/// or push an idle object), so an uncontended checkout costs one atomic exchange and one
/// store. A waiter yields the processor after a short spin, so that a descheduled holder does
/// not stall it. Built on `Atomic` acquire/release operations, which ThreadSanitizer follows.
public enum _SpinLocking: _ObjectPoolLocking {
    /// True: a spin lock.
    @inlinable public static var locks: Bool { true }

    /// Takes the lock.
    @inlinable @inline(__always)
    public static func lock(_ flag: borrowing Atomic<Bool>) {
        if flag.exchange(true, ordering: .acquiring) { _acquireContendedSpinLock(flag) }
    }

    /// Gives the lock back.
    @inlinable @inline(__always)
    public static func unlock(_ flag: borrowing Atomic<Bool>) {
        flag.store(false, ordering: .releasing)
    }
}
