#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a `pthread_mutex_t`: the lock of the thread-safe allocators' slow paths.
///
/// Not `Synchronization.Mutex`: on Linux it waits on a raw futex, which ThreadSanitizer does
/// not follow, so a lock handed from one thread to another under contention showed up as a
/// data race in the allocators' stress tests. A pthread mutex is understood by every sanitizer
/// and costs the same when uncontended. The mutex and the value share one cache-line-aligned
/// allocation, so two locks never share a line.
///
/// Unchecked `Sendable`: the value is only reached inside `withLock`, under the mutex.
@usableFromInline
struct _Locked<Value>: ~Copyable, @unchecked Sendable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline let value: UnsafeMutablePointer<Value>

    @usableFromInline
    init(_ initial: Value) {
        let valueOffset = _alignUp(MemoryLayout<pthread_mutex_t>.stride, Swift.max(MemoryLayout<Value>.alignment, 8))
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: valueOffset + MemoryLayout<Value>.stride, alignment: Swift.max(64, MemoryLayout<Value>.alignment)
        )
        mutex = raw.bindMemory(to: pthread_mutex_t.self, capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        // Error-checking: a thread that takes the lock again gets an error instead of hanging.
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ERRORCHECK))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
        value = (raw + valueOffset).bindMemory(to: Value.self, capacity: 1)
        value.initialize(to: initial)
    }

    deinit {
        value.deinitialize(count: 1)
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        UnsafeMutableRawPointer(mutex).deallocate()
    }

    /// Runs `body` with the value, holding the lock.
    ///
    /// - Precondition: the calling thread does not hold the lock already. Only a programmer
    ///   error gets there (a deinit run by an arena's reset that allocates from that arena),
    ///   and the allocator cannot report it from inside its own lock, so it stops the program
    ///   with a message rather than hanging.
    @usableFromInline
    borrowing func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure)
        -> Result
    {
        let status = pthread_mutex_lock(mutex)
        precondition(
            status == 0,
            "NebulaMemory: an allocator's lock was taken again by the thread holding it (error \(status)); "
                + "a deinitializer run by reset or restore must not use the same allocator")
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value.pointee)
    }
}
