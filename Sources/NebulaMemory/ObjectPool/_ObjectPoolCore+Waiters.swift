// The waiter queue of ``AsyncObjectPool``: a waiter is served when an object comes back or
// room for a new one frees up, the one with the highest priority first, first come first
// served within a priority. Serving removes the waiter under the lock, so each waiter is
// resumed exactly once (by a grant, its timeout, its cancellation or the pool's close,
// whichever removes it first). The other pools never queue one.

extension _ObjectPoolCore {
    /// Under the lock: a grant for the caller now, or nil (the pool is exhausted).
    ///
    /// - Throws: `ALLOC_INVALID_STATE` when the pool is closed.
    @usableFromInline
    func grantNow() throws(AllocError) -> _ObjectPoolGrant? {
        switch take() {
        case .idle(let slot, let object): return .object(slot: slot, address: UInt(bitPattern: object))
        case .create(let slot, let created): return .create(slot: slot, created: created)
        case .exhausted: return nil
        case .closed: throw closedError()
        }
    }

    /// Under the lock: a number for a new waiter.
    @usableFromInline
    func nextWaiterID() -> UInt64 {
        state.nextWaiterID += 1
        return state.nextWaiterID
    }

    /// Under the lock: queues a waiter.
    @usableFromInline
    func enqueue(_ waiter: _ObjectPoolWaiter) {
        if trackStatistics { state.statistics.waits += 1 }
        state.waiters.append(waiter)
        state.attention = true
    }

    /// Under the lock: serves waiters while objects or room are available; returns the grants
    /// to resume once the lock is released.
    @usableFromInline
    func serveWaiters() -> [(CheckedContinuation<_ObjectPoolGrant, any Error>, _ObjectPoolGrant)] {
        var grants: [(CheckedContinuation<_ObjectPoolGrant, any Error>, _ObjectPoolGrant)] = []
        while !state.waiters.isEmpty {
            guard let grant = try? grantNow() else { break }
            let waiters = state.waiters
            let index = waiters.indices.max { lhs, rhs in
                (waiters[lhs].priority, waiters[rhs].id) < (waiters[rhs].priority, waiters[lhs].id)
            }!
            grants.append((state.waiters.remove(at: index).continuation, grant))
        }
        state.attention = !state.waiters.isEmpty || state.keepAlive != nil
        return grants
    }

    /// Removes a waiter that timed out or was cancelled; nil when it was already served.
    @usableFromInline
    func removeWaiter(_ id: UInt64) -> CheckedContinuation<_ObjectPoolGrant, any Error>? {
        locked {
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            let waiter = state.waiters.remove(at: index)
            state.attention = !state.waiters.isEmpty || state.keepAlive != nil
            return waiter.continuation
        }
    }

    /// Frees the slot of a creation that failed or timed out, lets a waiter use it, and
    /// resumes grants.
    @usableFromInline
    func creationFailedServingWaiters(slot: Int) {
        locked {
            creationFailed(slot: slot)
            return afterReturn()
        }.finish()
    }
}
