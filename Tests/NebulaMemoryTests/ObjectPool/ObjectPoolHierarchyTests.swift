import NebulaMemory
import Testing

/// Parent and child pools, and pools that go away while their objects are out.
@Suite("ObjectPool hierarchy and lifetime")
struct ObjectPoolHierarchyTests {
    // MARK: Parent and child

    @Test func childBorrowsAnIdleObjectFromItsParentWhenItHasNone() throws {
        let parentFactory = WidgetFactory()
        let childFactory = WidgetFactory(firstID: 100)
        let parent = try ObjectPool(capacity: 4, factory: parentFactory.make)
        #expect(parent.prefill(2) == 2)
        let child = try ObjectPool(capacity: 2, parent: parent, factory: childFactory.make)

        let borrowed = try child.checkout()
        #expect([1, 2].contains(borrowed.value.id))
        #expect(parent.idleCount == 1)
        #expect(childFactory.made == 0)
        #expect(child.statistics == poolStatistics(hits: 1, peakInUse: 1, borrowed: 1))
        #expect(child.inUseCount == 1)
        #expect(parent.inUseCount == 0)

        let id = borrowed.value.id
        _ = consume borrowed
        #expect(child.idleCount == 1, "the borrowed object now belongs to the child")
        #expect(parent.idleCount == 1)
        let again = try child.checkout()
        #expect(again.value.id == id)
        #expect(child.statistics?.borrowed == 1)
        #expect(parent.idleCount == 1)
    }

    @Test func childCreatesWhenNeitherItNorItsParentHasAnIdleObject() throws {
        let parentFactory = WidgetFactory()
        let parent = try ObjectPool(capacity: 4, factory: parentFactory.make)
        let child = try ObjectPool(capacity: 2, parent: parent, factory: WidgetFactory(firstID: 100).make)
        let held = try parent.checkout()
        let made = try child.checkout()
        #expect(made.value.id == 100)
        #expect(child.statistics == poolStatistics(misses: 1, created: 1, peakInUse: 1))
        #expect(parentFactory.made == 1)
        #expect(held.value.id == 1)
    }

    @Test func borrowingCountsAgainstTheChildsCapacity() throws {
        let parent = try ObjectPool(capacity: 4, factory: WidgetFactory().make)
        parent.prefill(2)
        let child = try ObjectPool(capacity: 1, parent: parent, factory: WidgetFactory(firstID: 100).make)
        let held = try child.checkout()
        expectAllocError(.poolExhausted) { try child.checkout().value.id }
        #expect(parent.idleCount == 1)
        #expect(child.inUseCount == 1)
        #expect(held.value.id <= 2)
    }

    @Test func borrowedObjectIsPreparedForReuse() throws {
        let parent = try ObjectPool(capacity: 2, factory: WidgetFactory().make)
        do {
            let used = try parent.checkout()
            used.value.payload = 99
        }
        #expect(parent.idleCount == 1)
        let child = try ObjectPool(capacity: 2, parent: parent, factory: WidgetFactory(firstID: 100).make)
        let borrowed = try child.checkout()
        #expect(borrowed.value.id == 1)
        #expect(borrowed.value.payload == 0, "the previous user's payload is still there")
        #expect(borrowed.value.preparations == 1)
    }

    @Test func borrowedObjectIsHealthChecked() throws {
        let parent = try ObjectPool(capacity: 2, factory: WidgetFactory().make)
        do {
            let broken = try parent.checkout()
            broken.value.healthy = false
        }
        #expect(parent.idleCount == 1)
        let child = try ObjectPool(
            capacity: 2, configuration: .init(healthCheck: { $0.healthy }), parent: parent,
            factory: WidgetFactory(firstID: 100).make)
        let taken = try child.checkout()
        #expect(taken.value.healthy, "the child handed out an unhealthy object (id \(taken.value.id))")
    }

    @Test func childGivesSurplusIdleObjectsToItsParent() throws {
        let parentFactory = WidgetFactory()
        let parent = try ObjectPool(capacity: 4, factory: parentFactory.make)
        let childFactory = WidgetFactory(firstID: 100)
        let child = try ObjectPool(
            capacity: 3, configuration: .init(maxIdle: 1), parent: parent, factory: childFactory.make)
        do {
            let batch = try child.checkout(count: 3)
            #expect((0..<3).map { batch[$0].id } == [100, 101, 102])
        }
        #expect(child.idleCount == 1)
        #expect(parent.idleCount == 2)
        #expect(child.statistics?.discarded == 0)
        #expect(childFactory.alive == 3)
        let adopted = try parent.checkout()
        #expect(adopted.value.id >= 100)
        #expect(parentFactory.made == 0)
    }

    @Test func surplusIsDiscardedWhenTheParentHasNoRoom() throws {
        let parentFactory = WidgetFactory()
        let parent = try ObjectPool(capacity: 1, factory: parentFactory.make)
        parent.prefill(1)
        let childFactory = WidgetFactory(firstID: 100)
        let child = try ObjectPool(
            capacity: 2, configuration: .init(maxIdle: 0), parent: parent, factory: childFactory.make)
        do {
            let batch = try child.checkout(count: 2)
            #expect(Set((0..<2).map { batch[$0].id }) == [1, 100])
            #expect(parent.idleCount == 0)
        }
        #expect(parent.idleCount == 1)
        #expect(child.idleCount == 0)
        #expect(child.statistics?.discarded == 1)
        #expect(parentFactory.alive + childFactory.alive == 1)
    }

    // MARK: The pool goes away first

    @Test func objectsOutliveThePoolTheyCameFrom() throws {
        let factory = WidgetFactory()
        var pool: ObjectPool<Widget>? = try ObjectPool(capacity: 4, factory: factory.make)
        weak let weakPool = pool
        var kept: Pooled<Widget>? = try pool?.checkout()
        var batch = try pool?.checkout(count: 2)
        pool = nil
        #expect(weakPool == nil, "something still holds the pool")

        kept?.value.payload = 7
        #expect(kept?.value.payload == 7)
        batch?[0].payload = 8
        #expect(batch?[0].payload == 8)
        batch = nil  // returned to the orphaned pool: no crash
        #expect(factory.alive == 3)
        kept = nil  // the last one: the pool's storage goes, its objects with it
        #expect(factory.alive == 0)
    }

    @Test func detachAfterThePoolWentAwayKeepsTheObject() throws {
        let factory = WidgetFactory()
        var pool: ObjectPool<Widget>? = try ObjectPool(capacity: 2, factory: factory.make)
        pool?.prefill(2)
        let kept = try #require(pool).checkout()
        pool = nil
        #expect(factory.alive == 2)
        let widget = kept.detach()
        #expect(factory.alive == 1, "the idle object outlived the pool's storage")
        #expect(widget.id == 2)
    }

    @Test func idleObjectsGoAwayWithTheirPool() throws {
        let factory = WidgetFactory()
        var pool: ObjectPool<Widget>? = try ObjectPool(capacity: 4, factory: factory.make)
        pool?.prefill(3)
        #expect(factory.alive == 3)
        pool = nil
        #expect(factory.alive == 0)
    }
}
