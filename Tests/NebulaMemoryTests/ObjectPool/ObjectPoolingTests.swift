import NebulaMemory
import Testing

/// One of the three pool types, made the same way, with its checkout in one shape: the suite
/// below runs every test on each through ``ObjectPooling``.
enum PoolKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case plain
    case concurrent
    case async

    var testDescription: String { rawValue }

    func make(capacity: Int, factory: SlotFactory) throws(AllocError) -> any ObjectPooling<Slot> {
        switch self {
        case .plain: try ObjectPool(capacity: capacity, factory: factory.make)
        case .concurrent: try ConcurrentObjectPool(capacity: capacity, factory: factory.make)
        case .async:
            // A checkout that does not wait for an object may still create one.
            try AsyncObjectPool(capacity: capacity, configuration: .init(createTimeout: .seconds(30))) {
                factory.make()
            }
        }
    }

    /// A checkout that does not wait.
    func checkout(_ pool: any ObjectPooling<Slot>) async throws -> Pooled<Slot> {
        switch pool {
        case let pool as ObjectPool<Slot>: try pool.checkout()
        case let pool as ConcurrentObjectPool<Slot>: try pool.checkout()
        case let pool as AsyncObjectPool<Slot>: try await pool.checkout(timeout: .zero)
        default: fatalError("not a pool of this suite")
        }
    }

    /// `count` checkouts at once that do not wait.
    func checkout(count: Int, _ pool: any ObjectPooling<Slot>) async throws -> PooledBatch<Slot> {
        switch pool {
        case let pool as ObjectPool<Slot>: try pool.checkout(count: count)
        case let pool as ConcurrentObjectPool<Slot>: try pool.checkout(count: count)
        case let pool as AsyncObjectPool<Slot>: try await pool.checkout(count: count, timeout: .zero)
        default: fatalError("not a pool of this suite")
        }
    }
}

/// What every object pool does the same way, run on ``ObjectPool``, ``ConcurrentObjectPool``
/// and ``AsyncObjectPool`` through the shared protocol.
@Suite("ObjectPooling")
struct ObjectPoolingTests {
    @Test(arguments: PoolKind.allCases)
    func closeDropsIdleRefusesCheckoutsAndDropsReturns(kind: PoolKind) async throws {
        let factory = SlotFactory()
        let pool = try kind.make(capacity: 3, factory: factory)
        let out = try await kind.checkout(pool)
        do { _ = try await kind.checkout(pool) }
        #expect(pool.idleCount == 1 && !pool.isClosed)
        pool.close()
        #expect(pool.isClosed && pool.idleCount == 0)
        #expect(factory.living == 1, "the idle object was dropped")
        await expectAsyncAllocError(.invalidState) { _ = try await kind.checkout(pool) }
        await expectAsyncAllocError(.invalidState) { _ = try await kind.checkout(count: 1, pool) }
        expectAllocError(.invalidState) { try pool.resize(capacity: 5) }
        expectAllocError(.invalidState) { try pool.add(factory.make()) }
        _ = consume out
        #expect(factory.living == 0, "a returned object was dropped")
        #expect(pool.inUseCount == 0 && pool.idleCount == 0 && pool.capacity == 3)
        pool.close()
        #expect(pool.isClosed, "close is idempotent")
    }

    @Test(arguments: PoolKind.allCases)
    func growingMakesRoomAtOnce(kind: PoolKind) async throws {
        let pool = try kind.make(capacity: 1, factory: SlotFactory())
        let first = try await kind.checkout(pool)
        await expectAsyncAllocError(.poolExhausted) { _ = try await kind.checkout(pool) }
        try pool.resize(capacity: 3)
        let more = try await kind.checkout(count: 2, pool)
        #expect(pool.capacity == 3 && pool.inUseCount == 3 && more.count == 2)
        _ = consume first
    }

    @Test(arguments: PoolKind.allCases)
    func shrinkingDropsIdleFirstThenReturnsUntilItFits(kind: PoolKind) async throws {
        let factory = SlotFactory()
        let pool = try kind.make(capacity: 4, factory: factory)
        do { _ = try await kind.checkout(count: 4, pool) }
        let a = try await kind.checkout(pool)
        let b = try await kind.checkout(pool)
        #expect(pool.idleCount == 2 && pool.inUseCount == 2)
        try pool.resize(capacity: 1)
        #expect(pool.capacity == 1 && pool.idleCount == 0 && pool.inUseCount == 2)
        #expect(factory.living == 2, "both idle objects were dropped")
        await expectAsyncAllocError(.poolExhausted) { _ = try await kind.checkout(pool) }
        _ = consume a
        #expect(pool.idleCount == 0 && factory.living == 1, "a return over capacity is dropped")
        _ = consume b
        #expect(pool.idleCount == 1 && factory.living == 1, "the pool fits again: the return is kept")
        expectAllocError(.invalidConfiguration) { try pool.resize(capacity: 0) }
        #expect(pool.capacity == 1)
    }

    @Test(arguments: PoolKind.allCases)
    func addTakesAnObjectUntilThePoolIsFull(kind: PoolKind) async throws {
        let factory = SlotFactory()
        let pool = try kind.make(capacity: 2, factory: factory)
        let made = Slot(id: 100)
        try pool.add(made)
        #expect(pool.idleCount == 1)
        let out = try await kind.checkout(pool)
        #expect(out.value === made && factory.made == 0, "the added object is handed out first")
        try pool.add(Slot(id: 101))
        let error = expectAllocError(.poolExhausted) { try pool.add(Slot(id: 102)) }
        #expect(error?.message.contains("full") == true)
        #expect(pool.idleCount == 1 && pool.inUseCount == 1)
        _ = consume out
    }

    @Test(arguments: PoolKind.allCases)
    func aBatchThatCannotBeHadSaysHowManyWereAsked(kind: PoolKind) async throws {
        let pool = try kind.make(capacity: 2, factory: SlotFactory())
        let error = await expectAsyncAllocError(.poolExhausted) { _ = try await kind.checkout(count: 5, pool) }
        #expect(error?.notes.contains { $0.contains("requested 5 objects") } == true)
        #expect(pool.inUseCount == 0)
        await expectAsyncAllocError(.invalidLayout) { _ = try await kind.checkout(count: -1, pool) }
    }

    /// Checkouts, returns, adds and resizes drawn at random, against a model of the counts:
    /// the fast paths skip every check their precomputed limits allow, so the hits and the
    /// peak (which a hit sets once objects were added) must still come out as a plain count
    /// says.
    @Test(arguments: PoolKind.allCases)
    func countsAndPeakFollowAModel(kind: PoolKind) async throws {
        let pool = try kind.make(capacity: 4, factory: SlotFactory())
        let out = UnsafeMutablePointer<Pooled<Slot>>.allocate(capacity: 8)
        var outCount = 0
        defer {
            out.deinitialize(count: outCount)
            out.deallocate()
        }
        var model = (capacity: 4, live: 0, idle: 0, expected: ObjectPoolStatistics())
        var random = SeededGenerator(seed: 12)
        for step in 0..<600 {
            let draw = random.next() % 16
            if draw < 7 {
                if model.idle > 0 {
                    model.idle -= 1
                    model.expected.hits += 1
                } else if model.live < model.capacity {
                    model.live += 1
                    model.expected.misses += 1
                    model.expected.created += 1
                } else {
                    await expectAsyncAllocError(.poolExhausted) { _ = try await kind.checkout(pool) }
                    // The async pool's checkout gives up when its (zero) time runs out.
                    if kind == .async { model.expected.timeouts += 1 }
                    continue
                }
                (out + outCount).initialize(to: try await kind.checkout(pool))
                outCount += 1
                model.expected.peakInUse = max(model.expected.peakInUse, outCount)
            } else if draw < 14, outCount > 0 {
                let index = Int(random.next() % UInt64(outCount))
                outCount -= 1
                let returned = (out + index).move()
                if index != outCount { (out + index).moveInitialize(from: out + outCount, count: 1) }
                _ = consume returned
                if model.live > model.capacity || model.idle >= model.capacity {
                    model.live -= 1
                    model.expected.discarded += 1
                } else {
                    model.idle += 1
                }
            } else if draw == 14 {
                if model.live < model.capacity, model.idle < model.capacity {
                    try pool.add(Slot(id: step))
                    model.live += 1
                    model.idle += 1
                } else {
                    expectAllocError(.poolExhausted) { try pool.add(Slot(id: step)) }
                }
            } else if draw == 15 {
                let capacity = 1 + Int(random.next() % 6)
                try pool.resize(capacity: capacity)
                model.capacity = capacity
                while model.idle > 0, model.live > capacity || model.idle > capacity {
                    model.idle -= 1
                    model.live -= 1
                    model.expected.discarded += 1
                }
            }
            #expect(pool.statistics == model.expected, "step \(step)")
            #expect(pool.idleCount == model.idle && pool.inUseCount == outCount, "step \(step)")
        }
    }
}
