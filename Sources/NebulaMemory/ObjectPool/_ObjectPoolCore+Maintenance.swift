extension _ObjectPoolCore {
    // MARK: Leaks

    /// Reports a late return when the object was out longer than the threshold.
    @usableFromInline
    func noteReturn(_ slot: Int) {
        let outFor = configuration.clock.now() - state.meta[slot].outSince
        if let threshold = configuration.leakDetectionThreshold, !state.meta[slot].reported,
            outFor > threshold
        {
            noteLeak(LeakReport(outFor: outFor, returned: true))
        }
    }

    @usableFromInline
    func noteLeak(_ report: LeakReport) {
        if trackStatistics { state.statistics.leaks += 1 }
        configuration.onLeak?(report)
    }

    /// Objects out longer than the threshold that were not reported yet.
    @usableFromInline
    func findLeaks() -> [LeakReport] {
        guard let threshold = configuration.leakDetectionThreshold else { return [] }
        let now = configuration.clock.now()
        var found: [LeakReport] = []
        for slot in 0..<state.slotCount
        where state.meta[slot].state == .out && !state.meta[slot].reported {
            let outFor = now - state.meta[slot].outSince
            guard outFor > threshold else { continue }
            state.meta[slot].reported = true
            let report = LeakReport(outFor: outFor, returned: false)
            found.append(report)
            noteLeak(report)
        }
        return found
    }

    // MARK: Eviction

    /// Drops idle objects past `idleTimeout` (counted as evicted) or `maxLifetime` (counted
    /// as discarded); returns how many.
    ///
    /// The ring is ordered by return time, so idle timeouts need only a look at its front;
    /// creation times are in no order, so `everyObject` also walks the whole ring for
    /// lifetimes (`evictIdle()`). A checkout checks the lifetime of the object it takes anyway.
    @usableFromInline
    @discardableResult
    func evictExpired(now: Duration, everyObject: Bool = false) -> Int {
        var dropped = 0
        while let slot = state.idle.first {
            let idleTooLong =
                configuration.idleTimeout.map { now - state.meta[slot].idleSince > $0 } ?? false
            let tooOld = configuration.maxLifetime.map { now - state.meta[slot].created > $0 } ?? false
            guard idleTooLong || tooOld else { break }
            _ = state.idle.popFront()
            dropExpired(slot, idleTooLong: idleTooLong)
            dropped += 1
        }
        if everyObject, let lifetime = configuration.maxLifetime {
            for _ in 0..<state.idle.count {
                let slot = state.idle.popFront()!
                if now - state.meta[slot].created > lifetime {
                    dropExpired(slot, idleTooLong: false)
                    dropped += 1
                } else {
                    state.idle.pushBack(slot)
                }
            }
        }
        return dropped
    }

    private func dropExpired(_ slot: Int, idleTooLong: Bool) {
        guard idleTooLong else { return discard(slot) }
        object(slot).deinitialize(count: 1)
        empty(slot)
        if trackStatistics { state.statistics.evicted += 1 }
    }

    /// Drops idle objects past `idleTimeout` or `maxLifetime` now and reports leaks; returns
    /// how many idle objects it dropped.
    @usableFromInline
    func evictIdle() -> Int {
        locked {
            let evicted = evictExpired(now: configuration.clock.now(), everyObject: true)
            _ = findLeaks()
            return evicted
        }
    }

    /// Drops every idle object; returns how many.
    @usableFromInline
    func drain() -> Int {
        locked { drainIdle() }.count
    }

    /// Under the lock: empties the idle slots and returns their objects, to be dropped once
    /// the lock is released (a deinit may take its time, or return another of this pool's
    /// objects).
    private func drainIdle() -> [Object] {
        var dropped: [Object] = []
        while let slot = state.idle.popFront() {
            dropped.append(object(slot).move())
            empty(slot)
        }
        return dropped
    }

    // MARK: Prefill

    /// An empty slot for `prefill`, reserved; nil when `count` objects are idle, the pool is
    /// full, or closed.
    @usableFromInline
    func reserveForPrefill(upTo count: Int) -> Int? {
        guard !state.closed, state.idle.count < Swift.min(count, state.maxIdle),
            state.live < state.capacity, let slot = state.popEmpty()
        else { return nil }
        state.meta[slot].state = .reserved
        state.reserved += 1
        return slot
    }

    /// Puts a prefilled object in its reserved slot, idle (dropped when the pool was closed
    /// meanwhile); a waiter may take it at once.
    @usableFromInline
    func prefilled(_ made: Object, slot: Int) -> _ObjectPoolAftermath? {
        state.reserved -= 1
        // Checked again: the pool may have closed or shrunk, or filled up, while it was made.
        if state.closed || state.live > state.capacity
            || state.idle.count >= state.maxIdle
        {
            empty(slot)
        } else {
            let now = self.now
            object(slot).initialize(to: made)
            state.meta[slot] = _ObjectSlot(state: .idle, created: now, idleSince: now)
            state.idle.pushBack(slot)
            if trackStatistics { state.statistics.created += 1 }
        }
        return state.attention ? afterReturn() : nil
    }

    // MARK: Close, resize, add

    /// Closes the pool: idle objects are dropped, waiters fail, later checkouts are refused
    /// and returned objects dropped. Idempotent.
    @usableFromInline
    func close() {
        let (waiters, dropped): ([_ObjectPoolWaiter], [Object]) = locked {
            guard !state.closed else { return ([], []) }
            state.closed = true
            let dropped = drainIdle()
            let waiters = state.waiters
            state.waiters.removeAll()
            state.attention = state.keepAlive != nil
            return (waiters, dropped)
        }
        _ = consume dropped
        let error = closedError()
        for waiter in waiters { waiter.continuation.resume(throwing: error) }
    }

    /// Changes the capacity: growing makes room at once (waiters are served); shrinking drops
    /// idle objects until the pool fits, and objects out beyond the new capacity are dropped
    /// when they come back.
    ///
    /// - Throws: `ALLOC_INVALID_CONFIGURATION` for a capacity below 1; `ALLOC_INVALID_STATE`
    ///   when the pool is closed. Nothing changes then.
    @usableFromInline
    func resize(to capacity: Int) throws(AllocError) {
        guard capacity >= 1 else {
            throw AllocError.badConfiguration("capacity must be at least 1", value: "capacity: \(capacity)")
        }
        let (aftermath, dropped) = try locked { () throws(AllocError) -> (_ObjectPoolAftermath?, [Object]) in
            guard !state.closed else { throw closedError() }
            if capacity > state.slotCount { state.addSlots(capacity - state.slotCount) }
            state.capacity = capacity
            state.maxIdle = Swift.min(configuration.maxIdle ?? capacity, capacity)
            // A stack-mode ring keeps its head at 0: drop from the back there.
            var dropped: [Object] = []
            while state.live > capacity || state.idle.count > state.maxIdle,
                let slot = stackMode ? state.idle.popBack() : state.idle.popFront()
            {
                dropped.append(object(slot).move())
                empty(slot)
                if trackStatistics { state.statistics.discarded += 1 }
            }
            return (state.attention ? afterReturn() : nil, dropped)
        }
        _ = consume dropped
        aftermath?.finish()
    }

    /// Adds an object made elsewhere, idle.
    ///
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when the pool holds `capacity` objects or `maxIdle`
    ///   idle ones; `ALLOC_INVALID_STATE` when it is closed. The pool is unchanged then.
    @usableFromInline
    func add(_ added: Object) throws(AllocError) {
        let aftermath: _ObjectPoolAftermath? = try locked { () throws(AllocError) in
            guard !state.closed else { throw closedError() }
            guard state.live < state.capacity, state.idle.count < state.maxIdle,
                let slot = state.popEmpty()
            else {
                let (capacity, live) = (state.capacity, state.live)
                throw AllocError(
                    .poolExhausted, "the pool is full: \(live) of \(capacity) objects", allocatorKind: .objectPool,
                    capacity: capacity, used: live, available: capacity - live,
                    notes: ["idle \(state.idle.count) of at most \(state.maxIdle)"])
            }
            let now = self.now
            object(slot).initialize(to: added)
            state.meta[slot] = _ObjectSlot(state: .idle, created: now, idleSince: now)
            state.idle.pushBack(slot)
            return state.attention ? afterReturn() : nil
        }
        aftermath?.finish()
    }
}
