import NebulaMemory
import Testing

/// Memory an arena keeps after a reset is still the arena's: reading it through a raw
/// pointer is legal, and shows whether the secret written there was zeroed.
@Suite("zeroOnReset")
struct ZeroOnResetTests {
    private let secret: UInt8 = 0xA7

    private func write(_ arena: BumpAllocator, size: Int) throws -> UnsafeMutableRawPointer {
        let pointer = try arena.allocate(Layout(size: size, alignment: 8))
        pointer.initializeMemory(as: UInt8.self, repeating: secret, count: size)
        return pointer
    }

    @Test func resetZeroesEverythingItReclaims() throws {
        let arena = try BumpAllocator(capacity: 4096, configuration: .init(zeroOnReset: true))
        let first = try write(arena, size: 100)
        _ = try write(arena, size: 300)
        arena.reset()
        #expect(allBytes(first, count: 400, equal: 0))
    }

    @Test func restoreAndScopeEndZeroWhatTheyReclaimOnly() throws {
        let arena = try BumpAllocator(capacity: 4096, configuration: .init(zeroOnReset: true))
        let kept = try write(arena, size: 64)
        let point = arena.checkpoint()
        let reclaimed = try write(arena, size: 200)
        try arena.restore(to: point)
        #expect(allBytes(kept, count: 64, equal: secret))
        #expect(allBytes(reclaimed, count: 200, equal: 0))
        var scoped: UnsafeMutableRawPointer?
        try arena.withScope { scratch in
            scoped = try write(scratch, size: 128)
        }
        #expect(allBytes(try #require(scoped), count: 128, equal: 0))
        #expect(allBytes(kept, count: 64, equal: secret))
    }

    @Test func freeingTheNewestAllocationZeroesIt() throws {
        let arena = try BumpAllocator(capacity: 4096, configuration: .init(zeroOnReset: true))
        let pointer = try write(arena, size: 48)
        try arena.deallocate(pointer, layout: Layout(size: 48, alignment: 8))
        #expect(allBytes(pointer, count: 48, equal: 0))
    }

    @Test func restoreZeroesSpareChunksItLeaves() throws {
        let arena = try BumpAllocator(
            capacity: 256,
            configuration: .init(growth: .chunked(chunkSize: 256, maxCapacity: 4096), zeroOnReset: true))
        let point = arena.checkpoint()
        let inFirst = try write(arena, size: 200)
        let inSecond = try write(arena, size: 200)
        try arena.restore(to: point)
        // Both chunks are kept (the second as a spare), so both are still the arena's memory.
        #expect(allBytes(inFirst, count: 200, equal: 0))
        #expect(allBytes(inSecond, count: 200, equal: 0))
    }

    @Test func hardenedArenaZeroesTheCanaryWithTheAllocation() throws {
        let arena = try BumpAllocator(capacity: 1024, configuration: .init(hardened: true, zeroOnReset: true))
        let older = try write(arena, size: 40)
        let newest = try write(arena, size: 24)
        try arena.deallocate(newest, layout: Layout(size: 24, alignment: 8))
        #expect(allBytes(newest, count: 24 + 8, equal: 0))
        #expect(!allBytes(older + 40, count: 8, equal: 0))
        try arena.resetVerifying()
        #expect(allBytes(older, count: 40 + 8, equal: 0))
    }

    @Test func zeroingWinsOverTheDebugFill() throws {
        let arena = try BumpAllocator(capacity: 1024, configuration: .init(debugFill: true, zeroOnReset: true))
        let pointer = try write(arena, size: 64)
        arena.reset()
        #expect(allBytes(pointer, count: 64, equal: 0))
    }

    @Test func defaultConfigurationLeavesReclaimedBytesAlone() throws {
        let arena = try BumpAllocator(capacity: 1024)
        #expect(!arena.configuration.zeroOnReset)
        let pointer = try write(arena, size: 64)
        arena.reset()
        #expect(allBytes(pointer, count: 64, equal: secret))
    }

    @Test func concurrentArenaZeroesOnResetAndRestore() throws {
        let arena = try ConcurrentBumpAllocator(capacity: 1 << 16, configuration: .init(zeroOnReset: true))
        let kept = try arena.allocate(Layout(size: 32, alignment: 8))
        kept.initializeMemory(as: UInt8.self, repeating: secret, count: 32)
        let point = try arena.checkpoint()
        // Small (thread buffer) and large (carved from the shared arena) allocations.
        let small = try arena.allocate(Layout(size: 40, alignment: 8))
        let large = try arena.allocate(Layout(size: 8000, alignment: 8))
        small.initializeMemory(as: UInt8.self, repeating: secret, count: 40)
        large.initializeMemory(as: UInt8.self, repeating: secret, count: 8000)
        try arena.restore(to: point)
        #expect(allBytes(small, count: 40, equal: 0))
        #expect(allBytes(large, count: 8000, equal: 0))
        #expect(allBytes(kept, count: 32, equal: secret))
        try arena.reset()
        #expect(allBytes(kept, count: 32, equal: 0))
    }

    @Test func concurrentArenaZeroesALargeAllocationGivenBack() throws {
        let arena = try ConcurrentBumpAllocator(capacity: 1 << 16, configuration: .init(zeroOnReset: true))
        let large = try arena.allocate(Layout(size: 8000, alignment: 8))
        large.initializeMemory(as: UInt8.self, repeating: secret, count: 8000)
        try arena.deallocate(large, layout: Layout(size: 8000, alignment: 8))
        #expect(allBytes(large, count: 8000, equal: 0))
    }

    @Test func concurrentArenaDefaultLeavesReclaimedBytesAlone() throws {
        let arena = try ConcurrentBumpAllocator(capacity: 1 << 16)
        let pointer = try arena.allocate(Layout(size: 64, alignment: 8))
        pointer.initializeMemory(as: UInt8.self, repeating: secret, count: 64)
        try arena.reset()
        #expect(allBytes(pointer, count: 64, equal: secret))
    }
}
