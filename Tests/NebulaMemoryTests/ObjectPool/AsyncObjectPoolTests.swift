import NebulaMemory
import Synchronization
import Testing

/// An async factory of `Slot`s (numbered by call) whose listed calls throw; the first call can
/// be made to wait for `openGate()`.
final class FlakyFactory: Sendable {
    struct Failure: Error, Equatable {
        let call: Int
    }

    private let calls = Atomic<Int>(0)
    private let gate = Gate()
    private let failing: Set<Int>
    private let firstCallWaits: Bool

    init(failing: Set<Int>, firstCallWaits: Bool = false) {
        self.failing = failing
        self.firstCallWaits = firstCallWaits
    }

    func make() async throws -> Slot {
        let call = calls.add(1, ordering: .acquiringAndReleasing).newValue
        if call == 1 && firstCallWaits {
            await gate.wait()
        }
        await Task.yield()
        if failing.contains(call) { throw Failure(call: call) }
        return Slot(id: call)
    }

    func openGate() { gate.open() }

    var callCount: Int { calls.load(ordering: .acquiring) }
}

/// The order in which waiters got their object.
final class ServiceLog: Sendable {
    private let entries = Locked<[String]>([])

    func record(_ entry: String) { entries.withLock { $0.append(entry) } }

    var all: [String] { entries.withLock { $0 } }
}

/// `AsyncObjectPool`: checkout, factories, prefill, and objects that outlive their pool.
///
/// Tests return their handles before the pool's last use, so that an optimized build cannot
/// end the pool first: objects outliving an async pool are the subject of the last two tests
/// only, which run in child processes.
@Suite("AsyncObjectPool")
struct AsyncObjectPoolTests {
    @Test func checkoutCreatesWithTheAsyncFactoryThenReuses() async throws {
        let factory = FlakyFactory(failing: [])
        let pool = try AsyncObjectPool(capacity: 2, factory: factory.make)
        #expect(pool.capacity == 2)
        let firstID = try await pool.checkout(timeout: .seconds(30)).value.id
        #expect(pool.idleCount == 1)
        let again = try await pool.checkout(timeout: .seconds(30))
        #expect(again.value.id == firstID)
        #expect(factory.callCount == 1)
        #expect(pool.inUseCount == 1)
        #expect(pool.waitingCount == 0)
        #expect(pool.statistics == poolStatistics(hits: 1, misses: 1, created: 1, peakInUse: 1))
        _ = consume again
        #expect(pool.idleCount == 1)
    }

    @Test func invalidSettingsAreRefusedAndPerformanceKeepsNoStatistics() async throws {
        expectAllocError(.invalidConfiguration) { try AsyncObjectPool(capacity: 0) { Slot(id: 0) } }
        expectAllocError(.invalidConfiguration) {
            try AsyncObjectPool(capacity: 1, configuration: .init(maxLifetime: .seconds(-1))) { Slot(id: 0) }
        }
        let pool = try AsyncObjectPool(capacity: 1, configuration: .performance) { Slot(id: 1) }
        #expect(try await pool.checkout(timeout: .seconds(30)).value.id == 1)
        #expect(pool.statistics == nil)
    }

    @Test func withObjectReturnsTheObjectAlsoWhenTheBodyThrows() async throws {
        let pool = try AsyncObjectPool<[Int]>(capacity: 1, reset: { $0.removeAll() }, factory: { [] })
        let count = try await pool.withObject(timeout: .seconds(30)) { array in
            array.append(1)
            await Task.yield()
            return array.count
        }
        #expect(count == 1)
        await #expect(throws: BodyError(value: 2)) {
            try await pool.withObject(timeout: .seconds(30)) { _ in throw BodyError(value: 2) }
        }
        #expect(pool.inUseCount == 0)
        #expect(try await pool.withObject(timeout: .seconds(30)) { $0 } == [], "reset before reuse")
    }

    @Test func poolableObjectsArePreparedOrDroppedByTheirOwnRules() async throws {
        let made = SharedCounter()
        let pool = try AsyncObjectPool(capacity: 2) {
            let id = made.increment()
            return Ticket(id: id, reusable: id == 1)
        }
        do {
            var first = try await pool.checkout(timeout: .seconds(30))
            var second = try await pool.checkout(timeout: .seconds(30))
            first.value.punched = true
            second.value.punched = true
        }
        #expect(pool.idleCount == 1)
        #expect(pool.statistics?.discarded == 1, "ticket 2 is not reusable")
        let again = try await pool.checkout(timeout: .seconds(30))
        #expect(again.value.id == 1)
        #expect(!again.value.punched)
        _ = consume again
        #expect(pool.idleCount == 1)
    }

    // MARK: Factories that throw

    @Test func factoryErrorReachesTheCallerAndTheFreedPlaceIsReused() async throws {
        let factory = FlakyFactory(failing: [1, 2])
        let pool = try AsyncObjectPool(capacity: 2, factory: factory.make)
        await #expect(throws: FlakyFactory.Failure(call: 1)) { try await pool.checkout(timeout: .seconds(30)).value.id }
        await #expect(throws: FlakyFactory.Failure(call: 2)) { try await pool.checkout(timeout: .seconds(30)).value.id }
        #expect(pool.inUseCount == 0)
        #expect(pool.waitingCount == 0)
        let first = try await pool.checkout(timeout: .seconds(30))
        let second = try await pool.checkout(timeout: .seconds(30))
        #expect([first.value.id, second.value.id] == [3, 4], "both places are still there")
        #expect(pool.statistics?.created == 2)
        _ = consume first
        _ = consume second
        #expect(pool.idleCount == 2)
    }

    @Test func waiterGetsThePlaceOfACreationThatFailed() async throws {
        let factory = FlakyFactory(failing: [1], firstCallWaits: true)
        let pool = try AsyncObjectPool(capacity: 1, factory: factory.make)
        let failing = Task { try await pool.checkout(timeout: .seconds(30)).value.id }
        await eventually("the first creation runs") { factory.callCount == 1 }
        let waiter = Task { try await pool.checkout(timeout: .seconds(30)).value.id }
        await eventually("the second checkout waits") { pool.waitingCount == 1 }
        factory.openGate()
        await #expect(throws: FlakyFactory.Failure(call: 1)) { try await failing.value }
        #expect(try await waiter.value == 2)
        #expect(pool.waitingCount == 0)
        #expect(pool.inUseCount == 0)
        #expect(pool.idleCount == 1)
    }

    // MARK: prefill

    @Test func prefillCreatesIdleObjectsWithTheAsyncFactory() async throws {
        let factory = FlakyFactory(failing: [])
        let pool = try AsyncObjectPool(capacity: 4, configuration: .init(maxIdle: 3), factory: factory.make)
        #expect(try await pool.prefill(2) == 2)
        #expect(pool.idleCount == 2)
        #expect(try await pool.prefill(10) == 1, "maxIdle is 3")
        #expect(factory.callCount == 3)
        #expect(pool.statistics == poolStatistics(created: 3))
        let pooled = try await pool.checkout(timeout: .seconds(30))
        #expect(pool.statistics?.hits == 1)
        #expect(factory.callCount == 3)
        #expect(pooled.value.id <= 3)
        _ = consume pooled
        #expect(pool.idleCount == 3)
    }

    @Test func prefillThatFailsKeepsWhatItMadeAndFreesThePlace() async throws {
        let factory = FlakyFactory(failing: [2])
        let pool = try AsyncObjectPool(capacity: 3, factory: factory.make)
        await #expect(throws: FlakyFactory.Failure(call: 2)) { try await pool.prefill(3) }
        #expect(pool.idleCount == 1)
        #expect(pool.inUseCount == 0)
        #expect(try await pool.prefill(3) == 2)
        #expect(pool.idleCount == 3, "the place of the failed creation was lost")
    }

    @Test func prefilledObjectGoesToATaskWaitingForIt() async throws {
        let factory = FlakyFactory(failing: [], firstCallWaits: true)
        let pool = try AsyncObjectPool(capacity: 1, factory: factory.make)
        let prefill = Task { try await pool.prefill(1) }
        await eventually("the prefill creates") { factory.callCount == 1 }
        let waiter = Task { try await pool.checkout(timeout: .seconds(30)).value.id }
        await eventually("the checkout waits") { pool.waitingCount == 1 }
        factory.openGate()
        #expect(try await prefill.value == 1)
        #expect(try await waiter.value == 1)
        #expect(pool.waitingCount == 0)
        #expect(pool.statistics?.hits == 1)
        #expect(factory.callCount == 1)
    }

    // MARK: The pool goes away first

    // In child processes: returning or detaching the last object frees the storage of a pool
    // that went away, and the async pool must not touch it afterwards.

    @Test func objectReturnedAfterItsPoolWentAway() async {
        await #expect(processExitsWith: .success) {
            try await Self.outliveThePool(detachingTheLast: false)
        }
    }

    @Test func objectDetachedAfterItsPoolWentAway() async {
        await #expect(processExitsWith: .success) {
            try await Self.outliveThePool(detachingTheLast: true)
        }
    }

    static func outliveThePool(detachingTheLast: Bool) async throws {
        let factory = SlotFactory()
        var kept: Pooled<Slot>?
        var last: Pooled<Slot>?
        do {
            let pool = try AsyncObjectPool(capacity: 3, factory: factory.make)
            kept = try await pool.checkout(timeout: .seconds(30))
            last = try await pool.checkout(timeout: .seconds(30))
        }  // the pool goes away here
        precondition(kept?.value.claim(by: 1) == true)
        precondition(last?.value.id == 2)
        kept = nil
        precondition(factory.living == 2)
        if detachingTheLast {
            guard let pooled = consume last else { preconditionFailure("no second object") }
            let slot = pooled.detach()
            precondition(slot.id == 2)
            precondition(factory.living == 1, "the orphaned pool kept its objects")
        } else {
            last = nil
            precondition(factory.living == 0, "the orphaned pool kept its objects")
        }
    }
}
