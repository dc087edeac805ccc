extension _ObjectPoolCore {
    /// The next object for a checkout: an idle one (expired ones evicted, unhealthy ones
    /// discarded), one borrowed from the parent, or an empty slot to create one in.
    ///
    /// The fast path pops the idle stack while it holds more than `takeFloor` objects, a
    /// bound that folds every reason to look closer (see `_ObjectPoolState.takeFloor`) into one
    /// comparison. Its hit is counted whether statistics are on or not: an increment costs
    /// less than the test.
    @inlinable
    @inline(__always)
    func take() -> _ObjectPoolTake {
        let idle = state.idle.count
        if idle > state.takeFloor {
            let slot = state.idle.popTop()
            let object = state.objectAt[slot]
            if let prepare { prepare(&object.pointee) }
            state.statistics.hits &+= 1
            return .idle(slot: slot, object: UnsafeMutableRawPointer(object))
        }
        return takeChecked()
    }

    @inlinable
    @inline(__always)
    func notePeak() {
        let inUse = state.inUse
        if inUse > state.peakInUse { state.peakInUse = inUse }
    }

    /// `take()` with every time-based setting, health check and order, the parent, and a
    /// closed or shrunk pool.
    @usableFromInline
    func takeChecked() -> _ObjectPoolTake {
        guard !state.closed else { return .closed }
        let now = self.now
        if needsClock { evictExpired(now: now) }
        while true {
            let slot: Int
            var borrowed = false
            if let idle = configuration.order == .lifo ? state.idle.popBack() : state.idle.popFront() {
                slot = idle
            } else if let parent, state.live < state.capacity, let (lent, created) = parent.lend() {
                // A borrowed object goes through this pool's checks like its own.
                slot = state.popEmpty()!
                object(slot).initialize(to: lent)
                state.meta[slot].created = created
                borrowed = true
            } else {
                break
            }
            if let lifetime = configuration.maxLifetime, now - state.meta[slot].created > lifetime {
                discard(slot)
                continue
            }
            prepare?(&object(slot).pointee)
            if let healthCheck = configuration.healthCheck, !healthCheck(object(slot).pointee) {
                discard(slot)
                continue
            }
            checkedOut(slot, hit: true)
            if borrowed, trackStatistics { state.statistics.borrowed += 1 }
            return .idle(slot: slot, object: UnsafeMutableRawPointer(object(slot)))
        }
        guard state.live < state.capacity, let slot = state.popEmpty() else {
            return .exhausted
        }
        state.meta[slot].state = .reserved
        state.reserved += 1
        return .create(slot: slot, created: now)
    }

    /// Puts a created object in its reserved slot and counts it out; false (the object
    /// dropped, the slot empty again) when the pool was closed meanwhile.
    @usableFromInline
    func created(_ made: Object, slot: Int, created: Duration) -> Bool {
        state.reserved -= 1
        guard !state.closed else {
            state.meta[slot].state = .empty
            state.pushEmpty(slot)
            return false
        }
        object(slot).initialize(to: made)
        state.meta[slot].created = created
        if trackStatistics {
            state.statistics.misses += 1
            state.statistics.created += 1
        }
        checkedOut(slot, hit: false)
        return true
    }

    /// Gives back the slot of a creation that failed.
    @usableFromInline
    func creationFailed(slot: Int) {
        state.reserved -= 1
        empty(slot)
    }

    @usableFromInline
    func checkedOut(_ slot: Int, hit: Bool) {
        state.meta[slot].state = .out
        if tracksLeaks {
            state.meta[slot].outSince = configuration.clock.now()
            state.meta[slot].reported = false
        }
        if trackStatistics {
            if hit { state.statistics.hits += 1 }
            notePeak()
        }
    }

    /// An idle object for a child pool, which takes it over.
    @usableFromInline
    func lend() -> (Object, Duration)? {
        locked {
            guard !state.closed else { return nil }
            if needsClock { evictExpired(now: now) }
            guard let slot = state.idle.popBack() else { return nil }
            let lent = (object(slot).move(), state.meta[slot].created)
            empty(slot)
            return lent
        }
    }

    // MARK: Checkouts that do not wait

    /// A checkout served now: an idle object, or a new one from `pool`'s factory (made outside
    /// the lock). The pool is passed, not a closure of its factory: making that closure would
    /// retain the pool on every checkout.
    ///
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when `capacity` objects are out, `ALLOC_INVALID_STATE`
    ///   when the pool is closed; nothing changes then.
    @inlinable
    @inline(__always)
    func checkout<Pool: ImmediateObjectPooling>(for pool: Pool) throws(AllocError) -> Pooled<Object>
    where Pool.Object == Object {
        switch locked({ take() }) {
        case .idle(let slot, let object):
            return Pooled(core: self, slot: slot, object: object)
        case .create(let slot, let created):
            return try finishCreation(pool._make(), slot: slot, created: created)
        case .exhausted:
            throw exhausted()
        case .closed:
            throw closedError()
        }
    }

    /// Puts an object made for `slot` in the pool and hands it out; throws when the pool was
    /// closed meanwhile (the object is dropped).
    @usableFromInline
    func finishCreation(_ made: Object, slot: Int, created: Duration) throws(AllocError) -> Pooled<Object> {
        let (kept, aftermath) = locked { () -> (UnsafeMutablePointer<Object>?, _ObjectPoolAftermath?) in
            self.created(made, slot: slot, created: created) ? (object(slot), nil) : (nil, afterReturn())
        }
        aftermath?.finish()
        guard let kept else { throw closedError() }
        return Pooled(core: self, slot: slot, object: UnsafeMutableRawPointer(kept))
    }

    /// `count` checkouts that do not wait, or none.
    ///
    /// - Throws: `ALLOC_POOL_EXHAUSTED` when fewer than `count` can be had (those taken go
    ///   back); `ALLOC_INVALID_LAYOUT` for a negative count; `ALLOC_INVALID_STATE` when closed.
    @usableFromInline
    func checkout<Pool: ImmediateObjectPooling>(count: Int, for pool: Pool) throws(AllocError) -> PooledBatch<Object>
    where Pool.Object == Object {
        guard count >= 0 else { throw Self.badBatch(count) }
        // Refused up front when it cannot succeed, so that no object is made for nothing; a
        // batch can still fall short when other threads check out meanwhile.
        let (closed, free) = locked {
            (state.closed, state.capacity - state.live + state.idle.count)
        }
        guard !closed else { throw closedError() }
        guard count <= free else { throw exhausted(requested: count) }
        var batch = PooledBatch<Object>(core: self)
        for _ in 0..<count {
            do throws(AllocError) {
                batch.append(try checkout(for: pool))
            } catch  where error.code == .poolExhausted {
                throw exhausted(requested: count)
            }
        }
        return batch
    }

    /// Creates objects until `count` are idle (within capacity and `maxIdle`); returns how
    /// many it created.
    @usableFromInline
    func prefill(_ count: Int, factory: () -> Object) -> Int {
        var made = 0
        while let slot = locked({ reserveForPrefill(upTo: count) }) {
            let object = factory()
            locked { prefilled(object, slot: slot) }?.finish()
            made += 1
        }
        return made
    }

    // MARK: Errors

    /// The error of a checkout that found every object out.
    @usableFromInline
    func exhausted(requested: Int = 1) -> AllocError {
        let (capacity, inUse) = locked { (state.capacity, state.inUse) }
        return AllocError(
            .poolExhausted, "all \(capacity) objects of the pool are in use", allocatorKind: .objectPool,
            capacity: capacity, used: inUse, available: capacity - inUse,
            notes: ["requested \(requested) object\(requested == 1 ? "" : "s"); capacity and used count objects"])
    }

    /// The error of an operation on a closed pool.
    @usableFromInline
    func closedError() -> AllocError {
        AllocError(
            .invalidState, "the object pool is closed", allocatorKind: .objectPool,
            suggestion: "check objects out of an open pool; close() is final")
    }

    /// The error for a negative batch size.
    @usableFromInline
    static func badBatch(_ count: Int) -> AllocError {
        AllocError(.invalidLayout, "a batch of \(count) objects", suggestion: "ask for 0 or more objects")
    }
}
