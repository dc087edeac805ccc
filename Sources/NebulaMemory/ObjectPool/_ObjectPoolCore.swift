/// The storage and rules of an object pool, shared by the three pool types.
///
/// Objects live in slots that the pool allocates once, and never move while they are out: a
/// `Pooled` handle points at its object's slot, so a checkout and its return pass a slot
/// number around instead of the object (no retain or release of a class object, no copy of a
/// struct). Idle slots wait in a ring (LIFO or FIFO), empty ones on a stack.
///
/// Not thread-safe by itself: the concurrent and async pools run every operation inside
/// `locked`. It outlives its pool while objects are out: handles do not retain it (that would
/// cost two atomic operations per checkout), so when the pool goes away with objects still
/// out, the core retains itself until the last one comes back.
@usableFromInline
class _ObjectPoolCore<Object> {
    /// What a checkout gets: an idle object's slot, or an empty slot to create one in.
    @usableFromInline
    enum Take {
        case idle(slot: Int)
        case create(slot: Int, created: Duration)
        case exhausted
    }

    @usableFromInline let _state: UnsafeMutablePointer<_ObjectPoolState>
    /// The objects; slot `i` is initialized while it is idle or out.
    @usableFromInline let objects: UnsafeMutablePointer<Object>
    @usableFromInline let meta: UnsafeMutablePointer<_ObjectSlot>
    @usableFromInline let capacity: Int
    @usableFromInline let maxIdle: Int
    @usableFromInline let configuration: ObjectPoolConfiguration<Object>
    @usableFromInline let needsClock: Bool
    @usableFromInline let tracksLeaks: Bool
    @usableFromInline let prepare: ((inout Object) -> Void)?
    @usableFromInline let isReusable: ((Object) -> Bool)?
    @usableFromInline let parent: _ObjectPoolCore<Object>?
    /// `.zero`, stored: building a `Duration` is an out-of-line call with 128-bit arithmetic,
    /// too much for a checkout that needs no clock.
    @usableFromInline let zero: Duration
    @usableFromInline let trackStatistics: Bool
    /// LIFO without time-based settings: the idle ring is used as a stack (its head stays 0)
    /// and a slot's state does not tell idle from out (only leak detection needs that).
    @usableFromInline let stackMode: Bool
    /// A checkout of an idle object needs no health check on top of `stackMode`.
    @usableFromInline let plainTake: Bool
    /// A return needs no reusability check on top of `stackMode`.
    @usableFromInline let plainPut: Bool

    @usableFromInline
    init(
        capacity: Int, configuration: ObjectPoolConfiguration<Object>, parent: _ObjectPoolCore<Object>?,
        prepare: ((inout Object) -> Void)?, isReusable: ((Object) -> Bool)?
    ) throws(AllocError) {
        try configuration.validate(capacity: capacity)
        self.capacity = capacity
        self.maxIdle = Swift.min(configuration.maxIdle ?? capacity, capacity)
        self.configuration = configuration
        self.needsClock = configuration.needsClock
        self.tracksLeaks = configuration.leakDetectionThreshold != nil
        self.prepare = prepare
        self.isReusable = isReusable
        self.parent = parent
        self.zero = .zero
        self.trackStatistics = configuration.trackStatistics
        self.stackMode = !configuration.needsClock && configuration.order == .lifo
        self.plainTake = stackMode && configuration.healthCheck == nil
        self.plainPut = stackMode && isReusable == nil
        objects = .allocate(capacity: capacity)
        meta = .allocate(capacity: capacity)
        meta.initialize(repeating: _ObjectSlot(), count: capacity)
        _state = .allocate(capacity: 1)
        _state.initialize(to: _ObjectPoolState(capacity: capacity))
    }

    deinit {
        for slot in 0..<capacity where meta[slot].state != .empty {
            (objects + slot).deinitialize(count: 1)
        }
        objects.deallocate()
        meta.deallocate()
        _state.pointee.release()
        _state.deinitialize(count: 1)
        _state.deallocate()
    }

    @inlinable final var now: Duration { needsClock ? configuration.clock.now() : zero }
    @inlinable final var idleCount: Int { _state.pointee.idle.count }
    @inlinable final var inUse: Int { _state.pointee.inUse(capacity: capacity) }
    @inlinable final var statistics: ObjectPoolStatistics { _state.pointee.statistics }

    /// The next object for a checkout: an idle one (expired ones evicted, unhealthy ones
    /// discarded), one borrowed from the parent, or an empty slot to create one in.
    @inlinable
    @inline(__always)
    final func take() -> Take {
        if plainTake, let slot = _state.pointee.idle.popTop() {
            if let prepare { prepare(&objects[slot]) }
            if trackStatistics { countHit() }
            return .idle(slot: slot)
        }
        return takeChecked()
    }

    @inlinable
    @inline(__always)
    final func countHit() {
        _state.pointee.statistics.hits &+= 1
        notePeak()
    }

    @inlinable
    @inline(__always)
    final func notePeak() {
        let inUse = _state.pointee.inUse(capacity: capacity)
        if inUse > _state.pointee.statistics.peakInUse { _state.pointee.statistics.peakInUse = inUse }
    }

    /// `take()` with every time-based setting, health check and order, and the parent.
    @usableFromInline
    final func takeChecked() -> Take {
        let now = needsClock ? configuration.clock.now() : zero
        if needsClock { evictExpired(now: now) }
        while true {
            let slot: Int
            var borrowed = false
            if let idle = configuration.order == .lifo
                ? _state.pointee.idle.popBack() : _state.pointee.idle.popFront()
            {
                slot = idle
            } else if let parent, _state.pointee.emptyCount > 0, let (object, created) = parent.lend() {
                // A borrowed object goes through this pool's checks like its own.
                slot = _state.pointee.popEmpty()!
                (objects + slot).initialize(to: object)
                meta[slot].created = created
                borrowed = true
            } else {
                break
            }
            if let lifetime = configuration.maxLifetime, now - meta[slot].created > lifetime {
                discard(slot)
                continue
            }
            prepare?(&objects[slot])
            if let healthCheck = configuration.healthCheck, !healthCheck(objects[slot]) {
                discard(slot)
                continue
            }
            checkedOut(slot, hit: true, now: now)
            if borrowed, configuration.trackStatistics { _state.pointee.statistics.borrowed += 1 }
            return .idle(slot: slot)
        }
        guard let slot = _state.pointee.popEmpty() else { return .exhausted }
        meta[slot].state = .reserved
        _state.pointee.reserved += 1
        return .create(slot: slot, created: now)
    }

    /// Puts a created object in its reserved slot and counts it out.
    @inlinable
    final func created(_ object: consuming Object, slot: Int, created: Duration) {
        (objects + slot).initialize(to: object)
        meta[slot].created = created
        _state.pointee.reserved -= 1
        if configuration.trackStatistics {
            _state.pointee.statistics.misses += 1
            _state.pointee.statistics.created += 1
        }
        checkedOut(slot, hit: false, now: created)
    }

    /// Gives back the slot of a creation that failed.
    @usableFromInline
    final func creationFailed(slot: Int) {
        meta[slot].state = .empty
        _state.pointee.reserved -= 1
        _state.pointee.pushEmpty(slot)
    }

    @inlinable
    @inline(__always)
    final func checkedOut(_ slot: Int, hit: Bool, now: Duration) {
        meta[slot].state = .out
        if tracksLeaks {
            meta[slot].outSince = configuration.clock.now()
            meta[slot].reported = false
        }
        if trackStatistics {
            if hit { _state.pointee.statistics.hits &+= 1 }
            notePeak()
        }
    }

    /// Takes the object of `slot` back: idle again, or dropped (not reusable, too old, or
    /// beyond `maxIdle` with no parent to take it).
    @inlinable
    @inline(__always)
    final func put(_ slot: Int) {
        if plainPut, _state.pointee.idle.count < maxIdle {
            _state.pointee.idle.pushTop(slot)
            return
        }
        putChecked(slot)
    }

    /// `put(_:)` with the clock, leak and reusability checks, and the surplus path.
    @usableFromInline
    final func putChecked(_ slot: Int) {
        let now = needsClock ? configuration.clock.now() : zero
        if tracksLeaks { noteReturn(slot, now: now) }
        if let isReusable, !isReusable(objects[slot]) {
            discard(slot)
            return
        }
        if let lifetime = configuration.maxLifetime, now - meta[slot].created > lifetime {
            discard(slot)
            return
        }
        guard _state.pointee.idle.count < maxIdle else {
            // Surplus goes up to the parent, when there is one with room.
            if let parent, parent.adopt(objects[slot], created: meta[slot].created) {
                (objects + slot).deinitialize(count: 1)
                meta[slot].state = .empty
                _state.pointee.pushEmpty(slot)
                return
            }
            discard(slot)
            return
        }
        meta[slot].state = .idle
        meta[slot].idleSince = now
        _state.pointee.idle.pushBack(slot)
    }

    /// Moves the object of `slot` out of the pool for good.
    @usableFromInline
    final func detach(_ slot: Int) -> Object {
        if tracksLeaks { noteReturn(slot, now: configuration.clock.now()) }
        meta[slot].state = .empty
        _state.pointee.pushEmpty(slot)
        if configuration.trackStatistics { _state.pointee.statistics.detached += 1 }
        return (objects + slot).move()
    }

    /// Drops the object of `slot` and empties the slot.
    @usableFromInline
    final func discard(_ slot: Int) {
        (objects + slot).deinitialize(count: 1)
        meta[slot].state = .empty
        _state.pointee.pushEmpty(slot)
        if configuration.trackStatistics { _state.pointee.statistics.discarded += 1 }
    }

    /// An idle object for a child pool, which takes it over.
    @usableFromInline
    final func lend() -> (Object, Duration)? {
        locked {
            let now = self.now
            if needsClock { evictExpired(now: now) }
            guard let slot = _state.pointee.idle.popBack() else { return nil }
            let lent = ((objects + slot).move(), meta[slot].created)
            meta[slot].state = .empty
            _state.pointee.pushEmpty(slot)
            return lent
        }
    }

    /// Takes over a child's surplus idle object if there is room; the caller keeps it otherwise.
    @usableFromInline
    final func adopt(_ object: Object, created: Duration) -> Bool {
        locked {
            guard _state.pointee.idle.count < maxIdle, let slot = _state.pointee.popEmpty() else { return false }
            (objects + slot).initialize(to: object)
            meta[slot] = _ObjectSlot(state: .idle, created: created, idleSince: now)
            _state.pointee.idle.pushBack(slot)
            return true
        }
    }

    /// Reports a late return when the object was out longer than the threshold.
    @usableFromInline
    final func noteReturn(_ slot: Int, now: Duration) {
        let outFor = configuration.clock.now() - meta[slot].outSince
        if let threshold = configuration.leakDetectionThreshold, !meta[slot].reported, outFor > threshold {
            noteLeak(LeakReport(outFor: outFor, returned: true))
        }
    }

    @usableFromInline
    final func noteLeak(_ report: LeakReport) {
        if configuration.trackStatistics { _state.pointee.statistics.leaks += 1 }
        configuration.onLeak?(report)
    }

    /// Objects out longer than the threshold that were not reported yet.
    @usableFromInline
    final func findLeaks() -> [LeakReport] {
        guard let threshold = configuration.leakDetectionThreshold else { return [] }
        let now = configuration.clock.now()
        var found: [LeakReport] = []
        for slot in 0..<capacity where meta[slot].state == .out && !meta[slot].reported {
            let outFor = now - meta[slot].outSince
            guard outFor > threshold else { continue }
            meta[slot].reported = true
            let report = LeakReport(outFor: outFor, returned: false)
            found.append(report)
            noteLeak(report)
        }
        return found
    }

    /// Drops idle objects past `idleTimeout` (counted as evicted) or `maxLifetime` (counted
    /// as discarded); returns how many.
    ///
    /// The ring is ordered by return time, so idle timeouts need only a look at its front;
    /// creation times are in no order, so `everyObject` also walks the whole ring for
    /// lifetimes (`evictIdle()`). A checkout checks the lifetime of the object it takes anyway.
    @usableFromInline
    @discardableResult
    final func evictExpired(now: Duration, everyObject: Bool = false) -> Int {
        var dropped = 0
        while let slot = _state.pointee.idle.first {
            let idleTooLong = configuration.idleTimeout.map { now - meta[slot].idleSince > $0 } ?? false
            let tooOld = configuration.maxLifetime.map { now - meta[slot].created > $0 } ?? false
            guard idleTooLong || tooOld else { break }
            _ = _state.pointee.idle.popFront()
            dropExpired(slot, idleTooLong: idleTooLong)
            dropped += 1
        }
        if everyObject, let lifetime = configuration.maxLifetime {
            for _ in 0..<_state.pointee.idle.count {
                let slot = _state.pointee.idle.popFront()!
                if now - meta[slot].created > lifetime {
                    dropExpired(slot, idleTooLong: false)
                    dropped += 1
                } else {
                    _state.pointee.idle.pushBack(slot)
                }
            }
        }
        return dropped
    }

    private final func dropExpired(_ slot: Int, idleTooLong: Bool) {
        (objects + slot).deinitialize(count: 1)
        meta[slot].state = .empty
        _state.pointee.pushEmpty(slot)
        guard configuration.trackStatistics else { return }
        if idleTooLong {
            _state.pointee.statistics.evicted += 1
        } else {
            _state.pointee.statistics.discarded += 1
        }
    }

    /// Drops every idle object; returns how many.
    @usableFromInline
    final func drain() -> Int {
        var count = 0
        while let slot = _state.pointee.idle.popFront() {
            (objects + slot).deinitialize(count: 1)
            meta[slot].state = .empty
            _state.pointee.pushEmpty(slot)
            count += 1
        }
        return count
    }

    /// An empty slot for `prefill`, reserved; nil when `count` objects are idle or the pool is full.
    @usableFromInline
    final func reserveForPrefill(upTo count: Int) -> Int? {
        guard _state.pointee.idle.count < Swift.min(count, maxIdle), let slot = _state.pointee.popEmpty() else {
            return nil
        }
        meta[slot].state = .reserved
        _state.pointee.reserved += 1
        return slot
    }

    /// Puts a prefilled object in its reserved slot, idle.
    @usableFromInline
    final func prefilled(_ object: consuming Object, slot: Int) {
        let now = self.now
        (objects + slot).initialize(to: object)
        meta[slot] = _ObjectSlot(state: .idle, created: now, idleSince: now)
        _state.pointee.reserved -= 1
        _state.pointee.idle.pushBack(slot)
        if configuration.trackStatistics { _state.pointee.statistics.created += 1 }
    }

    // MARK: The pools' maintenance API, each under the lock.

    @usableFromInline
    final func lockedDrain() -> Int { locked { drain() } }

    @usableFromInline
    final func lockedEvictIdle() -> Int {
        locked {
            let evicted = evictExpired(now: configuration.clock.now(), everyObject: true)
            _ = findLeaks()
            return evicted
        }
    }

    @usableFromInline
    final func lockedFindLeaks() -> [LeakReport] { locked { findLeaks() } }

    @usableFromInline
    final var lockedIdleCount: Int { locked { idleCount } }

    @usableFromInline
    final var lockedInUse: Int { locked { inUse } }

    /// The statistics, or nil when they are off.
    @usableFromInline
    final var lockedStatistics: ObjectPoolStatistics? {
        configuration.trackStatistics ? locked { statistics } : nil
    }

    /// Which pool type this core belongs to.
    @usableFromInline
    class var kind: _ObjectPoolKind { .plain }

    /// Runs `body` with the core to itself: as is here, under the lock in `_LockedObjectPoolCore`.
    @usableFromInline
    func locked<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        try body()
    }

    /// Called under the lock when an object came back or left: the async pool serves its
    /// waiters here.
    @usableFromInline
    func returned() {}

    // MARK: What `Pooled` and `PooledBatch` call when the static type is not known.

    @usableFromInline
    func _checkin(slot: Int) {
        _ObjectPoolOperations.checkin(self, slot: slot)
    }

    @usableFromInline
    func _detach(slot: Int) -> Object {
        let (object, orphan) = locked {
            let object = detach(slot)
            returned()
            return (object, takeOrphan())
        }
        orphan?.release()
        return object
    }

    /// Called by the pool's deinit: keeps the core alive while objects are out.
    @usableFromInline
    final func poolWentAway() {
        locked {
            if inUse + _state.pointee.reserved > 0 {
                _state.pointee.keepAlive = Unmanaged.passRetained(self).toOpaque()
            }
        }
    }

    /// Under the lock: the self-retain to release when the pool is gone and nothing is out.
    @inlinable
    final func takeOrphan() -> Unmanaged<_ObjectPoolCore<Object>>? {
        guard let keepAlive = _state.pointee.keepAlive, inUse + _state.pointee.reserved == 0 else { return nil }
        _state.pointee.keepAlive = nil
        return Unmanaged.fromOpaque(keepAlive)
    }
}

/// What the pool knows of a slot besides its object.
@usableFromInline
struct _ObjectSlot {
    /// In `stackMode` an idle or out object's slot may say either: only leak detection,
    /// which is off there, reads `.out`.
    @usableFromInline
    enum State: UInt8 {
        case empty
        case reserved
        case idle
        case out
    }

    @usableFromInline var state = State.empty
    @usableFromInline var created = origin
    @usableFromInline var idleSince = origin
    @usableFromInline var outSince = origin
    @usableFromInline var reported = false

    @inlinable static var origin: Duration { Duration(secondsComponent: 0, attosecondsComponent: 0) }

    @usableFromInline
    init() {}

    @usableFromInline
    init(state: State, created: Duration, idleSince: Duration) {
        self.state = state
        self.created = created
        self.idleSince = idleSince
    }
}

/// The mutable state of an object pool's core, apart from its slots.
@usableFromInline
struct _ObjectPoolState {
    @usableFromInline var idle: _IdleRing<Int>
    @usableFromInline let empty: UnsafeMutablePointer<Int>
    @usableFromInline var emptyCount: Int
    /// Slots reserved for an object being created.
    @usableFromInline var reserved = 0
    @usableFromInline var statistics = ObjectPoolStatistics()
    /// The core's retain of itself, while its pool is gone and objects are still out.
    @usableFromInline var keepAlive: UnsafeMutableRawPointer?

    @usableFromInline
    init(capacity: Int) {
        idle = _IdleRing(capacity: capacity)
        empty = .allocate(capacity: capacity)
        for slot in 0..<capacity { (empty + slot).initialize(to: capacity - 1 - slot) }
        emptyCount = capacity
    }

    /// Objects checked out: every slot neither empty, idle nor reserved.
    @inlinable
    func inUse(capacity: Int) -> Int {
        capacity &- emptyCount &- idle.count &- reserved
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

    @usableFromInline
    mutating func release() {
        idle.deallocate()
        empty.deallocate()
    }
}

/// The three pool types, as recorded in a `Pooled` handle.
@usableFromInline
enum _ObjectPoolKind: UInt8 {
    case plain
    case concurrent
    case async
}
