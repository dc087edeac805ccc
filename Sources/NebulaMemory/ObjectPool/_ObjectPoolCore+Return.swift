extension _ObjectPoolCore {
    /// Takes an object back, serves waiters, and lets the core go if its pool is gone and this
    /// was the last object out.
    @inlinable
    @inline(__always)
    func checkin(_ slot: Int) {
        let aftermath: _ObjectPoolAftermath? = locked {
            if state.idle.count < state.putLimit {
                state.idle.pushTop(slot)
                return nil
            }
            putChecked(slot)
            return state.attention ? afterReturn() : nil
        }
        aftermath?.finish()
    }

    /// Moves the object of `slot` out of the pool for good.
    @usableFromInline
    func detachObject(_ slot: Int) -> Object {
        let (moved, aftermath) = locked {
            let moved = detach(slot)
            return (moved, state.attention ? afterReturn() : nil)
        }
        aftermath?.finish()
        return moved
    }

    /// Drops a checked-out object that failed its check, and empties its slot.
    @usableFromInline
    func discardCheckedOut(_ slot: Int) {
        locked {
            discard(slot)
            return state.attention ? afterReturn() : nil
        }?.finish()
    }

    /// Under the lock, once an object came back or left: the waiters it lets in, and the
    /// core's own retain when this was the last object out of a pool that is gone.
    @usableFromInline
    func afterReturn() -> _ObjectPoolAftermath {
        var aftermath = _ObjectPoolAftermath()
        aftermath.grants = serveWaiters()
        aftermath.orphan = takeOrphan()
        return aftermath
    }

    /// The return `checkin(_:)` does not do on its fast path: idle again, or dropped (the pool
    /// closed or over its capacity, the object not reusable or too old, or beyond `maxIdle`
    /// with no parent to take it); with the clock and leak checks.
    @usableFromInline
    func putChecked(_ slot: Int) {
        let now = self.now
        if tracksLeaks { noteReturn(slot) }
        if state.closed || state.live > state.capacity {
            discard(slot)
            return
        }
        if let isReusable, !isReusable(object(slot).pointee) {
            discard(slot)
            return
        }
        if let lifetime = configuration.maxLifetime, now - state.meta[slot].created > lifetime {
            discard(slot)
            return
        }
        guard state.idle.count < state.maxIdle else {
            // Surplus goes up to the parent, when there is one with room.
            if let parent, parent.adopt(object(slot).pointee, created: state.meta[slot].created) {
                object(slot).deinitialize(count: 1)
                empty(slot)
                return
            }
            discard(slot)
            return
        }
        state.meta[slot].state = .idle
        state.meta[slot].idleSince = now
        state.idle.pushBack(slot)
    }

    /// Moves the object of `slot` out of the pool for good.
    @usableFromInline
    func detach(_ slot: Int) -> Object {
        if tracksLeaks { noteReturn(slot) }
        if trackStatistics { state.statistics.detached += 1 }
        let moved = object(slot).move()
        empty(slot)
        return moved
    }

    /// Drops the object of `slot` and empties the slot.
    @usableFromInline
    func discard(_ slot: Int) {
        object(slot).deinitialize(count: 1)
        empty(slot)
        if trackStatistics { state.statistics.discarded += 1 }
    }

    /// Marks `slot`, whose object is gone, empty.
    @usableFromInline
    func empty(_ slot: Int) {
        state.meta[slot].state = .empty
        state.pushEmpty(slot)
    }

    /// Takes over a child's surplus idle object if there is room; the caller keeps it otherwise.
    @usableFromInline
    func adopt(_ adopted: Object, created: Duration) -> Bool {
        let aftermath: _ObjectPoolAftermath?? = locked {
            guard !state.closed, state.idle.count < state.maxIdle,
                state.live < state.capacity, let slot = state.popEmpty()
            else { return nil }
            object(slot).initialize(to: adopted)
            state.meta[slot] = _ObjectSlot(state: .idle, created: created, idleSince: now)
            state.idle.pushBack(slot)
            return .some(state.attention ? afterReturn() : nil)
        }
        guard let aftermath else { return false }
        aftermath?.finish()
        return true
    }
}
