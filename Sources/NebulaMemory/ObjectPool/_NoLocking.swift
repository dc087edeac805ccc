import Synchronization

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
