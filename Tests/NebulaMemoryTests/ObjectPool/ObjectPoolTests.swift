import NebulaMemory
import Testing

/// A configuration that pools must refuse, named for the test report.
struct RefusedConfiguration: Sendable, CustomTestStringConvertible {
    let name: String
    let configuration: ObjectPoolConfiguration<Widget>

    init(_ name: String, _ change: (inout ObjectPoolConfiguration<Widget>) -> Void) {
        self.name = name
        var configuration = ObjectPoolConfiguration<Widget>.default
        change(&configuration)
        self.configuration = configuration
    }

    var testDescription: String { name }

    static let all: [RefusedConfiguration] = [
        .init("maxIdle -1") { $0.maxIdle = -1 },
        .init("idleTimeout 0") { $0.idleTimeout = .zero },
        .init("idleTimeout -1 s") { $0.idleTimeout = .seconds(-1) },
        .init("maxLifetime 0") { $0.maxLifetime = .zero },
        .init("maxLifetime -1 ms") { $0.maxLifetime = .milliseconds(-1) },
        .init("leakDetectionThreshold 0") { $0.leakDetectionThreshold = .zero },
        .init("leakDetectionThreshold -5 s") { $0.leakDetectionThreshold = .seconds(-5) },
    ]
}

@Suite("ObjectPool")
struct ObjectPoolTests {
    @Test func newPoolHoldsNothing() throws {
        let factory = WidgetFactory()
        let pool = try ObjectPool(capacity: 4, factory: factory.make)
        #expect(pool.capacity == 4)
        #expect(pool.idleCount == 0)
        #expect(pool.inUseCount == 0)
        #expect(pool.statistics == ObjectPoolStatistics())
        #expect(factory.made == 0)
    }

    @Test(arguments: [0, -1, Int.min])
    func capacityBelowOneIsRefused(capacity: Int) {
        let error = expectAllocError(.invalidConfiguration) { try ObjectPool(capacity: capacity) { Widget(id: 0) } }
        #expect(error?.description.contains("capacity") == true)
    }

    @Test(arguments: RefusedConfiguration.all)
    func negativeOrZeroSettingsAreRefused(refused: RefusedConfiguration) {
        expectAllocError(.invalidConfiguration) {
            try ObjectPool(capacity: 4, configuration: refused.configuration) { Widget(id: 0) }
        }
    }

    @Test func smallestValidSettingsAreAccepted() throws {
        var configuration = ObjectPoolConfiguration<Widget>.default
        configuration.maxIdle = 0
        configuration.idleTimeout = .nanoseconds(1)
        configuration.maxLifetime = .nanoseconds(1)
        configuration.leakDetectionThreshold = .nanoseconds(1)
        let pool = try ObjectPool(capacity: 1, configuration: configuration) { Widget(id: 1) }
        #expect(pool.capacity == 1)
    }

    @Test func checkoutCreatesWhileUnderCapacityThenThrowsExhausted() throws {
        let factory = WidgetFactory()
        let pool = try ObjectPool(capacity: 2, factory: factory.make)
        let first = try pool.checkout()
        let second = try pool.checkout()
        #expect(first.value.id != second.value.id)
        #expect(factory.made == 2)
        #expect(pool.inUseCount == 2)
        let before = pool.statistics
        #expect(before == poolStatistics(misses: 2, created: 2, peakInUse: 2))

        let error = expectAllocError(.poolExhausted) { try pool.checkout().value.id }
        #expect(error?.capacity == 2)
        #expect(error?.used == 2)
        #expect(factory.made == 2)
        #expect(pool.inUseCount == 2)
        #expect(pool.idleCount == 0)
        #expect(pool.statistics == before)
        _ = consume first
        _ = consume second
        #expect(pool.inUseCount == 0)
        #expect(pool.idleCount == 2)
    }

    @Test func returnedObjectIsReusedInsteadOfCreated() throws {
        let factory = WidgetFactory()
        let pool = try ObjectPool(capacity: 4, factory: factory.make)
        let firstID = try pool.checkout().value.id
        #expect(pool.inUseCount == 0)
        #expect(pool.idleCount == 1)
        let again = try pool.checkout()
        #expect(again.value.id == firstID)
        #expect(factory.made == 1)
        #expect(pool.idleCount == 0)
        #expect(pool.statistics == poolStatistics(hits: 1, misses: 1, created: 1, peakInUse: 1))
    }

    @Test func prepareForReuseRunsWhenAnIdleObjectIsCheckedOutAgain() throws {
        let pool = try ObjectPool(capacity: 2) { Widget(id: 1) }
        let pooled = try pool.checkout()
        #expect(pooled.value.preparations == 0, "a new object needs no preparation")
        pooled.value.payload = 42
        let widget = pooled.value
        _ = consume pooled
        #expect(widget.preparations == 0, "prepared when it came back rather than at its next checkout")
        #expect(widget.payload == 42)

        let again = try pool.checkout()
        #expect(again.value === widget)
        #expect(widget.preparations == 1)
        #expect(widget.payload == 0)
    }

    @Test func objectThatIsNotReusableIsDiscardedOnReturn() throws {
        let factory = WidgetFactory()
        let pool = try ObjectPool(capacity: 2, factory: factory.make)
        weak var discarded: Widget?
        do {
            let pooled = try pool.checkout()
            pooled.value.reusable = false
            discarded = pooled.value
        }
        #expect(discarded == nil, "the pool still holds the object")
        #expect(pool.idleCount == 0)
        #expect(pool.inUseCount == 0)
        #expect(pool.statistics?.discarded == 1)
        #expect(try pool.checkout().value.id == 2)
        #expect(factory.made == 2)
    }

    @Test func resetClosureMakesAnyTypePoolable() throws {
        let pool = try ObjectPool<[Int]>(capacity: 2, reset: { $0.removeAll(keepingCapacity: true) }, factory: { [] })
        var pooled = try pool.checkout()
        pooled.value.append(contentsOf: [1, 2, 3])
        #expect(pooled.value == [1, 2, 3])
        _ = consume pooled
        let again = try pool.checkout()
        #expect(again.value.isEmpty)
        #expect(again.value.capacity >= 3, "the array that came back is the one reused")
        #expect(pool.statistics?.hits == 1)
        #expect(pool.statistics?.created == 1)
    }

    @Test func valueMutationsReachThePooledObject() throws {
        // No reset: what the last user wrote is still there on reuse.
        let pool = try ObjectPool<[Int]>(capacity: 1) { [] }
        var pooled = try pool.checkout()
        pooled.value.append(7)
        pooled.value[0] += 1
        #expect(pooled.value == [8])
        _ = consume pooled
        #expect(try pool.checkout().value == [8])
    }

    @Test func detachTakesTheObjectOutForGood() throws {
        let factory = WidgetFactory()
        let pool = try ObjectPool(capacity: 1, factory: factory.make)
        let widget = try pool.checkout().detach()
        #expect(widget.id == 1)
        #expect(pool.inUseCount == 0)
        #expect(pool.idleCount == 0)
        #expect(pool.statistics?.detached == 1)
        // Its place is free: a capacity-1 pool makes a new object.
        let next = try pool.checkout()
        #expect(next.value.id == 2)
        #expect(next.value !== widget)
        #expect(widget.preparations == 0)
    }

    @Test func handleReturnsItsObjectExactlyOnce() throws {
        let factory = WidgetFactory()
        let pool = try ObjectPool(capacity: 3, factory: factory.make)
        do {
            let pooled = try pool.checkout()
            #expect(pooled.value.id == 1)
        }
        #expect(pool.idleCount == 1)
        let first = try pool.checkout()
        let second = try pool.checkout()
        #expect([first.value.id, second.value.id].sorted() == [1, 2], "object 1 came back twice")
        #expect(pool.idleCount == 0)
        #expect(pool.inUseCount == 2)
        #expect(pool.statistics == poolStatistics(hits: 1, misses: 2, created: 2, peakInUse: 2))
    }

    @Test func withObjectLendsAnObjectForTheBody() throws {
        let pool = try ObjectPool(capacity: 2) { Widget(id: 1) }
        let result = try pool.withObject { widget in
            #expect(pool.inUseCount == 1)
            widget.payload = 5
            return widget.id * 10
        }
        #expect(result == 10)
        #expect(pool.inUseCount == 0)
        #expect(pool.idleCount == 1)
        #expect(try pool.withObject { $0.preparations } == 1)
    }

    @Test func withObjectReturnsTheObjectWhenTheBodyThrows() throws {
        let pool = try ObjectPool(capacity: 1) { Widget(id: 1) }
        #expect(throws: ScopeFailure.body(BodyError(value: 3))) {
            try pool.withObject { _ throws(BodyError) in throw BodyError(value: 3) }
        }
        #expect(pool.inUseCount == 0)
        #expect(pool.idleCount == 1)
        #expect(try pool.withObject { $0.id } == 1)
    }

    @Test func withObjectThrowsExhaustedWithoutRunningTheBody() throws {
        let pool = try ObjectPool(capacity: 1) { Widget(id: 1) }
        let held = try pool.checkout()
        var ran = false
        let outcome = Result { () throws(ScopeFailure<Never>) in try pool.withObject { _ in ran = true } }
        guard case .failure(.open(let error)) = outcome else {
            Issue.record("expected .open, got \(outcome)")
            return
        }
        #expect(error.code == .poolExhausted)
        #expect(!ran)
        #expect(held.value.id == 1)
    }

    @Test func batchChecksOutObjectsTogetherAndReturnsThemAtItsEnd() throws {
        let factory = WidgetFactory()
        let pool = try ObjectPool(capacity: 4, factory: factory.make)
        do {
            let batch = try pool.checkout(count: 3)
            #expect(batch.count == 3)
            #expect(Set((0..<batch.count).map { batch[$0].id }).count == 3)
            batch[1].payload = 9
            #expect(batch[1].payload == 9)
            #expect(pool.inUseCount == 3)
            #expect(pool.idleCount == 0)
        }
        #expect(pool.inUseCount == 0)
        #expect(pool.idleCount == 3)
        let empty = try pool.checkout(count: 0)
        #expect(empty.count == 0)
        #expect(pool.inUseCount == 0)
    }

    @Test func batchLargerThanWhatIsAvailableTakesNothing() throws {
        let factory = WidgetFactory()
        let pool = try ObjectPool(capacity: 4, factory: factory.make)
        pool.prefill(1)
        let held = try pool.checkout(count: 2)
        let before = pool.statistics
        let error = expectAllocError(.poolExhausted) { try pool.checkout(count: 3).count }
        #expect(error?.capacity == 4)
        #expect(pool.inUseCount == 2)
        #expect(pool.idleCount == 0)
        #expect(pool.statistics == before)
        #expect(factory.made == 2)
        expectAllocError(.poolExhausted) { try pool.checkout(count: 5).count }
        #expect(held.count == 2)
        _ = consume held
        #expect(pool.inUseCount == 0)
        #expect(pool.idleCount == 2)
        #expect(try pool.checkout(count: 4).count == 4)
    }

    @Test func negativeBatchIsAnInvalidLayout() throws {
        let pool = try ObjectPool(capacity: 4) { Widget(id: 1) }
        expectAllocError(.invalidLayout) { try pool.checkout(count: -1).count }
        #expect(pool.inUseCount == 0)
    }

    @Test func prefillCreatesIdleObjectsWithinCapacityAndMaxIdle() throws {
        let factory = WidgetFactory()
        let pool = try ObjectPool(capacity: 4, factory: factory.make)
        #expect(pool.prefill(3) == 3)
        #expect(pool.idleCount == 3)
        #expect(pool.prefill(3) == 0, "3 are idle already")
        #expect(pool.prefill(10) == 1, "the capacity is 4")
        #expect(factory.made == 4)
        #expect(pool.statistics == poolStatistics(created: 4))
        let pooled = try pool.checkout()
        #expect(pool.statistics?.hits == 1)
        #expect(factory.made == 4)
        #expect(pooled.value.id <= 4)

        let limited = try ObjectPool(capacity: 4, configuration: .init(maxIdle: 2)) { Widget(id: 1) }
        #expect(limited.prefill(4) == 2)
        #expect(limited.idleCount == 2)
    }

    @Test func drainDropsEveryIdleObject() throws {
        let factory = WidgetFactory()
        let pool = try ObjectPool(capacity: 4, factory: factory.make)
        pool.prefill(3)
        let out = try pool.checkout()
        #expect(pool.idleCount == 2)
        #expect(pool.drain() == 2)
        #expect(factory.alive == 1, "a drained object is still alive")
        #expect(pool.idleCount == 0)
        #expect(pool.inUseCount == 1)
        out.value.payload = 1
        _ = consume out
        #expect(pool.idleCount == 1)
        #expect(pool.drain() == 1)
        #expect(pool.drain() == 0)
        #expect(factory.alive == 0)
        #expect(try pool.checkout().value.id == 4, "drained objects are not reused")
    }

    @Test func statisticsCountEveryEvent() throws {
        let pool = try ObjectPool(capacity: 4, configuration: .init(maxIdle: 2), factory: WidgetFactory().make)
        do {
            let batch = try pool.checkout(count: 3)  // 3 misses; peak 3
            #expect(batch.count == 3)
        }  // 2 kept idle, 1 discarded (maxIdle)
        let reused = try pool.checkout()  // hit
        let extra = try pool.checkout()  // hit
        _ = try pool.checkout().detach()  // miss, detached
        expectAllocError(.poolExhausted) { try pool.checkout(count: 3).count }
        _ = consume reused
        _ = consume extra
        #expect(
            pool.statistics
                == poolStatistics(hits: 2, misses: 4, created: 4, discarded: 1, peakInUse: 3, detached: 1))
        #expect(pool.idleCount == 2)
    }

    @Test func performancePresetKeepsNoStatistics() throws {
        let pool = try ObjectPool(capacity: 2, configuration: .performance) { Widget(id: 1) }
        #expect(try pool.checkout().value.id == 1)
        #expect(try pool.checkout().value.id == 1)
        #expect(pool.statistics == nil)
        #expect(try ObjectPool(capacity: 2, configuration: .default) { Widget(id: 1) }.statistics != nil)
        #expect(try ObjectPool(capacity: 2, configuration: .debug) { Widget(id: 1) }.statistics != nil)
    }

    @Test func presetsHaveTheirDocumentedSettings() {
        let standard = ObjectPoolConfiguration<Widget>.default
        #expect(standard.maxIdle == nil)
        #expect(standard.idleTimeout == nil)
        #expect(standard.maxLifetime == nil)
        #expect(standard.healthCheck == nil)
        #expect(standard.order == .lifo)
        #expect(standard.leakDetectionThreshold == nil)
        #expect(standard.trackStatistics)

        let debug = ObjectPoolConfiguration<Widget>.debug
        #expect(debug.leakDetectionThreshold == .seconds(10))
        #expect(debug.trackStatistics)
        #expect(debug.order == .lifo)

        let performance = ObjectPoolConfiguration<Widget>.performance
        #expect(!performance.trackStatistics)
        #expect(performance.idleTimeout == nil)
        #expect(performance.maxLifetime == nil)
        #expect(performance.leakDetectionThreshold == nil)
    }

    /// The plain path (LIFO, no clock, no checks) keeps counts, peak and order right, also
    /// after a drain and a prefill have emptied and refilled the idle objects.
    @Test func plainPoolCountsAndOrderSurviveDrainAndPrefill() throws {
        var made = 0
        let pool = try ObjectPool<[Int]>(capacity: 3) {
            made += 1
            return [made]
        }
        do {
            let first = try pool.checkout()
            let second = try pool.checkout()
            #expect(pool.inUseCount == 2)
            #expect(first.value == [1] && second.value == [2])
            _ = consume first
            _ = consume second
        }
        #expect(pool.idleCount == 2 && pool.inUseCount == 0)
        do {
            let again = try pool.checkout()
            #expect(again.value == [2], "LIFO: the last one returned comes out first")
            #expect(pool.inUseCount == 1 && pool.idleCount == 1)
        }
        #expect(pool.drain() == 2)
        #expect(pool.prefill(3) == 3)
        do {
            let batch = try pool.checkout(count: 3)
            #expect([batch[0], batch[1], batch[2]] == [[5], [4], [3]])
            #expect(throws: AllocError.self) { _ = try pool.checkout() }
        }
        #expect(pool.idleCount == 3 && pool.inUseCount == 0)
        #expect(pool.statistics == poolStatistics(hits: 4, misses: 2, created: 5, peakInUse: 3))
    }
}
