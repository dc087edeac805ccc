import NebulaMemory
import Synchronization
import Testing

/// A factory whose first `hanging` calls wait at a gate until the test ends them, and whose
/// other calls make a `Slot` at once.
final class HangingFactory: Sendable {
    private let calls = Atomic<Int>(0)
    private let gate = Gate()
    private let hanging: Int

    init(hanging: Int) { self.hanging = hanging }

    func make() async throws -> Slot {
        let call = calls.add(1, ordering: .acquiringAndReleasing).newValue
        if call <= hanging { await gate.wait() }
        return Slot(id: call)
    }

    /// Lets the hanging calls return.
    func releaseAll() { gate.open() }

    var callCount: Int { calls.load(ordering: .acquiring) }
}

/// `AsyncObjectPool`: a timeout covers the whole checkout (wait, create, recycle), a create
/// that times out or is cancelled frees its place, and closing fails waiters at once.
@Suite("AsyncObjectPool timeouts")
struct AsyncObjectPoolTimeoutTests {
    @Test func aFactoryThatNeverReturnsCannotHoldACheckoutPastItsTimeout() async throws {
        let factory = HangingFactory(hanging: 1)
        defer { factory.releaseAll() }
        let pool = try AsyncObjectPool(capacity: 1, factory: factory.make)
        // The gate stays shut until the test ends: that the checkout returns at all shows it
        // did not wait for the factory.
        let error = await expectAsyncAllocError(.poolExhausted) {
            _ = try await pool.checkout(timeout: .milliseconds(50))
        }
        #expect(error?.message.contains("creating an object took longer") == true)
        #expect(pool.creatingCount == 0 && pool.inUseCount == 0, "the place was freed")
        #expect(pool.statistics?.timeouts == 1)
        #expect(pool.statistics?.waits == 0)
        let next = try await pool.checkout(timeout: .seconds(30))
        #expect(next.value.id == 2, "the freed place made a new object")
    }

    @Test func createTimeoutBoundsTheFactoryApartFromTheCheckout() async throws {
        let factory = HangingFactory(hanging: 1)
        defer { factory.releaseAll() }
        var configuration = ObjectPoolConfiguration<Slot>.default
        configuration.createTimeout = .milliseconds(30)
        let pool = try AsyncObjectPool(capacity: 1, configuration: configuration, factory: factory.make)
        let error = await expectAsyncAllocError(.poolExhausted) { _ = try await pool.checkout(timeout: .seconds(30)) }
        #expect(error?.message.contains("longer than \(Duration.milliseconds(30))") == true, "createTimeout, not 30 s")
        #expect(pool.creatingCount == 0)
    }

    @Test func aCancelledCreateFreesItsPlace() async throws {
        let factory = HangingFactory(hanging: 1)
        defer { factory.releaseAll() }
        let pool = try AsyncObjectPool(capacity: 1, factory: factory.make)
        let checkout = Task { try await pool.checkout(timeout: .seconds(30)).value.id }
        await eventually("the create started") { pool.creatingCount == 1 }
        checkout.cancel()
        await #expect(throws: CancellationError.self) { try await checkout.value }
        #expect(pool.creatingCount == 0)
        #expect(try await pool.checkout(timeout: .seconds(30)).value.id == 2)
    }

    @Test func closingFailsWaitersAtOnce() async throws {
        let pool = try AsyncObjectPool(capacity: 1) { Slot(id: 1) }
        let held = try await pool.checkout(timeout: .seconds(30))
        let waiter = Task { try await pool.checkout(timeout: .seconds(30)).value.id }
        await eventually("the checkout waits") { pool.waitingCount == 1 }
        pool.close()
        let error = await expectAsyncAllocError(.invalidState) { _ = try await waiter.value }
        #expect(error?.message.contains("closed") == true)
        #expect(pool.waitingCount == 0)
        _ = consume held
        #expect(pool.idleCount == 0, "the object returned after the close was dropped")
    }

    @Test func aFailingRecycleDropsTheIdleObjectAndTheCheckoutGoesOn() async throws {
        let factory = SlotFactory()
        let rejected = Atomic<Int>(0)
        let pool = try AsyncObjectPool(
            capacity: 2,
            recycle: { slot in
                if slot.id == 1 {
                    rejected.add(1, ordering: .relaxed)
                    throw FlakyFactory.Failure(call: slot.id)
                }
            }, factory: { factory.make() })
        do { _ = try await pool.checkout(timeout: .seconds(30)) }
        #expect(pool.idleCount == 1)
        let next = try await pool.checkout(timeout: .seconds(30))
        #expect(next.value.id == 2 && rejected.load(ordering: .relaxed) == 1)
        #expect(factory.living == 1, "the rejected object was dropped")
    }

    @Test func aRecycleThatHangsIsCutByRecycleTimeout() async throws {
        let gate = Gate()
        defer { gate.open() }
        var configuration = ObjectPoolConfiguration<Slot>.default
        configuration.recycleTimeout = .milliseconds(30)
        let pool = try AsyncObjectPool(
            capacity: 1, configuration: configuration,
            recycle: { slot in
                if slot.id == 1 { await gate.wait() }
            }, factory: { Slot(id: 2) })
        try pool.add(Slot(id: 1))
        let got = try await pool.checkout(timeout: .seconds(10))
        #expect(got.value.id == 2 && pool.inUseCount == 1)
    }

    @Test func aBatchWaitsWithinOneTimeout() async throws {
        let pool = try AsyncObjectPool(capacity: 3) { Slot(id: 0) }
        let batch = try await pool.checkout(count: 3, timeout: .seconds(30))
        #expect(batch.count == 3 && pool.inUseCount == 3)
        await expectAsyncAllocError(.poolExhausted) { _ = try await pool.checkout(count: 4, timeout: .seconds(30)) }
    }

    @Test func aCheckoutThatDoesNotWaitCreatesOnlyWithACreateTimeout() async throws {
        let factory = SlotFactory()
        let strict = try AsyncObjectPool(capacity: 1) { factory.make() }
        let error = await expectAsyncAllocError(.poolExhausted) { _ = try await strict.checkout(timeout: .zero) }
        #expect(error?.message.contains("no time left to create") == true)
        #expect(factory.made == 0 && strict.creatingCount == 0 && strict.inUseCount == 0)
        let lenient = try AsyncObjectPool(capacity: 1, configuration: .init(createTimeout: .seconds(30))) {
            factory.make()
        }
        #expect(try await lenient.checkout(timeout: .zero).value.id == 1)
    }

    @Test func aRecycleCutShortByTheCheckoutsTimeOrACancellationKeepsTheObject() async throws {
        let gate = Gate()
        defer { gate.open() }
        let pool = try AsyncObjectPool(
            capacity: 1, recycle: { _ in await gate.wait() }, factory: { Slot(id: 1) })
        try pool.add(Slot(id: 7))
        await expectAsyncAllocError(.poolExhausted) { _ = try await pool.checkout(timeout: .milliseconds(20)) }
        #expect(pool.idleCount == 1, "the checkout's own time ran out: the object is kept")
        let cancelled = Task { try await pool.checkout(timeout: .seconds(30)).value.id }
        await eventually("the recycle runs") { pool.idleCount == 0 }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(pool.idleCount == 1 && pool.statistics?.discarded == 0, "a cancelled checkout keeps the object")
    }
}
