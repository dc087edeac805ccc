import NebulaMemory
import Testing

/// What a bump arena exposes about its state, to check that a failed call changed nothing.
struct BumpSnapshot: Equatable {
    var capacity: Int
    var used: Int
    var available: Int
    var statistics: AllocatorStatistics?

    init(_ arena: BumpAllocator) {
        capacity = arena.capacity
        used = arena.used
        available = arena.available
        statistics = arena.statistics
    }

    /// The snapshot after one more failed allocation.
    func failingOnce(_ code: AllocError.Code = .arenaExhausted) -> BumpSnapshot {
        var copy = self
        copy.statistics?.countFailure(code)
        return copy
    }
}

@Suite("BumpAllocator")
struct BumpAllocatorTests {
    @Test func newArenaIsEmpty() throws {
        let arena = try BumpAllocator(capacity: 1024)
        #expect(arena.capacity == 1024)
        #expect(arena.used == 0)
        #expect(arena.available == 1024)
        #expect(arena.configuration == .default)
        #expect(arena.statistics == AllocatorStatistics())
    }

    @Test func usedAndAvailableFollowAllocationsIncludingPadding() throws {
        let arena = try BumpAllocator(capacity: 1024)
        let first = try arena.allocate(Layout(size: 3, alignment: 1))
        #expect(arena.used == 3)
        #expect(arena.available == 1021)
        let second = try arena.allocate(Layout(size: 8, alignment: 8))
        #expect(second - first >= 3)
        #expect(second - first < 3 + 8)
        #expect(arena.used == (second - first) + 8, "padding counts as used")
        let third = try arena.allocate(Layout(size: 1, alignment: 64))
        #expect(arena.used == (third - first) + 1)
        #expect(arena.available == 1024 - arena.used)
        #expect(arena.capacity == 1024)
    }

    @Test func allocationsAreContiguousAndWritable() throws {
        let arena = try BumpAllocator(capacity: 256)
        let a = try arena.allocate(Layout(size: 16, alignment: 8))
        let b = try arena.allocate(Layout(size: 16, alignment: 8))
        #expect(b == a + 16)
        let regions = [FilledRegion(filling: a, size: 16, byte: 0xA1), FilledRegion(filling: b, size: 16, byte: 0xB2)]
        expectIntactAndDisjoint(regions)
    }

    @Test func exhaustionThrowsArenaExhaustedAndChangesNothing() throws {
        let arena = try BumpAllocator(capacity: 64)
        _ = try arena.allocate(Layout(size: 40, alignment: 8))
        let before = BumpSnapshot(arena)
        let error = expectAllocError(.arenaExhausted) { try arena.allocate(Layout(size: 32, alignment: 8)) }
        #expect(error?.used == 40)
        #expect(error?.available == 24)
        #expect(BumpSnapshot(arena) == before.failingOnce())
        // The space that is left can still be used, to the last byte.
        _ = try arena.allocate(Layout(size: 24, alignment: 8))
        #expect(arena.used == 64)
        #expect(arena.available == 0)
        expectAllocError(.arenaExhausted) { try arena.allocate(Layout(size: 1, alignment: 1)) }
        #expect(arena.used == 64)
    }

    @Test func paddingThatDoesNotFitIsExhaustion() throws {
        let arena = try BumpAllocator(capacity: 64)
        _ = try arena.allocate(Layout(size: 1, alignment: 1))
        let before = BumpSnapshot(arena)
        expectAllocError(.arenaExhausted) { try arena.allocate(Layout(size: 1, alignment: 64)) }
        #expect(BumpSnapshot(arena) == before.failingOnce())
    }

    @Test(arguments: powerOfTwoAlignments)
    func everyPointerIsAligned(alignment: Int) throws {
        let arena = try BumpAllocator(capacity: 1 << 16)
        for size in [1, 3, 17, alignment + 1] {
            _ = try arena.allocate(Layout(size: 1, alignment: 1))  // misalign the cursor
            let pointer = try arena.allocate(Layout(size: size, alignment: alignment))
            #expect(isAligned(pointer, to: alignment), "\(pointer) for size \(size)")
        }
    }

    @Test(arguments: [
        BumpAllocator.Configuration.default, .debug, .performance,
        .init(growth: .chunked(chunkSize: 2048, maxCapacity: 1 << 20)),
    ])
    func liveAllocationsNeverOverlap(configuration: BumpAllocator.Configuration) throws {
        let capacity = configuration.growth == .fixed ? 1 << 17 : 1024
        let arena = try BumpAllocator(capacity: capacity, configuration: configuration)
        var generator = SeededGenerator(seed: 0xB0B)
        var regions: [FilledRegion] = []
        for index in 0..<200 {
            let size = Int.random(in: 1...300, using: &generator)
            let alignment = 1 << Int.random(in: 0...6, using: &generator)
            let pointer = try arena.allocate(Layout(size: size, alignment: alignment))
            #expect(isAligned(pointer, to: alignment))
            regions.append(FilledRegion(filling: pointer, size: size, byte: patternByte(index)))
        }
        expectIntactAndDisjoint(regions)
        #expect(arena.used >= regions.reduce(0) { $0 + $1.size })
    }

    @Test func typedAllocateReturnsAlignedMemoryForCountValues() throws {
        let arena = try BumpAllocator(capacity: 1024)
        _ = try arena.allocate(Layout(size: 1, alignment: 1))
        let values = try arena.allocate(Int64.self, count: 10)
        #expect(isAligned(values, to: 8))
        #expect(arena.used == 8 + 80)
        values.initialize(from: Array(0..<10), count: 10)
        #expect(Array(UnsafeBufferPointer(start: values, count: 10)) == Array(0..<10))
        let vectors = try arena.allocate(Aligned16.self, count: 2)
        #expect(isAligned(vectors, to: 16))
        let none = try arena.allocate(Int64.self, count: 0)
        #expect(isAligned(none, to: 8))
    }

    @Test func typedHelpersRejectBadCountsWithoutChangingTheArena() throws {
        let arena = try BumpAllocator(capacity: 1024)
        _ = try arena.allocate(Layout(size: 8, alignment: 8))
        let before = BumpSnapshot(arena)
        expectAllocError(.invalidLayout) { try arena.allocate(Int64.self, count: -1) }
        expectAllocError(.sizeOverflow) { try arena.allocate(Int64.self, count: Int.max / 2) }
        #expect(BumpSnapshot(arena) == before)
    }

    @Test func createInitializesTheValue() throws {
        let arena = try BumpAllocator(capacity: 1024)
        let number = try arena.create(42)
        #expect(number.pointee == 42)
        let padded = try arena.create(PaddedPOD(value: -7, flag: true))
        #expect(padded.pointee == PaddedPOD(value: -7, flag: true))
        #expect(isAligned(padded, to: 8))
        let vector = try arena.create(Aligned16(vector: [1, 2, 3, 4]))
        #expect(isAligned(vector, to: 16))
        #expect(vector.pointee.vector == [1, 2, 3, 4])
        #expect(number.pointee == 42)
    }

    @Test func typedDeallocateOfTheNewestArrayReclaimsIt() throws {
        let arena = try BumpAllocator(capacity: 1024)
        _ = try arena.allocate(Int64.self, count: 2)
        let values = try arena.allocate(Int64.self, count: 4)
        #expect(arena.used == 48)
        try arena.deallocate(values, count: 4)
        #expect(arena.used == 16)
        #expect(try arena.allocate(Int64.self, count: 4) == values)
    }

    @Test func resetEmptiesTheArenaAndReusesItsMemory() throws {
        let arena = try BumpAllocator(capacity: 512)
        let first = try arena.allocate(Layout(size: 100, alignment: 8))
        _ = try arena.allocate(Layout(size: 300, alignment: 16))
        arena.reset()
        #expect(arena.used == 0)
        #expect(arena.capacity == 512)
        #expect(arena.available == 512)
        #expect(try arena.allocate(Layout(size: 100, alignment: 8)) == first)
        _ = try arena.allocate(Layout(size: 412, alignment: 1))
        #expect(arena.available == 0)
    }

    @Test func deallocateOfTheNewestAllocationReclaimsIt() throws {
        let arena = try BumpAllocator(capacity: 256)
        let first = try arena.allocate(Layout(size: 10, alignment: 1))
        let layout = try Layout(size: 32, alignment: 16)
        let newest = try arena.allocate(layout)
        #expect(arena.used == (newest - first) + 32)
        try arena.deallocate(newest, layout: layout)
        #expect(arena.used == newest - first)
        #expect(arena.used < 32)
        #expect(try arena.allocate(layout) == newest)
    }

    @Test func deallocateOfAnOlderAllocationIsANoOp() throws {
        let arena = try BumpAllocator(capacity: 256)
        let layout = try Layout(size: 16, alignment: 8)
        let older = try arena.allocate(layout)
        let newest = try arena.allocate(layout)
        try arena.deallocate(older, layout: layout)
        #expect(arena.used == 32)
        #expect(arena.statistics?.deallocations == 1)
        // The newest allocation is still the one that can be reclaimed.
        try arena.deallocate(newest, layout: layout)
        #expect(arena.used == 16)
    }

    @Test func deallocatingTheNewestTwiceIsInvalidPointer() throws {
        let arena = try BumpAllocator(capacity: 256)
        let layout = try Layout(size: 24, alignment: 8)
        _ = try arena.allocate(layout)
        let newest = try arena.allocate(layout)
        try arena.deallocate(newest, layout: layout)
        let before = BumpSnapshot(arena)
        expectAllocError(.invalidPointer) { try arena.deallocate(newest, layout: layout) }
        #expect(BumpSnapshot(arena) == before)
        #expect(arena.used == 24)
    }

    @Test func foreignPointersAreInvalidPointer() throws {
        let arena = try BumpAllocator(capacity: 256)
        let other = try BumpAllocator(capacity: 256)
        let layout = try Layout(size: 16, alignment: 8)
        _ = try arena.allocate(layout)
        let fromOther = try other.allocate(layout)
        let fromSystem = try SystemAllocator.shared.allocate(layout)
        defer { try? SystemAllocator.shared.deallocate(fromSystem, layout: layout) }
        let before = BumpSnapshot(arena)
        expectAllocError(.invalidPointer) { try arena.deallocate(fromOther, layout: layout) }
        expectAllocError(.invalidPointer) { try arena.deallocate(fromSystem, layout: layout) }
        #expect(BumpSnapshot(arena) == before)
        #expect(other.used == 16)
    }

    @Test func misalignedOrOverlongPointersAreInvalidPointer() throws {
        let arena = try BumpAllocator(capacity: 256)
        let layout = try Layout(size: 16, alignment: 8)
        let pointer = try arena.allocate(layout)
        _ = try arena.allocate(layout)
        let before = BumpSnapshot(arena)
        expectAllocError(.invalidPointer) { try arena.deallocate(pointer + 1, layout: layout) }
        // Inside the arena but running past its used memory.
        expectAllocError(.invalidPointer) { try arena.deallocate(pointer, layout: Layout(size: 64, alignment: 8)) }
        // Beyond the used memory.
        expectAllocError(.invalidPointer) { try arena.deallocate(pointer + 64, layout: layout) }
        #expect(BumpSnapshot(arena) == before)
    }

    @Test(arguments: [0, -1, Int.min])
    func nonPositiveCapacityIsInvalidConfiguration(capacity: Int) {
        expectAllocError(.invalidConfiguration) { try BumpAllocator(capacity: capacity) }
    }

    @Test(arguments: [(1024, 0, 4096), (1024, -1, 4096), (1024, 1024, 1023), (1024, 512, 0)])
    func invalidChunkedGrowthIsInvalidConfiguration(capacity: Int, chunkSize: Int, maxCapacity: Int) {
        let configuration = BumpAllocator.Configuration(
            growth: .chunked(chunkSize: chunkSize, maxCapacity: maxCapacity))
        expectAllocError(.invalidConfiguration) { try BumpAllocator(capacity: capacity, configuration: configuration) }
    }

    @Test func capacityThatCannotBeAllocatedIsOutOfMemory() {
        let error = expectAllocError(.outOfMemory) { try BumpAllocator(capacity: Int.max) }
        #expect(error?.allocatorKind == .arena)
    }

    @Test func debugFillMarksFreshAndReclaimedMemory() throws {
        let arena = try BumpAllocator(capacity: 512, configuration: .debug)
        let kept = try arena.allocate(Layout(size: 64, alignment: 8))
        #expect(allBytes(kept, count: 64, equal: 0xCD))
        kept.initializeMemory(as: UInt8.self, repeating: 0x11, count: 64)

        let checkpoint = arena.checkpoint()
        let scoped = try arena.allocate(Layout(size: 48, alignment: 16))
        #expect(allBytes(scoped, count: 48, equal: 0xCD))
        scoped.initializeMemory(as: UInt8.self, repeating: 0x22, count: 48)
        try arena.restore(to: checkpoint)
        #expect(allBytes(scoped, count: 48, equal: 0xDD))
        #expect(allBytes(kept, count: 64, equal: 0x11), "memory before the checkpoint must stay intact")

        let newest = try arena.allocate(Layout(size: 32, alignment: 8))
        newest.initializeMemory(as: UInt8.self, repeating: 0x33, count: 32)
        try arena.deallocate(newest, layout: Layout(size: 32, alignment: 8))
        #expect(allBytes(newest, count: 32, equal: 0xDD))

        arena.reset()
        #expect(allBytes(kept, count: 64, equal: 0xDD))
        #expect(arena.used == 0)
    }

    @Test func statisticsCountEveryOperation() throws {
        let arena = try BumpAllocator(capacity: 256)
        let a = try arena.allocate(Layout(size: 64, alignment: 8))
        _ = try arena.allocate(Layout(size: 32, alignment: 8))
        try arena.deallocate(a, layout: Layout(size: 64, alignment: 8))  // older: accepted, not reclaimed
        expectAllocError(.arenaExhausted) { try arena.allocate(Layout(size: 4096, alignment: 8)) }
        #expect(
            arena.statistics
                == AllocatorStatistics(
                    allocations: 2, deallocations: 1, bytesInUse: 96, peakBytesInUse: 96, failedAllocations: 1,
                    failures: [.arenaExhausted: 1], resets: 0, sizeClasses: .init(requests: [64: 1, 32: 1])))
        arena.reset()
        _ = try arena.allocate(Layout(size: 16, alignment: 8))
        #expect(
            arena.statistics
                == AllocatorStatistics(
                    allocations: 3, deallocations: 1, bytesInUse: 16, peakBytesInUse: 96, failedAllocations: 1,
                    failures: [.arenaExhausted: 1], resets: 1, sizeClasses: .init(requests: [64: 1, 32: 1, 16: 1])))
    }

    @Test func peakBytesInUseRemembersAPeakReclaimedByDeallocate() throws {
        let arena = try BumpAllocator(capacity: 256)
        let layout = try Layout(size: 64, alignment: 8)
        let pointer = try arena.allocate(layout)
        try arena.deallocate(pointer, layout: layout)
        let statistics = try #require(arena.statistics)
        #expect(statistics.bytesInUse == 0)
        #expect(statistics.peakBytesInUse == 64)
    }

    @Test func performanceConfigurationHasNoStatisticsButWorks() throws {
        let arena = try BumpAllocator(capacity: 128, configuration: .performance)
        #expect(arena.statistics == nil)
        let layout = try Layout(size: 64, alignment: 8)
        let pointer = try arena.allocate(layout)
        try arena.deallocate(pointer, layout: layout)
        #expect(arena.used == 0)
        _ = try arena.allocate(Layout(size: 128, alignment: 1))
        expectAllocError(.arenaExhausted) { try arena.allocate(Layout(size: 1, alignment: 1)) }
        #expect(arena.statistics == nil)
        arena.reset()
        #expect(arena.used == 0)
    }

    // Found by the bump fuzzer: the default configuration's fast path took back the newest
    // allocation freed with a layout it is not aligned to, which `.debug` rejected.
    @Test(arguments: [BumpAllocator.Configuration.default, .debug, .performance])
    func newestAllocationFreedWithALargerAlignmentIsInvalidInEveryConfiguration(
        _ configuration: BumpAllocator.Configuration
    ) throws {
        let arena = try BumpAllocator(capacity: 256, configuration: configuration)
        _ = try arena.allocate(Layout(size: 1, alignment: 1))
        let newest = try arena.allocate(Layout(size: 1, alignment: 1))
        let before = BumpSnapshot(arena)
        let claimed = try Layout(size: 1, alignment: 2)
        if Int(bitPattern: newest) % 2 == 1 {
            expectAllocError(.invalidPointer) { try arena.deallocate(newest, layout: claimed) }
            #expect(BumpSnapshot(arena) == before)
        }
        try arena.deallocate(newest, layout: Layout(size: 1, alignment: 1))
        #expect(arena.used == 1)
    }
}
