import Dispatch
import NebulaMemory
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks out one object, claims it for `user`, runs `body`, and checks the claim held until
/// the object went back. Returns false when the pool was exhausted; counts every broken claim
/// and unexpected error in `tally`.
@discardableResult
func useOneSlot(
    _ pool: ConcurrentObjectPool<Slot>, user: Int, tally: Tally, _ body: () -> Void = {}
) -> Bool {
    do {
        let pooled = try pool.checkout()
        if !pooled.value.claim(by: user) { tally.add("held by two") }
        body()
        if !pooled.value.release(by: user) { tally.add("claim broken") }
        return true
    } catch {
        if error.code != .poolExhausted { tally.add("unexpected error") }
        return false
    }
}

@Suite("ConcurrentObjectPool")
struct ConcurrentObjectPoolTests {
    // MARK: The API of ObjectPool, on one thread

    @Test func checkoutReusesCreatesAndThenThrowsExhaustedWithCountsUnchanged() throws {
        let factory = SlotFactory()
        let pool = try ConcurrentObjectPool(capacity: 2, factory: factory.make)
        #expect(pool.capacity == 2)
        let firstID = try pool.checkout().value.id
        let first = try pool.checkout()
        #expect(first.value.id == firstID, "the idle object is reused")
        let second = try pool.checkout()
        #expect(second.value.id != firstID)
        let before = pool.statistics
        #expect(before == poolStatistics(hits: 1, misses: 2, created: 2, peakInUse: 2))
        let error = expectAllocError(.poolExhausted) { try pool.checkout().value.id }
        #expect(error?.used == 2)
        #expect(pool.statistics == before)
        #expect(pool.inUseCount == 2)
        #expect(factory.made == 2)
        _ = consume first
        _ = consume second
        #expect(pool.idleCount == 2)
        #expect(pool.inUseCount == 0)
    }

    @Test func invalidSettingsAreRefused() {
        expectAllocError(.invalidConfiguration) { try ConcurrentObjectPool(capacity: 0) { Slot(id: 0) } }
        expectAllocError(.invalidConfiguration) {
            try ConcurrentObjectPool(capacity: 2, configuration: .init(maxIdle: -1)) { Slot(id: 0) }
        }
        expectAllocError(.invalidConfiguration) {
            try ConcurrentObjectPool(capacity: 2, configuration: .init(idleTimeout: .zero)) { Slot(id: 0) }
        }
    }

    @Test func resetClosureBatchesWithObjectPrefillDrainAndDetach() throws {
        let pool = try ConcurrentObjectPool<[Int]>(capacity: 3, reset: { $0.removeAll() }, factory: { [] })
        #expect(pool.prefill(2) == 2)
        #expect(pool.idleCount == 2)
        try pool.withObject { $0.append(1) }
        #expect(try pool.withObject { $0 } == [], "reset before reuse")
        #expect(throws: ScopeFailure.body(BodyError(value: 1))) {
            try pool.withObject { _ throws(BodyError) in throw BodyError(value: 1) }
        }
        do {
            var batch = try pool.checkout(count: 3)
            #expect(batch.count == 3)
            batch[2].append(5)
            #expect(batch[2] == [5])
            #expect(pool.inUseCount == 3)
            expectAllocError(.poolExhausted) { try pool.checkout(count: 1).count }
        }
        #expect(pool.inUseCount == 0)
        #expect(pool.idleCount == 3)
        expectAllocError(.invalidLayout) { try pool.checkout(count: -2).count }
        #expect(try pool.checkout().detach() == [])
        #expect(pool.statistics?.detached == 1)
        #expect(pool.drain() == 2)
        #expect(pool.idleCount == 0)
        #expect(pool.inUseCount == 0)
    }

    @Test func batchLargerThanWhatIsAvailableLeavesNothingCheckedOut() throws {
        let pool = try ConcurrentObjectPool(capacity: 4, factory: SlotFactory().make)
        let held = try pool.checkout()
        expectAllocError(.poolExhausted) { try pool.checkout(count: 4).count }
        #expect(pool.inUseCount == 1)
        #expect(held.value.id == 1)
        #expect(try pool.checkout(count: 3).count == 3)
    }

    @Test func batchLargerThanWhatIsFreeMakesNoObject() throws {
        let factory = SlotFactory()
        let pool = try ConcurrentObjectPool(capacity: 4, factory: factory.make)
        pool.prefill(1)
        let held = try pool.checkout()
        let statistics = pool.statistics
        expectAllocError(.poolExhausted) { try pool.checkout(count: 4).count }
        #expect(factory.made == 1)
        #expect(pool.idleCount == 0)
        #expect(pool.inUseCount == 1)
        #expect(pool.statistics == statistics)
        #expect(held.value.id == 1)
    }

    @Test func poolableObjectsAreRecycledByTheirOwnRules() throws {
        let made = SharedCounter()
        let pool = try ConcurrentObjectPool(capacity: 2) { Ticket(id: made.increment(), reusable: made.current < 2) }
        do {
            var first = try pool.checkout()
            var second = try pool.checkout()
            first.value.punched = true
            second.value.punched = true
        }
        #expect(pool.statistics?.discarded == 1, "ticket 2 is not reusable")
        let again = try pool.checkout()
        #expect(again.value.id == 1)
        #expect(!again.value.punched)
    }

    @Test func performancePresetKeepsNoStatistics() throws {
        let pool = try ConcurrentObjectPool(capacity: 2, configuration: .performance) { Slot(id: 1) }
        #expect(try pool.checkout().value.id == 1)
        #expect(pool.statistics == nil)
    }

    @Test func timeBasedSettingsWorkAsInTheSingleThreadedPool() throws {
        let clock = ManualPoolClock()
        let log = LeakLog()
        let configuration: ObjectPoolConfiguration<Slot> = manualConfiguration(clock) {
            $0.idleTimeout = .seconds(30)
            $0.leakDetectionThreshold = .seconds(10)
            $0.onLeak = { log.record($0) }
        }
        let pool = try ConcurrentObjectPool(capacity: 3, configuration: configuration, factory: SlotFactory().make)
        pool.prefill(1)
        let out = try pool.checkout(count: 2)
        _ = consume out
        let leaked = try pool.checkout()
        clock.advance(by: .seconds(31))
        #expect(pool.evictIdle() == 1)
        #expect(log.all.map(\.returned) == [false])
        #expect(pool.reportLeaks().isEmpty)
        #expect(pool.statistics?.evicted == 1)
        #expect(pool.statistics?.leaks == 1)
        #expect(leaked.value.id == 2)
    }

    // MARK: Many threads and tasks at once

    @Test func threadsNeverHoldTheSameObjectAtOnce() throws {
        let factory = SlotFactory()
        let pool = try ConcurrentObjectPool(capacity: 6, factory: factory.make)
        let tally = Tally()
        let workers = 12
        let perWorker = 2000
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var served = 0
            for _ in 0..<perWorker where useOneSlot(pool, user: worker + 1, tally: tally) {
                served += 1
            }
            tally.add("served", served)
        }
        #expect(tally["held by two"] == 0)
        #expect(tally["claim broken"] == 0)
        #expect(tally["unexpected error"] == 0)
        #expect(pool.inUseCount == 0)
        let statistics = try #require(pool.statistics)
        #expect(statistics.hits + statistics.misses == tally["served"])
        #expect(statistics.created == factory.made)
        #expect(factory.made <= 6)
        #expect(pool.idleCount == factory.made)
    }

    @Test func tasksNeverHoldTheSameObjectAtOnce() async throws {
        let factory = SlotFactory()
        let pool = try ConcurrentObjectPool(capacity: 4, factory: factory.make)
        let tally = Tally()
        await withTaskGroup(of: Void.self) { group in
            for task in 1...16 {
                group.addTask {
                    for _ in 0..<300 {
                        do throws(AllocError) {
                            let pooled = try pool.checkout()
                            if !pooled.value.claim(by: task) { tally.add("held by two") }
                            await Task.yield()
                            if !pooled.value.release(by: task) { tally.add("claim broken") }
                            tally.add("served")
                        } catch {
                            tally.add(error.code == .poolExhausted ? "exhausted" : "unexpected error")
                            await Task.yield()
                        }
                    }
                }
            }
        }
        #expect(tally["held by two"] == 0)
        #expect(tally["claim broken"] == 0)
        #expect(tally["unexpected error"] == 0)
        #expect(tally["served"] + tally["exhausted"] == 16 * 300)
        #expect(pool.inUseCount == 0)
        let statistics = try #require(pool.statistics)
        #expect(statistics.hits + statistics.misses == tally["served"])
        #expect(factory.made <= 4)
        let all = try pool.checkout(count: 4)
        #expect(Set((0..<4).map { all[$0].id }).count == 4)
    }

    @Test func exhaustionUnderContentionFailsTheSurplusCheckoutsAndLosesNothing() throws {
        // Every round, 8 threads each try one checkout and hold what they got until all have
        // tried: exactly 4 (the capacity) succeed.
        let threads = 8
        let rounds = 40
        let factory = SlotFactory()
        let pool = try ConcurrentObjectPool(capacity: 4, factory: factory.make)
        let barrier = SpinBarrier(parties: threads)
        let tally = Tally()
        runOnThreads(threads) { thread in
            var served = 0
            for round in 0..<rounds {
                let gotOne = useOneSlot(pool, user: thread + 1, tally: tally) {
                    barrier.arriveAndWait(round: 2 * round)
                }
                if gotOne {
                    served += 1
                } else {
                    barrier.arriveAndWait(round: 2 * round)
                }
                barrier.arriveAndWait(round: 2 * round + 1)
            }
            tally.add("served", served)
        }
        #expect(tally["served"] == 4 * rounds)
        #expect(tally["held by two"] == 0)
        #expect(tally["claim broken"] == 0)
        #expect(tally["unexpected error"] == 0)
        #expect(pool.inUseCount == 0)
        #expect(pool.statistics.map { $0.hits + $0.misses } == 4 * rounds)
        #expect(pool.statistics?.peakInUse == 4)
        #expect(factory.made == 4)
        #expect(try pool.checkout(count: 4).count == 4)
    }

    @Test func racingBatchesEitherGetEverythingOrLeaveNothingOut() throws {
        let factory = SlotFactory()
        let pool = try ConcurrentObjectPool(capacity: 5, factory: factory.make)
        let tally = Tally()
        runOnThreads(4) { thread in
            var generator = SeededGenerator(seed: UInt64(thread) + 77)
            for _ in 0..<1500 {
                let count = Int.random(in: 0...3, using: &generator)
                do throws(AllocError) {
                    let batch = try pool.checkout(count: count)
                    if batch.count != count { tally.add("wrong size") }
                    for index in 0..<batch.count where !batch[index].claim(by: thread + 1) {
                        tally.add("held by two")
                    }
                    for index in 0..<batch.count where !batch[index].release(by: thread + 1) {
                        tally.add("claim broken")
                    }
                    tally.add("batches")
                } catch {
                    tally.add(error.code == .poolExhausted ? "exhausted" : "unexpected error")
                }
            }
        }
        #expect(tally["batches"] + tally["exhausted"] == 4 * 1500)
        #expect(tally["wrong size"] == 0)
        #expect(tally["held by two"] == 0)
        #expect(tally["claim broken"] == 0)
        #expect(tally["unexpected error"] == 0)
        #expect(pool.inUseCount == 0)
        #expect(factory.made <= 5)
        let all = try pool.checkout(count: 5)
        #expect(Set((0..<5).map { all[$0].id }).count == 5)
    }

    @Test func childrenOnDifferentThreadsShareTheirParent() throws {
        let factory = SlotFactory()
        let parent = try ConcurrentObjectPool(capacity: 8, factory: factory.make)
        parent.prefill(8)
        let children = try (0..<2).map { _ in
            try ConcurrentObjectPool(
                capacity: 4, configuration: .init(maxIdle: 1), parent: parent, factory: factory.make)
        }
        let tally = Tally()
        runOnThreads(4) { thread in
            let child = children[thread % 2]
            for _ in 0..<1000 {
                do throws(AllocError) {
                    let batch = try child.checkout(count: 2)  // borrows; its return gives surplus back
                    for index in 0..<2 where !batch[index].claim(by: thread + 1) { tally.add("held by two") }
                    for index in 0..<2 where !batch[index].release(by: thread + 1) { tally.add("claim broken") }
                } catch {
                    tally.add(error.code == .poolExhausted ? "exhausted" : "unexpected error")
                }
                useOneSlot(parent, user: thread + 1, tally: tally)
            }
        }
        #expect(tally["held by two"] == 0)
        #expect(tally["claim broken"] == 0)
        #expect(tally["unexpected error"] == 0)
        #expect(parent.inUseCount == 0)
        #expect(children.allSatisfy { $0.inUseCount == 0 })
        // Every idle object sits in exactly one pool.
        let idle = [parent.idleCount, children[0].idleCount, children[1].idleCount]
        #expect(idle.reduce(0, +) == factory.living)
        let parentIdle = try parent.checkout(count: idle[0])
        let firstIdle = try children[0].checkout(count: idle[1])
        let secondIdle = try children[1].checkout(count: idle[2])
        let ids =
            (0..<parentIdle.count).map { parentIdle[$0].id } + (0..<firstIdle.count).map { firstIdle[$0].id }
            + (0..<secondIdle.count).map { secondIdle[$0].id }
        #expect(Set(ids).count == ids.count, "an object sits idle in two pools: \(ids.sorted())")
    }

    @Test func poolCanGoAwayOnOneThreadWhileAnotherHoldsAnObject() throws {
        let factory = SlotFactory()
        let box = Locked<ConcurrentObjectPool<Slot>?>(try ConcurrentObjectPool(capacity: 2, factory: factory.make))
        let checkedOut = SharedFlag()
        let poolGone = SharedFlag()
        let tally = Tally()
        runOnThreads(2) { thread in
            if thread == 0 {
                // No reference to the pool stays on this thread: only the handle.
                var pooled: Pooled<Slot>?
                do {
                    pooled = try box.withLock { $0 }?.checkout()
                } catch {
                    tally.add("unexpected error")
                }
                _ = box.withLock { $0 }?.prefill(2)  // one idle object too
                checkedOut.raise()
                while !poolGone.isRaised { sched_yield() }
                if pooled?.value.claim(by: 1) != true { tally.add("claim failed") }
                _ = pooled?.value.release(by: 1)
                pooled = nil
            } else {
                while !checkedOut.isRaised { sched_yield() }
                weak let weakPool = box.withLock { $0 }
                box.withLock { $0 = nil }
                if weakPool != nil { tally.add("pool still alive") }
                poolGone.raise()
            }
        }
        #expect(tally["unexpected error"] == 0)
        #expect(tally["claim failed"] == 0)
        #expect(tally["pool still alive"] == 0)
        #expect(factory.made == 2)
        #expect(factory.living == 0, "the orphaned pool kept its objects")
    }
}
