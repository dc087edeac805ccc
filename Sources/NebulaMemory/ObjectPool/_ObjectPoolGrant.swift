/// What a checkout of an object pool's core gets under the lock.
@usableFromInline
enum _ObjectPoolTake {
    /// An idle object, checked out; its address read under the lock (the table of addresses
    /// moves when the pool grows).
    case idle(slot: Int, object: UnsafeMutableRawPointer)
    /// An empty slot, reserved, to create an object in (outside the lock).
    case create(slot: Int, created: Duration)
    case exhausted
    case closed
}

/// What a waiting checkout of an ``AsyncObjectPool`` is given when it is served.
@usableFromInline
enum _ObjectPoolGrant: Sendable {
    /// An idle object, checked out, and its address (read under the lock).
    case object(slot: Int, address: UInt)
    case create(slot: Int, created: Duration)
}

/// A checkout of an ``AsyncObjectPool`` waiting for an object.
@usableFromInline
struct _ObjectPoolWaiter: Sendable {
    let id: UInt64
    let priority: Int
    let continuation: CheckedContinuation<_ObjectPoolGrant, any Error>
}

/// What a return or a failed creation decided under the lock and must finish after it: grants
/// for waiters to resume, and the core's own retain to release when its pool is gone and this
/// was the last object out.
@usableFromInline
struct _ObjectPoolAftermath {
    var grants: [(CheckedContinuation<_ObjectPoolGrant, any Error>, _ObjectPoolGrant)] = []
    var orphan: Unmanaged<AnyObject>?

    @usableFromInline
    init() {}

    /// Resumes the grants, then lets the core go: the last return after the pool went away
    /// frees the core.
    @usableFromInline
    func finish() {
        for (continuation, grant) in grants { continuation.resume(returning: grant) }
        orphan?.release()
    }
}
