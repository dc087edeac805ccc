import NebulaMemory
import Testing

/// The settings of `ObjectPoolConfiguration`, on `ObjectPool`. Time moves only through a
/// `ManualPoolClock`: no test here sleeps.
@Suite("ObjectPool configuration")
struct ObjectPoolConfigurationTests {
    // MARK: maxIdle

    @Test func maxIdleDiscardsSurplusReturns() throws {
        let factory = WidgetFactory()
        let pool = try ObjectPool(capacity: 4, configuration: .init(maxIdle: 2), factory: factory.make)
        do {
            let batch = try pool.checkout(count: 4)
            #expect(batch.count == 4)
        }
        #expect(pool.idleCount == 2)
        #expect(pool.inUseCount == 0)
        #expect(pool.statistics?.discarded == 2)
        #expect(factory.alive == 2, "the objects beyond maxIdle are still alive")
    }

    @Test func maxIdleZeroKeepsNothingIdle() throws {
        let factory = WidgetFactory()
        let pool = try ObjectPool(capacity: 2, configuration: .init(maxIdle: 0), factory: factory.make)
        #expect(try pool.checkout().value.id == 1)
        #expect(try pool.checkout().value.id == 2)
        #expect(pool.idleCount == 0)
        #expect(pool.prefill(2) == 0)
        #expect(pool.statistics?.discarded == 2)
        #expect(pool.statistics?.hits == 0)
    }

    // MARK: idleTimeout

    @Test func idleTimeoutEvictsLazilyAtTheNextCheckout() throws {
        let clock = ManualPoolClock()
        let configuration: ObjectPoolConfiguration<Widget> = manualConfiguration(clock) {
            $0.idleTimeout = .seconds(10)
        }
        let factory = WidgetFactory()
        let pool = try ObjectPool(capacity: 2, configuration: configuration, factory: factory.make)
        weak var old: Widget?
        old = try pool.checkout().value
        clock.advance(by: .seconds(11))
        #expect(pool.idleCount == 1, "evicted before any checkout or evictIdle()")
        let fresh = try pool.checkout()
        #expect(fresh.value.id == 2)
        #expect(old == nil, "the evicted object is still alive")
        #expect(pool.idleCount == 0)
        #expect(pool.statistics?.evicted == 1)
        #expect(pool.statistics?.hits == 0)
    }

    @Test func objectIdleForLessThanTheTimeoutIsReused() throws {
        let clock = ManualPoolClock()
        let configuration: ObjectPoolConfiguration<Widget> = manualConfiguration(clock) {
            $0.idleTimeout = .seconds(10)
        }
        let pool = try ObjectPool(capacity: 2, configuration: configuration, factory: WidgetFactory().make)
        for _ in 0..<5 {
            #expect(try pool.checkout().value.id == 1)
            clock.advance(by: .seconds(9))  // 45 s in all, never 10 s idle at once
        }
        #expect(pool.statistics?.evicted == 0)
        #expect(pool.evictIdle() == 0)
        #expect(pool.idleCount == 1)
    }

    @Test func evictIdleDropsOnlyTheObjectsIdleTooLong() throws {
        let clock = ManualPoolClock()
        let configuration: ObjectPoolConfiguration<Widget> = manualConfiguration(clock) {
            $0.idleTimeout = .seconds(10)
        }
        let pool = try ObjectPool(capacity: 3, configuration: configuration, factory: WidgetFactory().make)
        var first: Pooled<Widget>? = try pool.checkout()
        let second = try pool.checkout()
        #expect(first?.value.id == 1)
        first = nil  // idle since 0 s
        clock.advance(by: .seconds(5))
        _ = consume second  // idle since 5 s
        clock.advance(by: .seconds(6))
        #expect(pool.evictIdle() == 1)
        #expect(pool.idleCount == 1)
        #expect(pool.statistics?.evicted == 1)
        #expect(try pool.checkout().value.id == 2)
    }

    // MARK: maxLifetime

    @Test func maxLifetimeReplacesAnOldIdleObjectAtCheckout() throws {
        let clock = ManualPoolClock()
        let configuration: ObjectPoolConfiguration<Widget> = manualConfiguration(clock) {
            $0.maxLifetime = .seconds(10)
        }
        let factory = WidgetFactory()
        let pool = try ObjectPool(capacity: 2, configuration: configuration, factory: factory.make)
        weak var old: Widget?
        old = try pool.checkout().value
        clock.advance(by: .seconds(6))
        #expect(try pool.checkout().value.id == 1, "6 s old: reused")
        clock.advance(by: .seconds(6))
        #expect(try pool.checkout().value.id == 2, "12 s old: replaced")
        #expect(old == nil)
        #expect(factory.made == 2)
    }

    @Test func objectDroppedForItsLifetimeCountsAsDiscarded() throws {
        // ObjectPoolStatistics: `discarded` counts objects dropped "past their lifetime";
        // `evicted` only those idle longer than `idleTimeout` (none is set here).
        let clock = ManualPoolClock()
        let configuration: ObjectPoolConfiguration<Widget> = manualConfiguration(clock) {
            $0.maxLifetime = .seconds(10)
        }
        let pool = try ObjectPool(capacity: 2, configuration: configuration, factory: WidgetFactory().make)
        #expect(try pool.checkout().value.id == 1)
        clock.advance(by: .seconds(11))
        #expect(try pool.checkout().value.id == 2)
        #expect(pool.statistics?.discarded == 1)
        #expect(pool.statistics?.evicted == 0)
    }

    @Test func maxLifetimeDiscardsAnOldObjectWhenItIsReturned() throws {
        let clock = ManualPoolClock()
        let configuration: ObjectPoolConfiguration<Widget> = manualConfiguration(clock) {
            $0.maxLifetime = .seconds(10)
        }
        let pool = try ObjectPool(capacity: 2, configuration: configuration, factory: WidgetFactory().make)
        weak var old: Widget?
        do {
            let pooled = try pool.checkout()
            old = pooled.value
            clock.advance(by: .seconds(11))
        }
        #expect(old == nil)
        #expect(pool.idleCount == 0)
        #expect(pool.inUseCount == 0)
        #expect(pool.statistics?.discarded == 1)
    }

    @Test func checkoutSkipsAnObjectPastItsLifetimeAboveAYoungerOne() throws {
        let clock = ManualPoolClock()
        let configuration: ObjectPoolConfiguration<Widget> = manualConfiguration(clock) {
            $0.maxLifetime = .seconds(10)
        }
        let pool = try ObjectPool(capacity: 3, configuration: configuration, factory: WidgetFactory().make)
        let old = try pool.checkout()  // created at 0 s
        clock.advance(by: .seconds(5))
        let young = try pool.checkout()  // created at 5 s
        _ = consume young
        _ = consume old  // LIFO: the old one is on top
        clock.advance(by: .seconds(6))
        #expect(try pool.checkout().value.id == 2)
        #expect(pool.idleCount == 1)
        #expect(pool.statistics?.created == 2)
    }

    @Test func evictIdleDropsAnObjectPastItsLifetimeBehindAYoungerOne() throws {
        let clock = ManualPoolClock()
        let configuration: ObjectPoolConfiguration<Widget> = manualConfiguration(clock) {
            $0.maxLifetime = .seconds(10)
        }
        let pool = try ObjectPool(capacity: 3, configuration: configuration, factory: WidgetFactory().make)
        weak var oldWidget: Widget?
        let old = try pool.checkout()  // created at 0 s
        oldWidget = old.value
        clock.advance(by: .seconds(5))
        let young = try pool.checkout()  // created at 5 s
        _ = consume young  // idle longest
        _ = consume old
        clock.advance(by: .seconds(6))  // old: 11 s, young: 6 s
        #expect(pool.evictIdle() == 1, "evictIdle() drops idle objects past maxLifetime")
        #expect(pool.idleCount == 1)
        #expect(oldWidget == nil)
    }

    // MARK: healthCheck

    @Test func unhealthyIdleObjectIsDiscardedForAHealthyOne() throws {
        let configuration = ObjectPoolConfiguration<Widget>(healthCheck: { $0.healthy })
        let factory = WidgetFactory()
        let pool = try ObjectPool(capacity: 3, configuration: configuration, factory: factory.make)
        let healthy = try pool.checkout()
        let sick = try pool.checkout()
        sick.value.healthy = false
        _ = consume healthy
        _ = consume sick  // LIFO: on top
        #expect(pool.idleCount == 2)
        let taken = try pool.checkout()
        #expect(taken.value.id == 1)
        #expect(taken.value.healthy)
        #expect(pool.idleCount == 0)
        #expect(pool.statistics == poolStatistics(hits: 1, misses: 2, created: 2, discarded: 1, peakInUse: 2))
        #expect(factory.made == 2)
    }

    @Test func whenNoIdleObjectIsHealthyANewOneIsCreated() throws {
        let configuration = ObjectPoolConfiguration<Widget>(healthCheck: { $0.healthy })
        let factory = WidgetFactory()
        let pool = try ObjectPool(capacity: 2, configuration: configuration, factory: factory.make)
        do {
            let batch = try pool.checkout(count: 2)
            batch[0].healthy = false
            batch[1].healthy = false
        }
        let fresh = try pool.checkout()
        #expect(fresh.value.id == 3)
        #expect(pool.idleCount == 0)
        #expect(pool.statistics?.discarded == 2)
        #expect(pool.statistics?.hits == 0)
    }

    // MARK: order

    @Test(arguments: [ObjectPoolConfiguration<Widget>.Order.lifo, .fifo])
    func orderDecidesWhichIdleObjectComesBack(order: ObjectPoolConfiguration<Widget>.Order) throws {
        let pool = try ObjectPool(capacity: 3, configuration: .init(order: order), factory: WidgetFactory().make)
        var first: Pooled<Widget>? = try pool.checkout()
        var second: Pooled<Widget>? = try pool.checkout()
        var third: Pooled<Widget>? = try pool.checkout()
        #expect([first?.value.id, second?.value.id, third?.value.id] == [1, 2, 3])
        second = nil
        third = nil
        first = nil
        let taken = try pool.checkout(count: 3)
        #expect((0..<3).map { taken[$0].id } == (order == .lifo ? [1, 3, 2] : [2, 3, 1]))
    }

    // MARK: Leak detection

    @Test func objectOutTooLongIsReportedOnceWhileOut() throws {
        let clock = ManualPoolClock()
        let log = LeakLog()
        let configuration: ObjectPoolConfiguration<Widget> = manualConfiguration(clock) {
            $0.leakDetectionThreshold = .seconds(10)
            $0.onLeak = { log.record($0) }
        }
        let pool = try ObjectPool(capacity: 2, configuration: configuration, factory: WidgetFactory().make)
        let leaked = try pool.checkout()
        clock.advance(by: .seconds(9))
        #expect(pool.reportLeaks().isEmpty)
        clock.advance(by: .seconds(2))
        let reports = pool.reportLeaks()
        #expect(reports.map(\.returned) == [false])
        #expect(reports.map(\.outFor) == [.seconds(11)])
        #expect(log.all == reports)
        #expect(pool.statistics?.leaks == 1)

        clock.advance(by: .seconds(20))
        #expect(pool.reportLeaks().isEmpty, "reported twice")
        pool.evictIdle()
        _ = consume leaked
        #expect(log.all.count == 1, "reported again: \(log.all)")
        #expect(pool.statistics?.leaks == 1)
    }

    @Test func objectReturnedLateIsReportedAsReturned() throws {
        let clock = ManualPoolClock()
        let log = LeakLog()
        let configuration: ObjectPoolConfiguration<Widget> = manualConfiguration(clock) {
            $0.leakDetectionThreshold = .seconds(10)
            $0.onLeak = { log.record($0) }
        }
        let pool = try ObjectPool(capacity: 2, configuration: configuration, factory: WidgetFactory().make)
        do {
            let onTime = try pool.checkout()
            clock.advance(by: .seconds(10))
            #expect(onTime.value.id == 1)
        }
        #expect(log.all.isEmpty, "10 s is not longer than the threshold")
        do {
            let late = try pool.checkout()
            clock.advance(by: .seconds(12))
            #expect(late.value.id == 1)
        }
        #expect(log.all.map(\.returned) == [true])
        #expect(log.all.map(\.outFor) == [.seconds(12)])
        #expect(pool.statistics?.leaks == 1)
        #expect(pool.reportLeaks().isEmpty)
        #expect(pool.idleCount == 1, "a late object still goes back")
    }

    @Test func evictIdleAlsoReportsLeaks() throws {
        let clock = ManualPoolClock()
        let log = LeakLog()
        var configuration = ObjectPoolConfiguration<Widget>.debug
        configuration.clock = clock.poolClock
        configuration.onLeak = { log.record($0) }
        let pool = try ObjectPool(capacity: 3, configuration: configuration, factory: WidgetFactory().make)
        let first = try pool.checkout()
        clock.advance(by: .seconds(5))
        let second = try pool.checkout()
        clock.advance(by: .seconds(6))  // first out 11 s, second 6 s: only the first leaks (.debug: 10 s)
        #expect(pool.evictIdle() == 0)
        #expect(log.all.map(\.outFor) == [.seconds(11)])
        #expect(log.all.map(\.returned) == [false])
        #expect(pool.statistics?.leaks == 1)
        #expect(pool.reportLeaks().isEmpty)
        clock.advance(by: .seconds(5))
        #expect(pool.reportLeaks().map(\.outFor) == [.seconds(11)], "the second object, out 11 s now")
        #expect(pool.statistics?.leaks == 2)
        #expect(first.value.id != second.value.id)
    }
}
