import NebulaMemory
import Testing

@Suite("BumpAllocator non-trivial values")
struct BumpAllocatorValueTests {
    @Test func resetDeinitializesCreatedObjectsNewestFirst() throws {
        let log = DeinitLog()
        let arena = try BumpAllocator(capacity: 4096)
        for id in 1...4 {
            let object = try arena.create(DeinitCounter(id, log: log))
            #expect(object.pointee.id == id)
        }
        #expect(log.entries.isEmpty)
        arena.reset()
        #expect(log.entries == [4, 3, 2, 1])
        arena.reset()
        #expect(log.entries == [4, 3, 2, 1], "a second reset must not deinitialize again")
    }

    @Test func structsHoldingStringsAndArraysAreDeinitialized() throws {
        let log = DeinitLog()
        let arena = try BumpAllocator(capacity: 4096)
        let named = try arena.create(
            NamedValue(name: String(repeating: "node-", count: 20), tracker: DeinitCounter(1, log: log)))
        #expect(named.pointee.name.count == 100)
        let array = try arena.create(TrackedArray(items: [DeinitCounter(2, log: log), DeinitCounter(3, log: log)]))
        #expect(array.pointee.items.map(\.id) == [2, 3])
        let text = try arena.create("a string long enough to live on the heap, not inline")
        #expect(text.pointee.hasPrefix("a string"))
        weak let weakTracker = named.pointee.tracker
        #expect(weakTracker != nil)
        arena.reset()
        #expect(weakTracker == nil)
        #expect(log.entries == [2, 3, 1])
    }

    @Test func restoreDeinitializesOnlyValuesCreatedAfterTheCheckpoint() throws {
        let log = DeinitLog()
        let arena = try BumpAllocator(capacity: 4096)
        _ = try arena.create(DeinitCounter(1, log: log))
        _ = try arena.create(NamedValue(name: "kept", tracker: DeinitCounter(2, log: log)))
        let checkpoint = arena.checkpoint()
        _ = try arena.create(DeinitCounter(3, log: log))
        _ = try arena.create(TrackedArray(items: [DeinitCounter(4, log: log)]))
        _ = try arena.create(DeinitCounter(5, log: log))
        try arena.restore(to: checkpoint)
        #expect(log.entries == [5, 4, 3])
        arena.reset()
        #expect(log.entries == [5, 4, 3, 2, 1])
    }

    @Test func scopeExitDeinitializesTheScopesValues() throws {
        let log = DeinitLog()
        let arena = try BumpAllocator(capacity: 4096)
        _ = try arena.create(DeinitCounter(1, log: log))
        try arena.withScope { scratch in
            _ = try scratch.create(DeinitCounter(2, log: log))
            try scratch.withScope { inner in
                _ = try inner.create(DeinitCounter(3, log: log))
                _ = try inner.create(DeinitCounter(4, log: log))
            }
            #expect(log.entries == [4, 3])
            _ = try scratch.create(DeinitCounter(5, log: log))
        }
        #expect(log.entries == [4, 3, 5, 2])
    }

    @Test func scopeExitByThrowingDeinitializesTheScopesValues() throws {
        let log = DeinitLog()
        let arena = try BumpAllocator(capacity: 4096)
        #expect(throws: BodyError(value: 1)) {
            try arena.withScope { (scratch: BumpAllocator) throws(BodyError) in
                _ = try? scratch.create(DeinitCounter(1, log: log))
                throw BodyError(value: 1)
            }
        }
        #expect(log.entries == [1])
        #expect(arena.used == 0)
    }

    @Test func arenaDeinitDeinitializesRemainingValuesNewestFirst() throws {
        let log = DeinitLog()
        do {
            let arena = try BumpAllocator(capacity: 4096)
            for id in 1...3 { _ = try arena.create(DeinitCounter(id, log: log)) }
            _ = try arena.create(NamedValue(name: "last", tracker: DeinitCounter(4, log: log)))
            #expect(arena.used > 0)
        }
        #expect(log.entries == [4, 3, 2, 1])
    }

    @Test func chunkedArenaDeinitializesValuesInEveryChunk() throws {
        let log = DeinitLog()
        let arena = try BumpAllocator(
            capacity: 256, configuration: .init(growth: .chunked(chunkSize: 256, maxCapacity: 1 << 20)))
        for id in 0..<50 { _ = try arena.create(DeinitCounter(id, log: log)) }
        #expect(arena.capacity > 256)
        arena.reset()
        #expect(log.entries == Array((0..<50).reversed()))
        #expect(arena.capacity == 256)
    }

    @Test func trivialValuesCostOnlyTheirStride() throws {
        let arena = try BumpAllocator(capacity: 256)
        _ = try arena.create(Int64(1))
        #expect(arena.used == 8)
        _ = try arena.create(PaddedPOD(value: 2, flag: false))
        #expect(arena.used == 24)
        _ = try arena.create(UInt8(3))
        #expect(arena.used == 25)
        arena.reset()
        #expect(arena.used == 0)
    }

    @Test func deallocatingTheNewestCreatedValueAfterDeinitializingItDoesNotDeinitializeItAgain() throws {
        let log = DeinitLog()
        let arena = try BumpAllocator(capacity: 4096)
        _ = try arena.create(DeinitCounter(1, log: log))
        let usedBefore = arena.used
        let newest = try arena.create(DeinitCounter(2, log: log))
        newest.deinitialize(count: 1)
        #expect(log.entries == [2])
        try arena.deallocate(newest)
        #expect(arena.used == usedBefore)
        arena.reset()
        #expect(log.entries == [2, 1])
    }

    @Test func deallocatingAnOlderCreatedValueAfterDeinitializingItDoesNotDeinitializeItAgain() throws {
        // The probe's retain count shows how often the arena releases it, without touching freed memory:
        // the test keeps a spare retain, so even a double release leaves the probe alive.
        let probe = Unmanaged.passRetained(DeinitCounter(1, log: DeinitLog()))
        _ = probe.retain()
        let arena = try BumpAllocator(capacity: 4096)
        let older = try arena.create(probe.takeUnretainedValue())
        _ = try arena.create(DeinitCounter(2, log: DeinitLog()))
        older.deinitialize(count: 1)  // as the Allocator protocol requires before deallocate
        let countAfterDeinitialize = _getRetainCount(probe.takeUnretainedValue())
        try arena.deallocate(older)
        arena.reset()
        let countAfterReset = _getRetainCount(probe.takeUnretainedValue())
        #expect(countAfterReset == countAfterDeinitialize, "the arena deinitialized the value a second time")
        if countAfterReset < countAfterDeinitialize { _ = probe.retain() }  // repair the over-release
        probe.release()
        probe.release()
    }

    @Test func typedDeallocateOfTheNewestCreatedTrivialValueReclaimsIt() throws {
        let arena = try BumpAllocator(capacity: 256)
        _ = try arena.create(Int64(1))
        let padded = try arena.create(PaddedPOD(value: 5, flag: true))
        #expect(arena.used == 24)
        #expect(throws: Never.self) { try arena.deallocate(padded) }
        #expect(arena.used == 8)
    }

    @Test func typedDeallocateOfTheNewestCreatedObjectWhoseSizeIsNotItsStride() throws {
        let log = DeinitLog()
        let arena = try BumpAllocator(capacity: 4096)
        let usedBefore = arena.used
        let value = try arena.create(PaddedObject(tracker: DeinitCounter(1, log: log), flag: true))
        value.deinitialize(count: 1)
        #expect(log.entries == [1])
        do {
            try arena.deallocate(value)
            #expect(arena.used == usedBefore)
        } catch {
            Issue.record("deallocate(_:count:) of a value made by create(_:) threw:\n\(error)")
            // The arena kept the value's deinitializer: give it a live value so the reset below stays safe.
            value.initialize(to: PaddedObject(tracker: DeinitCounter(99, log: log), flag: false))
        }
        arena.reset()
        #expect(log.entries.filter { $0 == 1 } == [1], "the value must be deinitialized exactly once")
    }
}
