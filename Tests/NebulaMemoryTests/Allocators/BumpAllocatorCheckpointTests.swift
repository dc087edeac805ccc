import NebulaMemory
import Testing

private func chunkedArena(capacity: Int = 1024, chunkSize: Int = 1024, maxCapacity: Int) throws -> BumpAllocator {
    try BumpAllocator(
        capacity: capacity, configuration: .init(growth: .chunked(chunkSize: chunkSize, maxCapacity: maxCapacity)))
}

@Suite("BumpAllocator checkpoints, scopes and growth")
struct BumpAllocatorCheckpointTests {
    // MARK: Checkpoints

    @Test func restoreFreesEverythingAllocatedAfterTheCheckpoint() throws {
        let arena = try BumpAllocator(capacity: 1024)
        _ = try arena.allocate(Layout(size: 100, alignment: 4))
        let checkpoint = arena.checkpoint()
        #expect(checkpoint.used == 100)
        let first = try arena.allocate(Layout(size: 200, alignment: 16))
        _ = try arena.allocate(Layout(size: 300, alignment: 8))
        try arena.restore(to: checkpoint)
        #expect(arena.used == 100)
        #expect(arena.available == 924)
        #expect(try arena.allocate(Layout(size: 200, alignment: 16)) == first)
    }

    @Test func nestedCheckpointsRestoreInnermostFirst() throws {
        let arena = try BumpAllocator(capacity: 1024)
        let outer = arena.checkpoint()
        _ = try arena.allocate(Layout(size: 64, alignment: 8))
        let middle = arena.checkpoint()
        _ = try arena.allocate(Layout(size: 64, alignment: 8))
        let inner = arena.checkpoint()
        _ = try arena.allocate(Layout(size: 64, alignment: 8))
        #expect([outer.used, middle.used, inner.used] == [0, 64, 128])
        try arena.restore(to: inner)
        #expect(arena.used == 128)
        try arena.restore(to: middle)
        #expect(arena.used == 64)
        try arena.restore(to: outer)
        #expect(arena.used == 0)
    }

    @Test func restoringAnOlderCheckpointInvalidatesNewerOnes() throws {
        let arena = try BumpAllocator(capacity: 1024)
        let older = arena.checkpoint()
        _ = try arena.allocate(Layout(size: 64, alignment: 8))
        let newer = arena.checkpoint()
        _ = try arena.allocate(Layout(size: 64, alignment: 8))
        try arena.restore(to: older)
        // Allocate past the newer checkpoint's position again: it must stay invalid.
        _ = try arena.allocate(Layout(size: 200, alignment: 8))
        let before = BumpSnapshot(arena)
        expectAllocError(.invalidState) { try arena.restore(to: newer) }
        #expect(BumpSnapshot(arena) == before)
        try arena.restore(to: older)
        #expect(arena.used == 0)
    }

    @Test func checkpointOfAnotherArenaIsInvalidState() throws {
        let arena = try BumpAllocator(capacity: 1024)
        let other = try BumpAllocator(capacity: 1024)
        let foreign = other.checkpoint()
        _ = try arena.allocate(Layout(size: 64, alignment: 8))
        let before = BumpSnapshot(arena)
        let error = expectAllocError(.invalidState) { try arena.restore(to: foreign) }
        #expect(error?.used == 64)
        #expect(BumpSnapshot(arena) == before)
    }

    @Test func checkpointTakenBeforeAResetIsInvalidState() throws {
        let arena = try BumpAllocator(capacity: 1024)
        _ = try arena.allocate(Layout(size: 32, alignment: 8))
        let checkpoint = arena.checkpoint()
        arena.reset()
        _ = try arena.allocate(Layout(size: 128, alignment: 8))
        let before = BumpSnapshot(arena)
        expectAllocError(.invalidState) { try arena.restore(to: checkpoint) }
        #expect(BumpSnapshot(arena) == before)
    }

    @Test func theSameCheckpointCanBeRestoredTwice() throws {
        let arena = try BumpAllocator(capacity: 1024)
        _ = try arena.allocate(Layout(size: 16, alignment: 8))
        let checkpoint = arena.checkpoint()
        _ = try arena.allocate(Layout(size: 64, alignment: 8))
        try arena.restore(to: checkpoint)
        _ = try arena.allocate(Layout(size: 128, alignment: 8))
        try arena.restore(to: checkpoint)
        #expect(arena.used == 16)
        try arena.restore(to: checkpoint)
        #expect(arena.used == 16)
    }

    @Test func checkpointsWithoutAllocationsInBetweenAreInterchangeable() throws {
        let arena = try BumpAllocator(capacity: 1024)
        let a = arena.checkpoint()
        let b = arena.checkpoint()
        #expect(a == b)
        _ = try arena.allocate(Layout(size: 64, alignment: 8))
        try arena.restore(to: a)
        try arena.restore(to: b)
        #expect(arena.used == 0)
    }

    @Test func theAllocationBeforeACheckpointIsNoLongerReclaimable() throws {
        let arena = try BumpAllocator(capacity: 1024)
        let layout = try Layout(size: 64, alignment: 8)
        let pointer = try arena.allocate(layout)
        let checkpoint = arena.checkpoint()
        try arena.deallocate(pointer, layout: layout)
        #expect(arena.used == 64)
        _ = try arena.allocate(layout)
        try arena.restore(to: checkpoint)
        #expect(arena.used == 64)
    }

    @Test func checkpointsOnEitherSideOfAChunkBoundaryAreDistinct() throws {
        let arena = try chunkedArena(maxCapacity: 1 << 20)
        _ = try arena.allocate(Layout(size: 1024, alignment: 1))  // the first chunk is full
        let endOfFirstChunk = arena.checkpoint()
        let spill = try arena.allocate(Layout(size: 16, alignment: 16))  // moves to a second chunk
        try arena.deallocate(spill, layout: Layout(size: 16, alignment: 16))
        let startOfSecondChunk = arena.checkpoint()
        #expect(endOfFirstChunk.used == startOfSecondChunk.used)
        #expect(endOfFirstChunk != startOfSecondChunk)
        try arena.restore(to: endOfFirstChunk)
        // The second checkpoint was taken after the first: restoring the first invalidates it.
        // (Were it still valid, a growth that frees the spare chunk would leave it dangling.)
        let before = BumpSnapshot(arena)
        expectAllocError(.invalidState) { try arena.restore(to: startOfSecondChunk) }
        #expect(BumpSnapshot(arena) == before)
    }

    @Test func aCheckpointWhoseChunkWasGivenBackIsNeverUsed() async {
        // The consequence of the previous test: when growth frees the spare chunk the second
        // checkpoint points at, restoring it must either be refused or stay within live memory.
        // Run in a child process; under AddressSanitizer a use after free aborts it.
        await #expect(processExitsWith: .success) {
            let arena = try BumpAllocator(
                capacity: 1024, configuration: .init(growth: .chunked(chunkSize: 1024, maxCapacity: 1 << 20)))
            _ = try arena.allocate(Layout(size: 1024, alignment: 1))
            let endOfFirstChunk = arena.checkpoint()
            let spill = try arena.allocate(Layout(size: 16, alignment: 16))
            try arena.deallocate(spill, layout: Layout(size: 16, alignment: 16))
            let startOfSecondChunk = arena.checkpoint()
            try arena.restore(to: endOfFirstChunk)
            _ = try arena.allocate(Layout(size: 4096, alignment: 8))  // too big for the spare chunk: it is freed
            do {
                try arena.restore(to: startOfSecondChunk)
            } catch {
                precondition((error as? AllocError)?.code == .invalidState)
                return
            }
            let pointer = try arena.allocate(Layout(size: 64, alignment: 8))
            pointer.initializeMemory(as: UInt8.self, repeating: 1, count: 64)
            arena.reset()
        }
    }

    // MARK: Scopes

    @Test func withScopeRestoresOnNormalExitAndReturnsTheBodysValue() throws {
        let arena = try BumpAllocator(capacity: 1024)
        _ = try arena.allocate(Layout(size: 24, alignment: 8))
        let result = try arena.withScope { scratch in
            let values = try scratch.allocate(Int.self, count: 10)
            values.initialize(repeating: 7, count: 10)
            #expect(scratch.used == 104)
            return UnsafeBufferPointer(start: values, count: 10).reduce(0, +)
        }
        #expect(result == 70)
        #expect(arena.used == 24)
    }

    @Test func withScopeRestoresWhenTheBodyThrowsAndRethrowsItsTypedError() throws {
        let arena = try BumpAllocator(capacity: 1024)
        _ = try arena.allocate(Layout(size: 8, alignment: 8))
        do {
            try arena.withScope { (scratch: BumpAllocator) throws(BodyError) in
                _ = try? scratch.allocate(Layout(size: 512, alignment: 8))
                #expect(scratch.used == 520)
                throw BodyError(value: 42)
            }
            Issue.record("withScope did not rethrow")
        } catch {
            let typed: BodyError = error  // typed throws: no cast needed
            #expect(typed == BodyError(value: 42))
        }
        #expect(arena.used == 8)
    }

    @Test func withScopeRestoresAfterAnAllocationErrorInTheBody() throws {
        let arena = try BumpAllocator(capacity: 128)
        let error = expectAllocError(.arenaExhausted) {
            try arena.withScope { scratch throws(AllocError) in
                _ = try scratch.allocate(Layout(size: 100, alignment: 8))
                _ = try scratch.allocate(Layout(size: 100, alignment: 8))
            }
        }
        #expect(error?.used == 100)
        #expect(arena.used == 0)
    }

    @Test func nestedScopesRestoreEachLevel() throws {
        let arena = try BumpAllocator(capacity: 4096)
        try arena.withScope { outer in
            _ = try outer.allocate(Layout(size: 100, alignment: 4))
            try outer.withScope { inner in
                _ = try inner.allocate(Layout(size: 200, alignment: 8))
                #expect(inner.used == 304)
            }
            #expect(outer.used == 100)
            _ = try outer.allocate(Layout(size: 50, alignment: 2))
            #expect(outer.used == 150)
        }
        #expect(arena.used == 0)
    }

    @Test func aBodyThatResetsLeavesTheArenaAsTheBodyDid() throws {
        let arena = try BumpAllocator(capacity: 1024)
        _ = try arena.allocate(Layout(size: 64, alignment: 8))
        try arena.withScope { scratch in
            _ = try scratch.allocate(Layout(size: 64, alignment: 8))
            scratch.reset()
            _ = try scratch.allocate(Layout(size: 32, alignment: 8))
        }
        #expect(arena.used == 32)
        #expect(arena.statistics?.resets == 1)
        // The arena still works normally afterwards.
        let checkpoint = arena.checkpoint()
        _ = try arena.allocate(Layout(size: 32, alignment: 8))
        try arena.restore(to: checkpoint)
        #expect(arena.used == 32)
    }

    // MARK: Chunked growth

    @Test func chunkedArenaGrowsUntilMaxCapacity() throws {
        let arena = try chunkedArena(maxCapacity: 4096)
        #expect(arena.available == 4096)
        let layout = try Layout(size: 64, alignment: 8)
        var regions: [FilledRegion] = []
        for index in 0..<64 {
            regions.append(FilledRegion(filling: try arena.allocate(layout), size: 64, byte: patternByte(index)))
            if index == 15 { #expect(arena.capacity == 1024) }
            if index == 16 { #expect(arena.capacity == 2048) }
        }
        #expect(arena.capacity == 4096)
        #expect(arena.used == 4096)
        #expect(arena.available == 0)
        expectIntactAndDisjoint(regions)
        let before = BumpSnapshot(arena)
        let error = expectAllocError(.arenaExhausted) { try arena.allocate(layout) }
        #expect(error?.capacity == 4096)
        #expect(BumpSnapshot(arena) == before.failingOnce())
    }

    @Test func aRequestLargerThanTheChunkSizeGetsItsOwnChunk() throws {
        let arena = try chunkedArena(maxCapacity: 1 << 16)
        _ = try arena.allocate(Layout(size: 100, alignment: 8))
        let big = try arena.allocate(Layout(size: 8192, alignment: 64))
        #expect(isAligned(big, to: 64))
        #expect(arena.capacity >= 1024 + 8192)
        #expect(arena.capacity <= 1 << 16)
        let region = FilledRegion(filling: big, size: 8192, byte: 0x5A)
        let after = try arena.allocate(Layout(size: 16, alignment: 8))
        expectIntactAndDisjoint([region, FilledRegion(filling: after, size: 16, byte: 0xA5)])
    }

    @Test func aRequestThatWouldPassMaxCapacityIsExhaustion() throws {
        let arena = try chunkedArena(maxCapacity: 4096)
        _ = try arena.allocate(Layout(size: 100, alignment: 8))
        let before = BumpSnapshot(arena)
        expectAllocError(.arenaExhausted) { try arena.allocate(Layout(size: 8192, alignment: 8)) }
        #expect(BumpSnapshot(arena) == before.failingOnce())
        #expect(arena.capacity == 1024)
    }

    @Test func resetKeepsOnlyTheFirstChunk() throws {
        let arena = try chunkedArena(maxCapacity: 8192)
        let first = try arena.allocate(Layout(size: 512, alignment: 8))
        for _ in 0..<10 { _ = try arena.allocate(Layout(size: 512, alignment: 8)) }
        #expect(arena.capacity > 1024)
        arena.reset()
        #expect(arena.capacity == 1024)
        #expect(arena.used == 0)
        #expect(arena.available == 8192)
        #expect(try arena.allocate(Layout(size: 512, alignment: 8)) == first)
        // It can grow again after the reset.
        for _ in 0..<10 { _ = try arena.allocate(Layout(size: 512, alignment: 8)) }
        #expect(arena.capacity > 1024)
    }

    @Test func restoreAcrossChunksKeepsTheChunksForReuse() throws {
        let arena = try chunkedArena(maxCapacity: 1 << 16)
        _ = try arena.allocate(Layout(size: 100, alignment: 8))
        let checkpoint = arena.checkpoint()
        var generator = SeededGenerator(seed: 7)
        let layouts = try (0..<40).map { _ in
            try Layout(
                size: Int.random(in: 1...400, using: &generator),
                alignment: 1 << Int.random(in: 0...5, using: &generator))
        }
        let firstRound = try layouts.map { try arena.allocate($0) }
        let grownCapacity = arena.capacity
        #expect(grownCapacity > 1024)
        try arena.restore(to: checkpoint)
        #expect(arena.used == 100)
        #expect(arena.capacity == grownCapacity)
        let secondRound = try layouts.map { try arena.allocate($0) }
        #expect(secondRound == firstRound)
        #expect(arena.capacity == grownCapacity)
        let regions = zip(secondRound, layouts).enumerated().map { index, pair in
            FilledRegion(filling: pair.0, size: pair.1.size, byte: patternByte(index))
        }
        expectIntactAndDisjoint(regions)
    }

    @Test func aFailedGrowthLeavesTheArenaUnchanged() throws {
        let arena = try chunkedArena(maxCapacity: 2048)
        let start = arena.checkpoint()
        _ = try arena.allocate(Layout(size: 1024, alignment: 1))
        _ = try arena.allocate(Layout(size: 16, alignment: 8))  // takes the second chunk
        #expect(arena.capacity == 2048)
        try arena.restore(to: start)  // the second chunk becomes a spare
        _ = try arena.allocate(Layout(size: 1024, alignment: 1))
        let before = BumpSnapshot(arena)
        // Too large for the spare chunk and for the growth limit: it must fail without side effects.
        expectAllocError(.arenaExhausted) { try arena.allocate(Layout(size: 1020, alignment: 8)) }
        #expect(BumpSnapshot(arena) == before.failingOnce())
        #expect(arena.capacity == 2048)
    }
}
