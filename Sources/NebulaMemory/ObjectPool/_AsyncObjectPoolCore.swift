/// The core of ``AsyncObjectPool``: the locked core plus the tasks waiting for an object.
///
/// A waiter is served when an object comes back or room for a new one frees up: the one
/// with the highest priority, first come first served within a priority. Serving removes the
/// waiter under the lock, so each waiter is resumed exactly once (by a grant, its timeout or
/// its cancellation, whichever removes it first).
@usableFromInline
final class _AsyncObjectPoolCore<Object: Sendable>: _LockedObjectPoolCore<Object>, @unchecked Sendable {
    /// What a waiter is given: an idle object's slot, or an empty slot to create one in.
    enum Grant: Sendable {
        case object(slot: Int)
        case create(slot: Int, created: Duration)
    }

    struct Waiter {
        let id: UInt64
        let priority: Int
        let continuation: CheckedContinuation<Grant, any Error>
    }

    override class var kind: _ObjectPoolKind { .async }

    var waiters: [Waiter] = []
    var nextWaiterID: UInt64 = 0
    /// Grants decided under the lock, resumed after it is released.
    var pendingGrants: [(CheckedContinuation<Grant, any Error>, Grant)] = []

    /// Under the lock: a grant for the caller now, or nil (the pool is exhausted).
    func grantNow() -> Grant? {
        switch take() {
        case .idle(let slot): .object(slot: slot)
        case .create(let slot, let created): .create(slot: slot, created: created)
        case .exhausted: nil
        }
    }

    /// Under the lock: serves waiters while objects or room are available.
    override func returned() {
        while !waiters.isEmpty {
            guard let grant = grantNow() else { return }
            let index = waiters.indices.max { lhs, rhs in
                (waiters[lhs].priority, waiters[rhs].id) < (waiters[rhs].priority, waiters[lhs].id)
            }!
            pendingGrants.append((waiters.remove(at: index).continuation, grant))
        }
    }

    /// Removes a waiter that timed out or was cancelled; nil when it was already served.
    func removeWaiter(_ id: UInt64) -> CheckedContinuation<Grant, any Error>? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index).continuation
    }

    /// Resumes the grants decided under the lock; call after releasing it.
    func resumePendingGrants() {
        let grants = locked { takePendingGrants() }
        for (continuation, grant) in grants { continuation.resume(returning: grant) }
    }

    /// Frees the slot of a creation that failed, lets a waiter use it, and resumes grants.
    func creationFailedServingWaiters(slot: Int) {
        locked {
            creationFailed(slot: slot)
            returned()
        }
        resumePendingGrants()
    }

    // The grants are resumed before the core's own retain is released: the last return
    // after the pool went away frees the core.

    override func _checkin(slot: Int) {
        let (grants, orphan) = locked {
            put(slot)
            returned()
            return (takePendingGrants(), takeOrphan())
        }
        for (continuation, grant) in grants { continuation.resume(returning: grant) }
        orphan?.release()
    }

    override func _detach(slot: Int) -> Object {
        let (object, grants, orphan) = locked {
            let object = detach(slot)
            returned()
            return (object, takePendingGrants(), takeOrphan())
        }
        for (continuation, grant) in grants { continuation.resume(returning: grant) }
        orphan?.release()
        return object
    }

    /// Under the lock: the grants decided so far, to resume after the lock is released.
    func takePendingGrants() -> [(CheckedContinuation<Grant, any Error>, Grant)] {
        let grants = pendingGrants
        pendingGrants.removeAll()
        return grants
    }
}
