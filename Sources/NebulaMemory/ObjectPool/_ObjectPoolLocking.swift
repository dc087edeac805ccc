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
