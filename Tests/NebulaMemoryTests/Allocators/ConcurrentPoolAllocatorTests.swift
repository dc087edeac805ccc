import NebulaMemory
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Takes blocks on the calling thread until the pool reports `ALLOC_POOL_EXHAUSTED`; checks
/// that they are aligned and distinct.
func drainConcurrentPool(_ pool: ConcurrentPoolAllocator, sourceLocation: SourceLocation = #_sourceLocation)
    -> [UnsafeMutableRawPointer]
{
    var blocks: [UnsafeMutableRawPointer] = []
    while true {
        do throws(AllocError) {
            let block = try pool.allocateBlock()
            #expect(isAligned(block, to: pool.blockAlignment), sourceLocation: sourceLocation)
            blocks.append(block)
        } catch {
            #expect(error.code == .poolExhausted, "\(error)", sourceLocation: sourceLocation)
            break
        }
    }
    #expect(Set(blocks).count == blocks.count, "a block was handed out twice", sourceLocation: sourceLocation)
    return blocks
}

@Suite("ConcurrentPoolAllocator")
struct ConcurrentPoolAllocatorTests {
    @Test func blocksFromBeforeAnyNumberOfResetsAreFree() throws {
        let pool = try ConcurrentPoolAllocator(blockSize: 32, blockCount: 8)
        for resets in [1, 254, 255, 256, 511, 512] {
            pool.reset()
            let old = try pool.allocateBlock()
            for _ in 0..<resets { pool.reset() }
            expectAllocError(.doubleFree) { try pool.deallocateBlock(old) }
            let blocks = try (0..<8).map { _ in try pool.allocateBlock() }
            #expect(Set(blocks).count == 8)
            for block in blocks { try pool.deallocateBlock(block) }
            expectAllocError(.doubleFree) { try pool.deallocateBlock(blocks[0]) }
            #expect(pool.usedBlockCount == 0)
        }
    }

    @Test func newPoolHasEveryBlockFree() throws {
        let pool = try ConcurrentPoolAllocator(blockSize: 48, blockAlignment: 16, blockCount: 100)
        #expect(pool.blockSize == 48)
        #expect(pool.blockAlignment == 16)
        #expect(pool.blockCount == 100)
        #expect(pool.freeBlockCount == 100)
        #expect(pool.usedBlockCount == 0)
        #expect(pool.configuration == .default)
        #expect(pool.statistics == AllocatorStatistics())
    }

    @Test func isASendableAllocatorUsableThroughTheProtocol() async throws {
        let pool = try ConcurrentPoolAllocator(blockSize: 64, blockAlignment: 16, blockCount: 256)
        let layout = try Layout(size: 40, alignment: 8)
        #expect(try roundTrip(pool, layout: layout) == 4)
        #expect(try await roundTripFromTasks(pool, tasks: 8, layout: layout) == Array(repeating: 4, count: 8))
        let passed = SharedCounter()
        runOnThreads(4) { _ in
            if (try? roundTrip(pool, layout: layout)) == 4 { passed.increment() }
        }
        #expect(passed.current == 4)
        #expect(pool.usedBlockCount == 0)
        #expect(pool.statistics?.allocations == 13 * 3)

        func resetThroughTheProtocol<R: ResettableAllocator>(_ allocator: R) throws { try allocator.reset() }
        _ = try pool.allocateBlock()
        try resetThroughTheProtocol(pool)
        #expect(pool.usedBlockCount == 0)
    }

    @Test func countsFollowAllocationAndFree() throws {
        let pool = try ConcurrentPoolAllocator(blockSize: 32, blockCount: 64)
        let a = try pool.allocateBlock()
        let b = try pool.allocateBlock()
        #expect(a != b)
        #expect(pool.usedBlockCount == 2)
        #expect(pool.freeBlockCount == 62)
        try pool.deallocateBlock(a)
        #expect(pool.usedBlockCount == 1)
        #expect(pool.freeBlockCount == 63)
        // The freed block sits in this thread's cache: it comes back first.
        #expect(try pool.allocateBlock() == a)
        #expect(pool.blockCount == 64)
    }

    @Test(arguments: [10, 64])
    func oneThreadGetsEveryBlockThenPoolExhausted(blockCount: Int) throws {
        let pool = try ConcurrentPoolAllocator(blockSize: 32, blockCount: blockCount)
        let blocks = drainConcurrentPool(pool)
        #expect(blocks.count == blockCount)
        let regions = blocks.enumerated().map { FilledRegion(filling: $1, size: 32, byte: patternByte($0)) }
        expectIntactAndDisjoint(regions)
        let before = PoolSnapshot(pool)
        let error = expectAllocError(.poolExhausted) { try pool.allocateBlock() }
        #expect(error?.allocatorKind == .pool)
        #expect(error?.used == blockCount * 32)
        #expect(error?.available == 0)
        #expect(PoolSnapshot(pool) == before.failingOnce())
        expectAllocError(.poolExhausted) { try pool.allocate(Layout(size: 8, alignment: 8)) }
        for block in blocks { try pool.deallocateBlock(block) }
        #expect(pool.usedBlockCount == 0)
        #expect(pool.freeBlockCount == blockCount)
    }

    // Strides that are powers of two and others (the pool maps offsets to blocks differently).
    @Test(arguments: [(32, 16), (48, 16), (24, 8), (40, 8), (4096, 4096)])
    func foreignInteriorAndPastTheEndPointersAreInvalidPointer(blockSize: Int, alignment: Int) throws {
        // Four blocks: no thread caches, so blocks are handed out in address order.
        let pool = try ConcurrentPoolAllocator(blockSize: blockSize, blockAlignment: alignment, blockCount: 4)
        let other = try ConcurrentPoolAllocator(blockSize: blockSize, blockAlignment: alignment, blockCount: 4)
        let blocks = drainConcurrentPool(pool).sorted()
        try #require(blocks.count == 4)
        try #require(blocks[1] - blocks[0] == blockSize)
        let fromOther = try other.allocateBlock()
        let systemLayout = try Layout(size: blockSize, alignment: alignment)
        let fromSystem = try SystemAllocator.shared.allocate(systemLayout)
        defer { try? SystemAllocator.shared.deallocate(fromSystem, layout: systemLayout) }
        try pool.deallocateBlock(blocks[1])
        let before = PoolSnapshot(pool)
        expectAllocError(.invalidPointer) { try pool.deallocateBlock(fromOther) }
        expectAllocError(.invalidPointer) { try pool.deallocateBlock(fromSystem) }
        expectAllocError(.invalidPointer) { try pool.deallocate(fromSystem, layout: Layout(size: 8, alignment: 8)) }
        for offset in [1, 7, 8, 16, blockSize / 2, blockSize - 8, blockSize - 1] {
            expectAllocError(.invalidPointer) { try pool.deallocateBlock(blocks[0] + offset) }
            expectAllocError(.invalidPointer) { try pool.deallocateBlock(blocks[3] + offset) }
        }
        expectAllocError(.invalidPointer) { try pool.deallocateBlock(blocks[3] + blockSize) }  // one past the end
        expectAllocError(.invalidPointer) { try pool.deallocateBlock(blocks[3] + 2 * blockSize) }
        expectAllocError(.invalidPointer) { try pool.deallocateBlock(blocks[0] - blockSize) }  // before the start
        #expect(PoolSnapshot(pool) == before)
        #expect(other.usedBlockCount == 1)
        // Nothing was corrupted: exactly the one freed block can be handed out, once.
        #expect(drainConcurrentPool(pool) == [blocks[1]])
        for block in blocks { try pool.deallocateBlock(block) }
        #expect(pool.usedBlockCount == 0)
    }

    @Test func layoutsThatDoNotFitABlockAreInvalidLayout() throws {
        let pool = try ConcurrentPoolAllocator(blockSize: 32, blockAlignment: 16, blockCount: 64)
        let block = try pool.allocateBlock()
        let before = PoolSnapshot(pool)
        expectAllocError(.invalidLayout) { try pool.allocate(Layout(size: 33, alignment: 8)) }
        expectAllocError(.invalidLayout) { try pool.allocate(Layout(size: 8, alignment: 32)) }
        expectAllocError(.invalidLayout) { try pool.allocate(Int64.self, count: 5) }
        expectAllocError(.invalidLayout) { try pool.deallocate(block, layout: Layout(size: 64, alignment: 8)) }
        let after = PoolSnapshot(pool)
        #expect(after.blockCount == before.blockCount)
        #expect(after.usedBlockCount == before.usedBlockCount)
        #expect(after.freeBlockCount == before.freeBlockCount)
        #expect(after.statistics?.allocations == before.statistics?.allocations)
        #expect(after.statistics?.deallocations == before.statistics?.deallocations)
        let fits = try pool.allocate(Layout(size: 32, alignment: 16))
        #expect(isAligned(fits, to: 16))
        try pool.deallocate(fits, layout: Layout(size: 32, alignment: 16))
        try pool.deallocate(block, layout: Layout(size: 1, alignment: 1))
        #expect(pool.usedBlockCount == 0)
    }

    @Test func anInvalidLayoutCountsAsAFailedAllocationAsInPoolAllocator() throws {
        // `failedAllocations` counts "allocation requests that threw"; PoolAllocator counts
        // a layout that does not fit a block, and the concurrent pool mirrors its API.
        let pool = try ConcurrentPoolAllocator(blockSize: 32, blockAlignment: 16, blockCount: 64)
        let single = try PoolAllocator(blockSize: 32, blockAlignment: 16, blockCount: 64)
        expectAllocError(.invalidLayout) { try pool.allocate(Layout(size: 33, alignment: 8)) }
        expectAllocError(.invalidLayout) { try single.allocate(Layout(size: 33, alignment: 8)) }
        #expect(single.statistics?.failedAllocations == 1)
        #expect(pool.statistics?.failedAllocations == 1)
    }

    @Test(arguments: [
        (0, 16, 4, 4), (-1, 16, 4, 4), (32, 16, 0, 4), (32, 16, -1, 4), (32, 3, 4, 4), (32, 0, 4, 4),
        (32, 24, 4, 4), (32, 8192, 4, 4), (32, 16, 8, 7), (1 << 32, 16, 1, 1),
    ])
    func invalidConfigurationsAreRejected(blockSize: Int, alignment: Int, count: Int, maxBlockCount: Int) {
        let growth: PoolAllocator.Configuration.Growth =
            maxBlockCount == count ? .fixed : .growing(maxBlockCount: maxBlockCount)
        expectAllocError(.invalidConfiguration) {
            try ConcurrentPoolAllocator(
                blockSize: blockSize, blockAlignment: alignment, blockCount: count,
                configuration: .init(growth: growth))
        }
    }

    @Test func growingPoolGrowsUpToItsLimit() throws {
        let pool = try ConcurrentPoolAllocator(
            blockSize: 32, blockCount: 4, configuration: .init(growth: .growing(maxBlockCount: 10)))
        var blocks: [UnsafeMutableRawPointer] = []
        for _ in 0..<4 { blocks.append(try pool.allocateBlock()) }
        #expect(pool.blockCount == 4)
        blocks.append(try pool.allocateBlock())
        #expect(pool.blockCount == 8)
        blocks += drainConcurrentPool(pool)
        #expect(blocks.count == 10)
        #expect(Set(blocks).count == 10)
        #expect(pool.blockCount == 10)
        let before = PoolSnapshot(pool)
        expectAllocError(.poolExhausted) { try pool.allocateBlock() }
        #expect(PoolSnapshot(pool) == before.failingOnce())
        let regions = blocks.enumerated().map { FilledRegion(filling: $1, size: 32, byte: patternByte($0)) }
        expectIntactAndDisjoint(regions)
        for block in blocks { try pool.deallocateBlock(block) }
        #expect(pool.usedBlockCount == 0)
        #expect(pool.freeBlockCount == 10)
    }

    @Test func growingPoolStaysWithinItsLimitUnderContention() async throws {
        let maxBlockCount = 1024
        let pool = try ConcurrentPoolAllocator(
            blockSize: 32, blockCount: 64, configuration: .init(growth: .growing(maxBlockCount: maxBlockCount)))
        let harvests = await withTaskGroup(of: Harvest.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var harvest = Harvest(worker: task)
                    while harvest.errors.isEmpty {
                        do throws(AllocError) {
                            harvest.addresses.append(Int(bitPattern: try pool.allocateBlock()))
                        } catch {
                            harvest.errors.append(error.code)
                        }
                    }
                    return harvest
                }
            }
            return await group.reduce(into: [Harvest]()) { $0.append($1) }
        }
        let addresses = harvests.flatMap(\.addresses)
        #expect(harvests.flatMap(\.errors) == Array(repeating: .poolExhausted, count: 8))
        #expect(pool.blockCount == maxBlockCount)
        #expect(addresses.count <= maxBlockCount)
        #expect(Set(addresses).count == addresses.count)
        #expect(pool.usedBlockCount == addresses.count)
        for address in addresses { try pool.deallocateBlock(UnsafeMutableRawPointer(bitPattern: address)!) }
        #expect(pool.usedBlockCount == 0)
        #expect(pool.freeBlockCount == maxBlockCount)
        // One thread alone reaches every block after a reset (which voids every cache).
        pool.reset()
        #expect(drainConcurrentPool(pool).count == maxBlockCount)
    }

    @Test func resetFreesEveryBlock() async throws {
        let pool = try ConcurrentPoolAllocator(blockSize: 64, blockCount: 8)
        let first = drainConcurrentPool(pool)
        #expect(first.count == 8)
        try pool.deallocateBlock(first[3])
        pool.reset()
        #expect(pool.usedBlockCount == 0)
        #expect(pool.freeBlockCount == 8)
        let before = PoolSnapshot(pool)
        expectAllocError(.doubleFree) { try pool.deallocateBlock(first[0]) }
        expectAllocError(.doubleFree) { try pool.deallocateBlock(first[3]) }
        #expect(PoolSnapshot(pool) == before)
        let second = drainConcurrentPool(pool)
        #expect(Set(second) == Set(first))
        #expect(pool.statistics?.resets == 1)

        // Blocks that tasks hold and blocks in their caches are all free after a reset.
        let cached = try ConcurrentPoolAllocator(blockSize: 64, blockCount: 256)
        let held = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let blocks = try (0..<40).map { _ in try cached.allocateBlock() }
                    for block in blocks.suffix(20) { try cached.deallocateBlock(block) }
                    return blocks.prefix(20).map { Int(bitPattern: $0) }
                }
            }
            return try await group.reduce(into: [Int]()) { $0 += $1 }
        }
        #expect(cached.usedBlockCount == 80)
        cached.reset()
        #expect(cached.usedBlockCount == 0)
        #expect(cached.freeBlockCount == 256)
        let afterReset = PoolSnapshot(cached)
        for address in held.prefix(5) {
            expectAllocError(.doubleFree) { try cached.deallocateBlock(UnsafeMutableRawPointer(bitPattern: address)!) }
        }
        #expect(PoolSnapshot(cached) == afterReset)
        #expect(drainConcurrentPool(cached).count == 256)
    }

    @Test func performanceConfigurationWorksForValidUse() async throws {
        let pool = try ConcurrentPoolAllocator(
            blockSize: 32, blockAlignment: 32, blockCount: 64, configuration: .performance)
        #expect(pool.statistics == nil)
        let blocks = drainConcurrentPool(pool)
        #expect(blocks.count == 64)
        #expect(pool.usedBlockCount == 64)
        for block in blocks.reversed() { try pool.deallocateBlock(block) }
        #expect(pool.usedBlockCount == 0)
        #expect(Set(drainConcurrentPool(pool)) == Set(blocks))
        pool.reset()
        #expect(Set(drainConcurrentPool(pool)) == Set(blocks))
        pool.reset()
        let overwritten = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<4 {
                group.addTask {
                    var overwritten = 0
                    for round in 0..<50 {
                        let mine = try (0..<4).map { _ in try pool.allocateBlock() }
                        for (index, block) in mine.enumerated() {
                            stamp(block, size: 32, tag: blockTag(worker: task, index: index, round: round))
                        }
                        for (index, block) in mine.enumerated() {
                            let tag = blockTag(worker: task, index: index, round: round)
                            if !holdsStamp(block, size: 32, tag: tag) { overwritten += 1 }
                            try pool.deallocateBlock(block)
                        }
                    }
                    return overwritten
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(overwritten == 0)
        #expect(pool.usedBlockCount == 0)
        #expect(pool.statistics == nil)
    }

    @Test func debugConfigurationFillsFreshAndFreedBlocks() throws {
        let pool = try ConcurrentPoolAllocator(blockSize: 64, blockCount: 32, configuration: .debug)
        let a = try pool.allocateBlock()
        let b = try pool.allocateBlock()
        #expect(allBytes(a, count: 64, equal: 0xCD))
        #expect(allBytes(b, count: 64, equal: 0xCD))
        a.initializeMemory(as: UInt8.self, repeating: 0x11, count: 64)
        b.initializeMemory(as: UInt8.self, repeating: 0x22, count: 64)
        try pool.deallocateBlock(a)
        // The first 8 bytes of a free block hold the free list's link.
        #expect(allBytes(a + 8, count: 56, equal: 0xDD))
        #expect(allBytes(b, count: 64, equal: 0x22))
        let reused = try pool.allocateBlock()
        #expect(reused == a)
        #expect(allBytes(reused, count: 64, equal: 0xCD))
        try pool.deallocateBlock(b)
        #expect(allBytes(b + 8, count: 56, equal: 0xDD))
        expectAllocError(.doubleFree) { try pool.deallocateBlock(b) }
        #expect(pool.usedBlockCount == 1)
        pool.reset()
        #expect(allBytes(a, count: 64, equal: 0xDD))
        #expect(allBytes(b, count: 64, equal: 0xDD))
        #expect(pool.statistics != nil)
    }

    @Test(arguments: powerOfTwoAlignments)
    func everyBlockIsAligned(alignment: Int) throws {
        let pool = try ConcurrentPoolAllocator(blockSize: 24, blockAlignment: alignment, blockCount: 40)
        let blocks = drainConcurrentPool(pool)
        #expect(blocks.count == 40)
        #expect(blocks.allSatisfy { isAligned($0, to: alignment) })
        let regions = blocks.enumerated().map { FilledRegion(filling: $1, size: 24, byte: patternByte($0)) }
        expectIntactAndDisjoint(regions)
        for block in blocks.prefix(20) { try pool.deallocateBlock(block) }
        let again = try (0..<20).map { _ in try pool.allocate(Layout(size: 24, alignment: alignment)) }
        #expect(again.allSatisfy { isAligned($0, to: alignment) })
        #expect(Set(again) == Set(blocks.prefix(20)))
        for block in again + blocks.suffix(20) { try pool.deallocateBlock(block) }
        #expect(pool.usedBlockCount == 0)
    }

    @Test func blocksWhoseStrideIsNotAMultipleOfEightAreReused() async {
        // With blockSize 9 and alignment 1, blocks sit 9 bytes apart, so free-list links are
        // unaligned (run in a child process: it may trap).
        await #expect(processExitsWith: .success) {
            let pool = try ConcurrentPoolAllocator(blockSize: 9, blockAlignment: 1, blockCount: 64)
            var blocks: [UnsafeMutableRawPointer] = []
            for _ in 0..<64 { blocks.append(try pool.allocateBlock()) }
            precondition(Set(blocks).count == 64)
            for block in blocks { try pool.deallocateBlock(block) }
            var again: [UnsafeMutableRawPointer] = []
            for _ in 0..<64 { again.append(try pool.allocateBlock()) }
            precondition(Set(again) == Set(blocks), "the freed blocks were not reused")
            precondition(pool.usedBlockCount == 64)
        }
    }

    @Test func statisticsCountEveryOperation() throws {
        let pool = try ConcurrentPoolAllocator(blockSize: 32, blockCount: 32)
        let blocks = drainConcurrentPool(pool)
        #expect(blocks.count == 32)
        try pool.deallocateBlock(blocks[0])
        try pool.deallocateBlock(blocks[1])
        expectAllocError(.doubleFree) { try pool.deallocateBlock(blocks[1]) }
        #expect(
            pool.statistics
                == AllocatorStatistics(
                    allocations: 32, deallocations: 2, bytesInUse: 30 * 32, peakBytesInUse: 32 * 32,
                    failedAllocations: 1, failures: [.poolExhausted: 1], resets: 0,
                    sizeClasses: .init(requests: [32: 32])))
        pool.reset()
        _ = try pool.allocateBlock()
        #expect(
            pool.statistics
                == AllocatorStatistics(
                    allocations: 33, deallocations: 2, bytesInUse: 32, peakBytesInUse: 32 * 32, failedAllocations: 1,
                    failures: [.poolExhausted: 1], resets: 1, sizeClasses: .init(requests: [32: 33])))
    }

    @Test(arguments: [ConcurrentPoolAllocator.Configuration.default, .debug, .hardened])
    func racingFreesOfOneBlockLetExactlyOneSucceed(configuration: ConcurrentPoolAllocator.Configuration) throws {
        let rounds = 1000
        let pool = try ConcurrentPoolAllocator(blockSize: 32, blockCount: 2048, configuration: configuration)
        let addresses = try (0..<rounds).map { _ in Int(bitPattern: try pool.allocateBlock()) }
        let barrier = SpinBarrier(parties: 2)
        let outcomes = Deposits<[AllocError.Code?]>()
        runOnThreads(2) { thread in
            var mine: [AllocError.Code?] = []
            mine.reserveCapacity(rounds)
            for round in 0..<rounds {
                barrier.arriveAndWait(round: round)
                do throws(AllocError) {
                    try pool.deallocateBlock(UnsafeMutableRawPointer(bitPattern: addresses[round])!)
                    mine.append(nil)
                } catch {
                    mine.append(error.code)
                }
            }
            outcomes.store(mine, at: thread)
        }
        let both = outcomes.all
        try #require(both.count == 2)
        var badRounds = 0
        for round in 0..<rounds {
            let pair = [both[0][round], both[1][round]]
            if pair.filter({ $0 == nil }).count != 1 || pair.filter({ $0 == .doubleFree }).count != 1 {
                badRounds += 1
            }
        }
        #expect(badRounds == 0, "rounds without exactly one success and one ALLOC_DOUBLE_FREE")
        #expect(pool.usedBlockCount == 0)
        #expect(pool.freeBlockCount == 2048)
        #expect(pool.statistics?.deallocations == rounds)
        // Every block came back exactly once: one thread takes them all after a reset.
        pool.reset()
        #expect(drainConcurrentPool(pool).count == 2048)
    }

    @Test(arguments: [64, 12])
    func exhaustionUnderContentionIsAnErrorNeverALostBlock(blockCount: Int) async throws {
        let tasks = 8
        let attempts = 32
        let pool = try ConcurrentPoolAllocator(blockSize: 48, blockAlignment: 16, blockCount: blockCount)
        let harvests = await withTaskGroup(of: Harvest.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var harvest = Harvest(worker: task)
                    for _ in 0..<attempts {
                        do throws(AllocError) {
                            let block = try pool.allocateBlock()
                            stamp(block, size: 48, tag: blockTag(worker: task, index: harvest.addresses.count))
                            harvest.addresses.append(Int(bitPattern: block))
                        } catch {
                            harvest.errors.append(error.code)
                        }
                    }
                    return harvest
                }
            }
            return await group.reduce(into: [Harvest]()) { $0.append($1) }
        }
        let addresses = harvests.flatMap(\.addresses)
        let errors = harvests.flatMap(\.errors)
        #expect(addresses.count + errors.count == tasks * attempts)
        #expect(!errors.isEmpty)
        #expect(errors.allSatisfy { $0 == .poolExhausted })
        #expect(addresses.count <= blockCount)
        #expect(Set(addresses).count == addresses.count, "a block was handed out twice")
        #expect(addresses.allSatisfy { $0 % 16 == 0 })
        if blockCount < 32 {
            // No thread caches: every block is reachable from every thread.
            #expect(addresses.count == blockCount)
        }
        let statistics = try #require(pool.statistics)
        #expect(statistics.allocations == addresses.count)
        #expect(statistics.failedAllocations == errors.count)
        #expect(pool.usedBlockCount == addresses.count)
        // Each block still holds the tag of the task that got it, then goes back.
        var overwritten = 0
        for harvest in harvests {
            for (index, address) in harvest.addresses.enumerated() {
                let block = UnsafeMutableRawPointer(bitPattern: address)!
                if !holdsStamp(block, size: 48, tag: blockTag(worker: harvest.worker, index: index)) {
                    overwritten += 1
                }
                try pool.deallocateBlock(block)
            }
        }
        #expect(overwritten == 0)
        #expect(pool.usedBlockCount == 0)
        #expect(pool.freeBlockCount == blockCount)
        if blockCount < 32 {
            #expect(drainConcurrentPool(pool).count == blockCount)
        }
    }

    /// Blocks go to the depot and come back in magazines (from the thread's stripe, or
    /// borrowed from another stripe), blocks as small as a link included: every block comes
    /// back exactly once.
    @Test(arguments: [8, 64])
    func depotBatchesKeepEveryBlockOnce(blockSize: Int) throws {
        let blockCount = 4096
        let pool = try ConcurrentPoolAllocator(blockSize: blockSize, blockAlignment: 8, blockCount: blockCount)
        for round in 0..<3 {
            // Each round on fresh threads, so that refills come from stripes other threads filled.
            let taken = Locked<[UInt]>([])
            let holding = Atomic<Int>(0)
            runOnThreads(2) { _ in
                var mine: [UInt] = []
                while mine.count < blockCount / 2 - 600, let block = try? pool.allocateBlock() {
                    mine.append(UInt(bitPattern: block))
                }
                taken.withLock { $0 += mine }
                // Both threads hold their blocks at once before either frees one.
                holding.add(1, ordering: .sequentiallyConsistent)
                while holding.load(ordering: .sequentiallyConsistent) < 2 { sched_yield() }
                for block in mine { try? pool.deallocateBlock(UnsafeMutableRawPointer(bitPattern: block)!) }
            }
            let both = taken.withLock { $0 }
            #expect(both.count == 2 * (blockCount / 2 - 600), "round \(round)")
            #expect(Set(both).count == both.count, "round \(round): no block handed to two threads at once")
            #expect(pool.usedBlockCount == 0, "round \(round)")
        }
        // Blocks may wait in the exited threads' caches; all the others come back once each.
        let all = drainConcurrentPool(pool)
        #expect(all.count >= blockCount - 6 * 256)
        #expect(Set(all.map { UInt(bitPattern: $0) }).count == all.count)
    }
}
