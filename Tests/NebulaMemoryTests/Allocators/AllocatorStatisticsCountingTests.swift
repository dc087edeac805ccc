import NebulaMemory
import Testing

/// Every allocator fills the same statistics: requests by size class, failures by code.
@Suite("Allocator statistics counting")
struct AllocatorStatisticsCountingTests {
    /// The sizes each test allocates, and their histogram.
    static let sizes = [0, 1, 24, 24, 100, 1000]
    static let histogram = SizeClassHistogram(requests: [0: 1, 1: 1, 24: 2, 100: 1, 1000: 1])

    @Test func bumpCountsEveryRequestBySizeAndFailuresByCode() throws {
        let arena = try BumpAllocator(capacity: 4096)
        for size in Self.sizes { _ = try arena.allocate(Layout(size: size, alignment: 8)) }
        expectAllocError(.arenaExhausted) { try arena.allocate(Layout(size: 1 << 20, alignment: 8)) }
        let statistics = try #require(arena.statistics)
        #expect(statistics.sizeClasses == Self.histogram)
        #expect(statistics.allocations == Self.sizes.count)
        #expect(statistics.failures == [.arenaExhausted: 1])
        #expect(statistics.failedAllocations == 1)
    }

    @Test func hardenedBumpCountsOnItsSlowPathToo() throws {
        let arena = try BumpAllocator(capacity: 4096, configuration: .hardened)
        for size in Self.sizes { _ = try arena.allocate(Layout(size: size, alignment: 8)) }
        #expect(arena.statistics?.sizeClasses == Self.histogram)
    }

    @Test func stackCountsEveryRequestIncludingAReusedTop() throws {
        let stack = try StackAllocator(capacity: 8192)
        for size in Self.sizes {
            let layout = try Layout(size: size, alignment: 8)
            let pointer = try stack.allocate(layout)
            if size == 24 { try stack.deallocate(pointer, layout: layout) }  // the next 24 reuses the top
        }
        expectAllocError(.arenaExhausted) { try stack.allocate(Layout(size: 1 << 20, alignment: 8)) }
        let statistics = try #require(stack.statistics)
        #expect(statistics.sizeClasses == Self.histogram)
        #expect(statistics.failures == [.arenaExhausted: 1])
    }

    @Test func poolCountsRequestedSizesAndWholeBlocksAsTheBlockSize() throws {
        let pool = try PoolAllocator(blockSize: 64, blockCount: 4)
        _ = try pool.allocate(Layout(size: 8, alignment: 8))
        _ = try pool.allocate(Layout(size: 40, alignment: 8))
        _ = try pool.allocateBlock()
        expectAllocError(.invalidLayout) { try pool.allocate(Layout(size: 65, alignment: 8)) }
        _ = try pool.allocateBlock()
        expectAllocError(.poolExhausted) { try pool.allocateBlock() }
        let statistics = try #require(pool.statistics)
        #expect(statistics.sizeClasses == SizeClassHistogram(requests: [8: 1, 40: 1, 64: 2]))
        #expect(statistics.allocations == 4)
        #expect(statistics.failures == [.invalidLayout: 1, .poolExhausted: 1])
        #expect(statistics.failedAllocations == 2)
    }

    @Test func concurrentBumpCountsThreadAndSharedRequests() throws {
        // Requests above a quarter of the thread buffer are carved from the shared arena.
        let arena = try ConcurrentBumpAllocator(
            capacity: 1 << 16, configuration: .init(threadBufferSize: 1024))
        for size in Self.sizes { _ = try arena.allocate(Layout(size: size, alignment: 8)) }
        expectAllocError(.arenaExhausted) { try arena.allocate(Layout(size: 1 << 20, alignment: 8)) }
        let statistics = try #require(arena.statistics)
        #expect(statistics.sizeClasses == Self.histogram)
        #expect(statistics.allocations == Self.sizes.count)
        #expect(statistics.failures == [.arenaExhausted: 1])
    }

    @Test func concurrentPoolCountsRequestedSizesAndWholeBlocks() throws {
        let pool = try ConcurrentPoolAllocator(blockSize: 64, blockCount: 64)
        _ = try pool.allocate(Layout(size: 8, alignment: 8))
        _ = try pool.allocateBlock()
        expectAllocError(.invalidLayout) { try pool.allocate(Layout(size: 65, alignment: 8)) }
        let statistics = try #require(pool.statistics)
        #expect(statistics.sizeClasses == SizeClassHistogram(requests: [8: 1, 64: 1]))
        #expect(statistics.failures == [.invalidLayout: 1])
    }

    @Test func withStatisticsOffNothingIsCounted() throws {
        let arena = try BumpAllocator(capacity: 4096, configuration: .performance)
        _ = try arena.allocate(Layout(size: 8, alignment: 8))
        #expect(arena.statistics == nil)
        let pool = try ConcurrentPoolAllocator(
            blockSize: 64, blockCount: 8, configuration: .init(trackStatistics: false))
        _ = try pool.allocate(Layout(size: 8, alignment: 8))
        #expect(pool.statistics == nil)
    }

    @Test func systemCountsRequestsBytesAndFailuresOnlyWhenAsked() throws {
        #expect(SystemAllocator.shared.statistics == nil)
        let system = SystemAllocator(trackStatistics: true)
        var pointers: [(UnsafeMutableRawPointer, Layout)] = []
        for size in Self.sizes {
            let layout = try Layout(size: size, alignment: 8)
            pointers.append((try system.allocate(layout), layout))
        }
        let total = Self.sizes.reduce(0, +)
        expectAllocError(.outOfMemory) { try system.allocate(Layout(size: 1 << 62, alignment: 8)) }
        var statistics = try #require(system.statistics)
        #expect(statistics.sizeClasses == Self.histogram)
        #expect(statistics.allocations == Self.sizes.count)
        #expect(statistics.bytesInUse == total && statistics.peakBytesInUse == total)
        #expect(statistics.failures == [.outOfMemory: 1])
        let (last, lastLayout) = pointers.removeLast()
        let bigger = try Layout(size: 2000, alignment: 8)
        pointers.append((try system.reallocate(last, from: lastLayout, to: bigger), bigger))
        #expect(system.statistics?.bytesInUse == total + 1000)
        for (pointer, layout) in pointers { try system.deallocate(pointer, layout: layout) }
        statistics = try #require(system.statistics)
        #expect(statistics.deallocations == Self.sizes.count)
        #expect(statistics.bytesInUse == 0)
        #expect(statistics.peakBytesInUse == total + 1000, "the highest a read saw")
    }

    @Test func aSystemAllocatorWithStatisticsRegisters() throws {
        let registry = MemoryRegistry()
        let system = SystemAllocator(trackStatistics: true)
        try registry.register(system, as: "large")
        let buffer = try system.allocate(UInt8.self, count: 5000)
        let parsed = try PrometheusText(registry.snapshot().prometheusText())
        #expect(parsed.value("nebula_memory_in_use_bytes", name: "large") == 5000)
        #expect(parsed.samples.first { $0.labels["name"] == "large" }?.labels["kind"] == "system")
        try system.deallocate(buffer, count: 5000)
        withExtendedLifetime(system) {}
    }
}
