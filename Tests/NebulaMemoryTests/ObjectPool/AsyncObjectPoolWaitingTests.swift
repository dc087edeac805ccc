import NebulaMemory
import Testing

/// `AsyncObjectPool` when every object is out: waiting, its order, its timeout and its
/// cancellation, and many tasks at once. Handles go back before the pool's last use (see
/// `AsyncObjectPoolTests`).
@Suite("AsyncObjectPool waiting")
struct AsyncObjectPoolWaitingTests {
    // MARK: Waiting

    @Test func waitingCheckoutGetsTheObjectThatComesBack() async throws {
        let factory = SlotFactory()
        let pool = try AsyncObjectPool(capacity: 1, factory: factory.make)
        let held = try await pool.checkout(timeout: .seconds(30))
        let waiter = Task { try await pool.checkout(timeout: .seconds(30)).value.id }
        await eventually("the checkout waits") { pool.waitingCount == 1 }
        #expect(held.value.id == 1)
        _ = consume held
        #expect(try await waiter.value == 1)
        #expect(factory.made == 1)
        #expect(pool.waitingCount == 0)
        #expect(pool.inUseCount == 0)
        #expect(pool.statistics?.hits == 1)
        #expect(pool.statistics?.waits == 1)
        #expect(pool.statistics?.timeouts == 0)
    }

    @Test func aWaitThatRunsOutIsCountedAsAWaitAndATimeout() async throws {
        let pool = try AsyncObjectPool(capacity: 1) { Slot(id: 1) }
        let held = try await pool.checkout(timeout: .seconds(30))
        await expectAsyncAllocError(.poolExhausted) { _ = try await pool.checkout(timeout: .milliseconds(20)) }
        // A zero timeout never waits: a timeout, but no wait.
        await expectAsyncAllocError(.poolExhausted) { _ = try await pool.checkout(timeout: .zero) }
        #expect(pool.statistics?.waits == 1)
        #expect(pool.statistics?.timeouts == 2)
        _ = consume held
    }

    @Test func detachFreesAPlaceForAWaiter() async throws {
        let factory = SlotFactory()
        let pool = try AsyncObjectPool(capacity: 1, factory: factory.make)
        let held = try await pool.checkout(timeout: .seconds(30))
        let waiter = Task { try await pool.checkout(timeout: .seconds(30)).value.id }
        await eventually("the checkout waits") { pool.waitingCount == 1 }
        let detached = held.detach()
        #expect(try await waiter.value == 2, "the waiter gets a new object in the freed place")
        #expect(detached.id == 1)
        #expect(pool.statistics?.detached == 1)
    }

    @Test func waitersAreServedFirstComeFirstServed() async throws {
        let pool = try AsyncObjectPool(capacity: 1) { Slot(id: 1) }
        let log = ServiceLog()
        let held = try await pool.checkout(timeout: .seconds(30))
        var waiters: [Task<Void, any Error>] = []
        for index in 0..<6 {
            waiters.append(
                Task {
                    let pooled = try await pool.checkout(timeout: .seconds(30))
                    log.record("\(index)")
                    _ = consume pooled  // hands the object to the next waiter
                })
            await eventually("waiter \(index) waits") { pool.waitingCount == index + 1 }
        }
        _ = consume held
        for waiter in waiters { try await waiter.value }
        #expect(log.all == ["0", "1", "2", "3", "4", "5"])
        #expect(pool.waitingCount == 0)
        #expect(pool.statistics?.created == 1)
    }

    @Test func higherPriorityWaiterIsServedFirst() async throws {
        let pool = try AsyncObjectPool(capacity: 1) { Slot(id: 1) }
        let log = ServiceLog()
        let held = try await pool.checkout(timeout: .seconds(30))
        var waiters: [Task<Void, any Error>] = []
        for (index, (name, priority)) in [("low 1", 0), ("high", 5), ("low 2", 0), ("middle", 2)].enumerated() {
            waiters.append(
                Task {
                    let pooled = try await pool.checkout(timeout: .seconds(30), priority: priority)
                    log.record(name)
                    _ = consume pooled
                })
            await eventually("\(name) waits") { pool.waitingCount == index + 1 }
        }
        _ = consume held
        for waiter in waiters { try await waiter.value }
        #expect(log.all == ["high", "middle", "low 1", "low 2"])
    }

    @Test func timeoutThrowsExhaustedSayingHowLongItWaited() async throws {
        let pool = try AsyncObjectPool(capacity: 1) { Slot(id: 1) }
        let held = try await pool.checkout(timeout: .seconds(30))
        let error = await expectAsyncAllocError(.poolExhausted) {
            try await pool.checkout(timeout: .milliseconds(30)).value.id
        }
        #expect(error?.description.contains("waited") == true, "\(String(describing: error))")
        #expect(error?.capacity == 1)
        #expect(pool.waitingCount == 0)
        #expect(pool.inUseCount == 1)
        #expect(held.value.id == 1)
        _ = consume held
        #expect(try await pool.checkout(timeout: .milliseconds(30)).value.id == 1)
    }

    @Test func zeroTimeoutNeverWaitsForAnObject() async throws {
        // A checkout that times out at once must throw, not wait until an object comes back.
        // The object here comes back only when a checkout makes no progress for 2 s.
        let pool = try AsyncObjectPool(capacity: 1) { Slot(id: 1) }
        let giveBack = SharedFlag()
        let progress = SharedCounter()
        let holder = Task {
            let held = try await pool.checkout(timeout: .seconds(30))
            while !giveBack.isRaised { try? await Task.sleep(for: .milliseconds(1)) }
            _ = consume held
        }
        await eventually("the only object is out") { pool.inUseCount == 1 }
        let watchdog = Task {
            var last = -1
            var stalls = 0
            while !giveBack.isRaised && stalls < 8 {
                try? await Task.sleep(for: .milliseconds(250))
                stalls = progress.current == last ? stalls + 1 : 0
                last = progress.current
            }
            giveBack.raise()
        }
        for attempt in 0..<30000 {
            do {
                let pooled = try await pool.checkout(timeout: attempt.isMultiple(of: 2) ? .zero : .nanoseconds(1))
                Issue.record("checkout \(attempt) waited until the object came back (id \(pooled.value.id))")
                break
            } catch {
                #expect((error as? AllocError)?.code == .poolExhausted)
                progress.increment()
            }
        }
        giveBack.raise()
        watchdog.cancel()
        try await holder.value
        #expect(pool.waitingCount == 0)
        #expect(pool.inUseCount == 0)
    }

    @Test func cancelledWaiterStopsWaitingAndLosesNothing() async throws {
        let pool = try AsyncObjectPool(capacity: 2, factory: SlotFactory().make)
        let first = try await pool.checkout(timeout: .seconds(30))
        let second = try await pool.checkout(timeout: .seconds(30))
        let waiter = Task { try await pool.checkout(timeout: .seconds(30)).value.id }
        await eventually("the checkout waits") { pool.waitingCount == 1 }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(pool.waitingCount == 0)
        #expect(pool.inUseCount == 2)
        _ = consume first
        _ = consume second
        #expect(pool.idleCount == 2, "an object went to the cancelled waiter")
        let again = try await pool.checkout(timeout: .milliseconds(100))
        let more = try await pool.checkout(timeout: .milliseconds(100))
        #expect(Set([again.value.id, more.value.id]) == [1, 2])
        _ = consume again
        _ = consume more
        #expect(pool.idleCount == 2)
    }

    @Test func taskCancelledBeforeItWouldWaitThrowsCancellationError() async throws {
        let pool = try AsyncObjectPool(capacity: 1) { Slot(id: 1) }
        let held = try await pool.checkout(timeout: .seconds(30))
        let waiter = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await pool.checkout(timeout: .seconds(30)).value.id
        }
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(pool.waitingCount == 0)
        _ = consume held
        #expect(pool.idleCount == 1)
    }

    // MARK: Many tasks

    @Test func tasksNeverHoldTheSameObjectAtOnce() async throws {
        let factory = SlotFactory()
        let pool = try AsyncObjectPool(capacity: 3, factory: factory.make)
        let tally = Tally()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 1...24 {
                group.addTask {
                    for _ in 0..<60 {
                        let pooled = try await pool.checkout(timeout: .seconds(30))
                        if !pooled.value.claim(by: task) { tally.add("held by two") }
                        await Task.yield()
                        if !pooled.value.release(by: task) { tally.add("claim broken") }
                        tally.add("served")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(tally["served"] == 24 * 60)
        #expect(tally["held by two"] == 0)
        #expect(tally["claim broken"] == 0)
        #expect(pool.inUseCount == 0)
        #expect(pool.waitingCount == 0)
        #expect(pool.statistics.map { $0.hits + $0.misses } == 24 * 60)
        #expect(factory.made == 3)
    }

    @Test func timeoutsAndCancellationsUnderLoadLoseNothing() async throws {
        let factory = SlotFactory()
        let pool = try AsyncObjectPool(capacity: 3, factory: factory.make)
        let tally = Tally()
        var tasks: [Task<Void, Never>] = []
        for task in 1...30 {
            tasks.append(
                Task {
                    for attempt in 0..<20 {
                        do {
                            let timeout: Duration = attempt.isMultiple(of: 3) ? .milliseconds(1) : .seconds(30)
                            let pooled = try await pool.checkout(timeout: timeout, priority: task % 3)
                            if !pooled.value.claim(by: task) { tally.add("held by two") }
                            try? await Task.sleep(for: .microseconds(200))
                            if !pooled.value.release(by: task) { tally.add("claim broken") }
                            tally.add("served")
                        } catch is CancellationError {
                            tally.add("cancelled")
                            return
                        } catch let error as AllocError where error.code == .poolExhausted {
                            tally.add("timed out")
                        } catch {
                            tally.add("unexpected error")
                        }
                    }
                })
        }
        for task in tasks.indices where task.isMultiple(of: 4) {
            await Task.yield()
            tasks[task].cancel()
        }
        for task in tasks { await task.value }
        #expect(tally["held by two"] == 0)
        #expect(tally["claim broken"] == 0)
        #expect(tally["unexpected error"] == 0)
        #expect(pool.waitingCount == 0)
        #expect(pool.inUseCount == 0)
        #expect(pool.statistics.map { $0.hits + $0.misses } == tally["served"])
        #expect(factory.made <= 3)
        // No place was lost: all three objects at once (a lost place would time out).
        let first = try await pool.checkout(timeout: .seconds(30))
        let second = try await pool.checkout(timeout: .seconds(30))
        let third = try await pool.checkout(timeout: .seconds(30))
        #expect(Set([first.value.id, second.value.id, third.value.id]).count == 3)
        _ = consume first
        _ = consume second
        _ = consume third
        #expect(pool.idleCount == 3)
    }
}
