import Synchronization

/// How an object pool's core keeps its state to one thread at a time: the type parameter of
/// ``_ObjectPoolCore`` that tells the three pools apart, so that a pool without a lock pays
/// nothing for one.
///
/// The lock word lives in the core (an `Atomic` cannot be moved into a strategy value);
/// strategies only say what to do with it. Public only because the pools' shared protocol
/// names it: the library's two strategies are the only ones a core accepts.
public protocol _ObjectPoolLocking {
    /// Whether the strategy locks at all.
    static var locks: Bool { get }
    /// Takes the lock.
    static func lock(_ flag: borrowing Atomic<Bool>)
    /// Gives the lock back.
    static func unlock(_ flag: borrowing Atomic<Bool>)
}

/// No lock: ``ObjectPool``, used by one thread or task at a time.
public enum _NoLocking: _ObjectPoolLocking {
    /// False: nothing to lock.
    @inlinable public static var locks: Bool { false }

    /// Takes the lock.
    @inlinable @inline(__always)
    public static func lock(_ flag: borrowing Atomic<Bool>) {}

    /// Gives the lock back.
    @inlinable @inline(__always)
    public static func unlock(_ flag: borrowing Atomic<Bool>) {}
}

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
