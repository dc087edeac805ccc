import NebulaMemory
import Synchronization
import Testing

// Helpers shared by the tests of ObjectPool, ConcurrentObjectPool and AsyncObjectPool.

/// An object of the single-threaded pool: an id, a payload its users change, and switches for
/// the pool's rules (`isReusable`, the health check).
final class Widget: Poolable {
    let id: Int
    var payload = 0
    /// How many times `prepareForReuse` ran on this object.
    var preparations = 0
    var reusable = true
    var healthy = true
    private let census: WidgetCensus?

    init(id: Int, census: WidgetCensus? = nil) {
        self.id = id
        self.census = census
        census?.alive += 1
    }

    deinit {
        census?.alive -= 1
    }

    func prepareForReuse() {
        payload = 0
        preparations += 1
    }

    var isReusable: Bool { reusable }
}

/// How many widgets of a factory are alive.
final class WidgetCensus {
    var alive = 0
}

/// Makes `Widget`s numbered `firstID`, `firstID + 1`, …; counts those made and those alive.
final class WidgetFactory {
    private(set) var made = 0
    let firstID: Int
    private let census = WidgetCensus()

    init(firstID: Int = 1) {
        self.firstID = firstID
    }

    func make() -> Widget {
        defer { made += 1 }
        return Widget(id: firstID + made, census: census)
    }

    /// Widgets made here and not yet deinitialized.
    var alive: Int { census.alive }
}

/// A configuration on a manual clock, for tests of timeouts, lifetimes and leaks.
func manualConfiguration<Object>(
    _ clock: ManualPoolClock, _ change: (inout ObjectPoolConfiguration<Object>) -> Void
) -> ObjectPoolConfiguration<Object> {
    var configuration = ObjectPoolConfiguration<Object>.default
    configuration.clock = clock.poolClock
    change(&configuration)
    return configuration
}

/// An object that threads and tasks share: whoever holds it writes their id into `owner`, so
/// that two holders at once are caught.
final class Slot: Sendable {
    let id: Int
    private let owner = Atomic<Int>(0)
    private let factory: SlotFactory?

    init(id: Int, factory: SlotFactory? = nil) {
        self.id = id
        self.factory = factory
        factory?.alive.add(1, ordering: .relaxed)
    }

    deinit {
        factory?.alive.subtract(1, ordering: .relaxed)
    }

    /// Marks the slot held by `user` (a positive id); false when someone else holds it.
    func claim(by user: Int) -> Bool {
        owner.compareExchange(expected: 0, desired: user, ordering: .acquiringAndReleasing).exchanged
    }

    /// Marks the slot free again; false when `user` was not (or no longer) its holder.
    func release(by user: Int) -> Bool {
        owner.compareExchange(expected: user, desired: 0, ordering: .acquiringAndReleasing).exchanged
    }

    var holder: Int { owner.load(ordering: .acquiring) }
}

/// Makes `Slot`s numbered 1, 2, 3, … from any thread; counts those made and those alive.
final class SlotFactory: Sendable {
    private let count = Atomic<Int>(0)
    fileprivate let alive = Atomic<Int>(0)

    func make() -> Slot {
        Slot(id: count.add(1, ordering: .relaxed).newValue, factory: self)
    }

    var made: Int { count.load(ordering: .acquiring) }
    /// Slots made here and not yet deinitialized.
    var living: Int { alive.load(ordering: .acquiring) }
}

/// A `Poolable` value type for the thread-safe pools.
struct Ticket: Poolable, Sendable {
    var id: Int
    var reusable = true
    var punched = false

    mutating func prepareForReuse() { punched = false }

    var isReusable: Bool { reusable }
}

/// The leak reports a pool passed to `onLeak`, on any thread.
final class LeakLog: Sendable {
    private let reports = Locked<[LeakReport]>([])

    func record(_ report: LeakReport) {
        reports.withLock { $0.append(report) }
    }

    var all: [LeakReport] { reports.withLock { $0 } }
}

/// A statistics snapshot with the given counters, the others zero.
func poolStatistics(
    hits: Int = 0, misses: Int = 0, created: Int = 0, discarded: Int = 0, evicted: Int = 0, peakInUse: Int = 0,
    leaks: Int = 0, detached: Int = 0, borrowed: Int = 0
) -> ObjectPoolStatistics {
    var statistics = ObjectPoolStatistics()
    statistics.hits = hits
    statistics.misses = misses
    statistics.created = created
    statistics.discarded = discarded
    statistics.evicted = evicted
    statistics.peakInUse = peakInUse
    statistics.leaks = leaks
    statistics.detached = detached
    statistics.borrowed = borrowed
    return statistics
}

/// Runs the async `body` and checks that it throws an `AllocError` with `code`; returns it.
@discardableResult
func expectAsyncAllocError<R>(
    _ code: AllocError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> R
) async -> AllocError? {
    let outcome: Result<R, any Error>
    do {
        outcome = .success(try await body())
    } catch {
        outcome = .failure(error)
    }
    return checkAllocError(code, outcome, sourceLocation: sourceLocation)
}

/// Polls `condition` (every millisecond) until it holds. A safety net, not a measurement:
/// records an issue and returns false when it still does not hold after 10 seconds.
@discardableResult
func eventually(
    _ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () -> Bool
) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(10)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("still not true after 10 s: \(what)", sourceLocation: sourceLocation)
            return false
        }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return true
}

/// A gate that async calls wait at, cancelled or not, until it opens: a call that never
/// returns on its own, which no cancellation can hurry.
final class Gate: Sendable {
    private let state = Locked<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if !state.open { state.waiting.append(continuation) }
                return state.open
            }
            if open { continuation.resume() }
        }
    }

    func open() {
        let waiting = state.withLock { state in
            state.open = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
