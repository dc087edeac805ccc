/// The mutable state of an object pool's core (stored without exclusivity checks), read
/// and written under the core's lock.
///
/// Objects live in segments that never move while the pool lives (a `Pooled` handle points at
/// its object); `objectAt` maps a slot to its object and grows, with the other tables, when
/// the pool is resized to a larger capacity.
@usableFromInline
struct _ObjectPoolState<Object> {
    @usableFromInline var objectAt: UnsafeMutablePointer<UnsafeMutablePointer<Object>>
    @usableFromInline var meta: UnsafeMutablePointer<_ObjectSlot>
    /// Slots allocated; at least `capacity`.
    @usableFromInline var slotCount: Int { didSet { refreshLimits() } }
    /// The most objects the pool holds, idle, out and being created together.
    @usableFromInline var capacity: Int { didSet { refreshLimits() } }
    /// Idle objects kept at most.
    @usableFromInline var maxIdle: Int { didSet { refreshLimits() } }
    /// A checkout takes the fast path (pop the idle stack, count a hit) while more objects
    /// than this are idle: `Int.max` when it never may (a health check, a time-based setting,
    /// FIFO order, or closed); otherwise the idle count below which a checkout would set a new
    /// peak, which the slow path records.
    @usableFromInline var takeFloor = Int.max
    /// A return takes the fast path (push the idle stack) while fewer objects than this are
    /// idle: `maxIdle`, or 0 when it never may (a reusability check, a time-based setting,
    /// waiters or a gone pool to attend to, closed, or more objects than the capacity).
    @usableFromInline var putLimit = 0
    /// A checkout of an idle object needs no health check on top of the core's `stackMode`.
    @usableFromInline let plainTake: Bool
    /// A return needs no reusability check on top of the core's `stackMode`.
    @usableFromInline let plainPut: Bool
    /// Statistics are on: the take floor keeps the fast path from missing a new peak.
    @usableFromInline let tracksPeak: Bool
    @usableFromInline var idle: _IdleRing<Int>
    @usableFromInline var empty: UnsafeMutablePointer<Int>
    @usableFromInline var emptyCount: Int { didSet { refreshLimits() } }
    /// Slots reserved for an object being created.
    @usableFromInline var reserved = 0 { didSet { refreshLimits() } }
    @usableFromInline var closed = false { didSet { refreshLimits() } }
    /// The counters but `peakInUse`, which is kept apart: the take floor follows it.
    @usableFromInline var statistics = ObjectPoolStatistics()
    /// The most objects out at once.
    @usableFromInline var peakInUse = 0 { didSet { refreshLimits() } }
    /// Object segments, freed with the core.
    @usableFromInline var segments: [(objects: UnsafeMutablePointer<Object>, count: Int)] = []
    /// The core's retain of itself, while its pool is gone and objects are still out.
    @usableFromInline var keepAlive: UnsafeMutableRawPointer?
    @usableFromInline var waiters: [_ObjectPoolWaiter] = []
    @usableFromInline var nextWaiterID: UInt64 = 0
    /// Waiters are queued or the core keeps itself alive: a return has more to do than put
    /// its object back.
    @usableFromInline var attention = false { didSet { refreshLimits() } }

    @usableFromInline
    init(capacity: Int, maxIdle: Int, plainTake: Bool, plainPut: Bool, tracksPeak: Bool) {
        self.capacity = capacity
        self.maxIdle = maxIdle
        self.plainTake = plainTake
        self.plainPut = plainPut
        self.tracksPeak = tracksPeak
        slotCount = 0
        objectAt = .allocate(capacity: 0)
        meta = .allocate(capacity: 0)
        empty = .allocate(capacity: 0)
        emptyCount = 0
        idle = _IdleRing(capacity: 0)
        addSlots(capacity)
        refreshLimits()
    }

    /// Objects in the pool: idle, out, or being created.
    @inlinable
    var live: Int { slotCount &- emptyCount }

    /// Objects checked out: every live object neither idle nor being created.
    @inlinable
    var inUse: Int { live &- idle.count &- reserved }

    /// Adds `count` empty slots backed by a new segment of objects.
    @usableFromInline
    mutating func addSlots(_ count: Int) {
        guard count > 0 else { return }
        let total = slotCount + count
        let segment = UnsafeMutablePointer<Object>.allocate(capacity: count)
        segments.append((segment, count))
        let newObjectAt = UnsafeMutablePointer<UnsafeMutablePointer<Object>>.allocate(capacity: total)
        newObjectAt.moveInitialize(from: objectAt, count: slotCount)
        for offset in 0..<count { (newObjectAt + slotCount + offset).initialize(to: segment + offset) }
        objectAt.deallocate()
        objectAt = newObjectAt
        let newMeta = UnsafeMutablePointer<_ObjectSlot>.allocate(capacity: total)
        newMeta.moveInitialize(from: meta, count: slotCount)
        (newMeta + slotCount).initialize(repeating: _ObjectSlot(), count: count)
        meta.deallocate()
        meta = newMeta
        let newEmpty = UnsafeMutablePointer<Int>.allocate(capacity: total)
        newEmpty.moveInitialize(from: empty, count: emptyCount)
        empty.deallocate()
        empty = newEmpty
        // New slots are taken lowest first.
        for slot in (slotCount..<total).reversed() { pushEmpty(slot) }
        idle.grow(to: total)
        slotCount = total
    }

    @inlinable
    mutating func popEmpty() -> Int? {
        guard emptyCount > 0 else { return nil }
        emptyCount &-= 1
        return empty[emptyCount]
    }

    @inlinable
    mutating func pushEmpty(_ slot: Int) {
        empty[emptyCount] = slot
        emptyCount &+= 1
    }

    /// Sets the fast-path limits from the fields they depend on; each of those calls it when
    /// it changes, which happens on slow paths only.
    @usableFromInline
    mutating func refreshLimits() {
        let open = !closed
        takeFloor = plainTake && open ? (tracksPeak ? Swift.max(0, live &- reserved &- peakInUse) : 0) : Int.max
        putLimit = plainPut && open && !attention && live <= capacity ? maxIdle : 0
    }

    /// The statistics with the peak.
    @usableFromInline
    var statisticsSnapshot: ObjectPoolStatistics {
        var snapshot = statistics
        snapshot.peakInUse = peakInUse
        return snapshot
    }

    /// Deinitializes every object still in a slot and frees all storage.
    @usableFromInline
    mutating func release() {
        for slot in 0..<slotCount where meta[slot].state != .empty {
            objectAt[slot].deinitialize(count: 1)
        }
        for segment in segments { segment.objects.deallocate() }
        objectAt.deallocate()
        meta.deallocate()
        empty.deallocate()
        idle.deallocate()
    }
}
