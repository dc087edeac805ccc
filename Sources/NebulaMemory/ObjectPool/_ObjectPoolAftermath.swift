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
