import NebulaMemory
import Testing

/// What both pools do alike: their blocks, their state for snapshots, and their canaries.
protocol BlockPool: VerifiableAllocator {
    var blockSize: Int { get }
    var blockCount: Int { get }
    var freeBlockCount: Int { get }
    var usedBlockCount: Int { get }
    var statistics: AllocatorStatistics? { get }
    func allocateBlock() throws(AllocError) -> UnsafeMutableRawPointer
    func deallocateBlock(_ pointer: UnsafeMutableRawPointer) throws(AllocError)
}

/// The two pools, made alike from one ``PoolAllocator/Configuration``, for suites that run
/// on both.
enum BlockPoolKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case pool
    case concurrent

    var testDescription: String { rawValue }

    func make(
        blockSize: Int, blockAlignment: Int = 16, blockCount: Int, configuration: PoolAllocator.Configuration
    ) throws(AllocError) -> any BlockPool {
        switch self {
        case .pool:
            try PoolAllocator(
                blockSize: blockSize, blockAlignment: blockAlignment, blockCount: blockCount,
                configuration: configuration)
        case .concurrent:
            try ConcurrentPoolAllocator(
                blockSize: blockSize, blockAlignment: blockAlignment, blockCount: blockCount,
                configuration: .init(configuration))
        }
    }
}

extension PoolAllocator: BlockPool {}
extension ConcurrentPoolAllocator: BlockPool {}

/// What a pool exposes about its state, to check that a failed call changed nothing.
struct PoolSnapshot: Equatable {
    var blockCount: Int
    var freeBlockCount: Int
    var usedBlockCount: Int
    var statistics: AllocatorStatistics?

    init(_ pool: some BlockPool) {
        blockCount = pool.blockCount
        freeBlockCount = pool.freeBlockCount
        usedBlockCount = pool.usedBlockCount
        statistics = pool.statistics
    }

    /// The snapshot after one more failed allocation.
    func failingOnce(_ code: AllocError.Code = .poolExhausted) -> PoolSnapshot {
        var copy = self
        copy.statistics?.countFailure(code)
        return copy
    }
}

/// Allocates every block the pool can hand out and checks that they are aligned and distinct.
func drainPool(_ pool: PoolAllocator, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> [UnsafeMutableRawPointer]
{
    var blocks: [UnsafeMutableRawPointer] = []
    while pool.freeBlockCount > 0 {
        let block = try pool.allocateBlock()
        #expect(isAligned(block, to: pool.blockAlignment), sourceLocation: sourceLocation)
        blocks.append(block)
    }
    #expect(Set(blocks).count == blocks.count, "a block was handed out twice", sourceLocation: sourceLocation)
    let regions = blocks.enumerated().map { FilledRegion(filling: $1, size: pool.blockSize, byte: patternByte($0)) }
    expectIntactAndDisjoint(regions, sourceLocation: sourceLocation)
    return blocks
}

@Suite("PoolAllocator")
struct PoolAllocatorTests {
    @Test func newPoolHasEveryBlockFree() throws {
        let pool = try PoolAllocator(blockSize: 48, blockAlignment: 16, blockCount: 10)
        #expect(pool.blockSize == 48)
        #expect(pool.blockAlignment == 16)
        #expect(pool.blockCount == 10)
        #expect(pool.freeBlockCount == 10)
        #expect(pool.usedBlockCount == 0)
        #expect(pool.configuration == .default)
        #expect(pool.statistics == AllocatorStatistics())
    }

    @Test func countsFollowAllocationAndFree() throws {
        let pool = try PoolAllocator(blockSize: 32, blockCount: 4)
        let a = try pool.allocateBlock()
        let b = try pool.allocateBlock()
        #expect(a != b)
        #expect(pool.usedBlockCount == 2)
        #expect(pool.freeBlockCount == 2)
        try pool.deallocateBlock(a)
        #expect(pool.usedBlockCount == 1)
        #expect(pool.freeBlockCount == 3)
        #expect(pool.blockCount == 4)
    }

    @Test func exhaustionThrowsPoolExhaustedAndChangesNothing() throws {
        let pool = try PoolAllocator(blockSize: 32, blockCount: 4)
        let blocks = try drainPool(pool)
        #expect(blocks.count == 4)
        let before = PoolSnapshot(pool)
        let error = expectAllocError(.poolExhausted) { try pool.allocateBlock() }
        #expect(error?.allocatorKind == .pool)
        #expect(error?.used == 4 * 32)
        #expect(error?.available == 0)
        #expect(PoolSnapshot(pool) == before.failingOnce())
        expectAllocError(.poolExhausted) { try pool.allocate(Layout(size: 8, alignment: 8)) }
        #expect(pool.usedBlockCount == 4)
    }

    @Test func aFreedBlockIsReused() throws {
        let pool = try PoolAllocator(blockSize: 32, blockCount: 4)
        let blocks = try drainPool(pool)
        try pool.deallocateBlock(blocks[2])
        #expect(try pool.allocateBlock() == blocks[2])
        try pool.deallocateBlock(blocks[0])
        try pool.deallocateBlock(blocks[3])
        let reused = [try pool.allocateBlock(), try pool.allocateBlock()]
        #expect(Set(reused) == Set([blocks[0], blocks[3]]))
        #expect(pool.freeBlockCount == 0)
    }

    @Test func freedBlocksComeBackNewestFirst() throws {
        let pool = try PoolAllocator(blockSize: 32, blockCount: 8)
        let a = try pool.allocateBlock()
        let b = try pool.allocateBlock()
        let c = try pool.allocateBlock()
        try pool.deallocateBlock(a)
        try pool.deallocateBlock(b)
        try pool.deallocateBlock(c)
        #expect(try pool.allocateBlock() == c)
        #expect(try pool.allocateBlock() == b)
        #expect(try pool.allocateBlock() == a)
        #expect(pool.usedBlockCount == 3)
    }

    @Test func theMostRecentlyFreedBlockIsStillCheckedForDoubleFree() throws {
        let pool = try PoolAllocator(blockSize: 32, blockCount: 4)
        let a = try pool.allocateBlock()
        let b = try pool.allocateBlock()
        try pool.deallocateBlock(a)
        try pool.deallocateBlock(b)
        expectAllocError(.doubleFree) { try pool.deallocateBlock(b) }
        expectAllocError(.doubleFree) { try pool.deallocateBlock(a) }
        #expect(pool.freeBlockCount == 4)
        let handedOut = try (0..<4).map { _ in try pool.allocateBlock() }
        #expect(Set(handedOut).count == 4)
        expectAllocError(.poolExhausted) { try pool.allocateBlock() }
    }

    @Test func blocksFromBeforeAnyNumberOfResetsAreFree() throws {
        let pool = try PoolAllocator(blockSize: 32, blockCount: 4)
        for resets in [1, 254, 255, 256, 300, 511, 512] {
            pool.reset()
            let old = try pool.allocateBlock()
            for _ in 0..<resets { pool.reset() }
            expectAllocError(.doubleFree) { try pool.deallocateBlock(old) }
            let blocks = try (0..<4).map { _ in try pool.allocateBlock() }
            #expect(Set(blocks).count == 4)
            for block in blocks { try pool.deallocateBlock(block) }
            expectAllocError(.doubleFree) { try pool.deallocateBlock(blocks[0]) }
            #expect(pool.usedBlockCount == 0)
        }
    }

    @Test func resetForgetsFreedBlocksAndStartsOver() throws {
        let pool = try PoolAllocator(blockSize: 32, blockCount: 4)
        let first = try pool.allocateBlock()
        let second = try pool.allocateBlock()
        try pool.deallocateBlock(second)
        pool.reset()
        #expect(try pool.allocateBlock() == first)
        #expect(try pool.allocateBlock() == second)
        let rest = try (0..<2).map { _ in try pool.allocateBlock() }
        #expect(Set(rest + [first, second]).count == 4)
        expectAllocError(.poolExhausted) { try pool.allocateBlock() }
    }

    @Test(arguments: powerOfTwoAlignments)
    func everyBlockIsAligned(alignment: Int) throws {
        let pool = try PoolAllocator(blockSize: 24, blockAlignment: alignment, blockCount: 8)
        let blocks = try drainPool(pool)
        #expect(blocks.count == 8)
        try pool.deallocateBlock(blocks[5])
        let pointer = try pool.allocate(Layout(size: 24, alignment: alignment))
        #expect(isAligned(pointer, to: alignment))
    }

    @Test func blocksWhoseStrideIsNotAMultipleOfEightAreReused() async {
        // With blockSize 9 and alignment 1, blocks sit 9 bytes apart; freeing one and taking it
        // again reads the free list's link there (run in a child process: it may trap).
        await #expect(processExitsWith: .success) {
            let pool = try PoolAllocator(blockSize: 9, blockAlignment: 1, blockCount: 4)
            let first = try pool.allocateBlock()
            let second = try pool.allocateBlock()
            precondition(second != first)
            try pool.deallocateBlock(second)
            let again = try pool.allocateBlock()
            precondition(again == second, "the freed block was not reused")
            precondition(pool.usedBlockCount == 2)
        }
    }

    @Test func randomlySizedAllocationsNeverOverlap() throws {
        let pool = try PoolAllocator(blockSize: 200, blockAlignment: 8, blockCount: 64)
        var generator = SeededGenerator(seed: 0x9001)
        var regions: [FilledRegion] = []
        for index in 0..<64 {
            let size = Int.random(in: 0...200, using: &generator)
            let alignment = 1 << Int.random(in: 0...3, using: &generator)
            let pointer = try pool.allocate(Layout(size: size, alignment: alignment))
            regions.append(FilledRegion(filling: pointer, size: size, byte: patternByte(index)))
        }
        expectIntactAndDisjoint(regions)
    }

    @Test func layoutsThatDoNotFitABlockAreInvalidLayout() throws {
        let pool = try PoolAllocator(blockSize: 32, blockAlignment: 16, blockCount: 4)
        _ = try pool.allocateBlock()
        var expected = PoolSnapshot(pool)
        expectAllocError(.invalidLayout) { try pool.allocate(Layout(size: 33, alignment: 8)) }
        expectAllocError(.invalidLayout) { try pool.allocate(Layout(size: 8, alignment: 32)) }
        expectAllocError(.invalidLayout) { try pool.allocate(Int64.self, count: 5) }
        for _ in 0..<3 { expected.statistics?.countFailure(.invalidLayout) }
        #expect(PoolSnapshot(pool) == expected)
        let fits = try pool.allocate(Layout(size: 32, alignment: 16))
        #expect(isAligned(fits, to: 16))
    }

    @Test func deallocateWithALayoutThatNoBlockServesIsInvalidLayout() throws {
        let pool = try PoolAllocator(blockSize: 32, blockCount: 4)
        let block = try pool.allocateBlock()
        let before = PoolSnapshot(pool)
        expectAllocError(.invalidLayout) { try pool.deallocate(block, layout: Layout(size: 64, alignment: 8)) }
        #expect(PoolSnapshot(pool) == before)
        try pool.deallocate(block, layout: Layout(size: 32, alignment: 8))
        #expect(pool.usedBlockCount == 0)
    }

    // Block sizes that are multiples of their alignment, so the stride is the block size:
    // powers of two and other strides (the pool maps offsets to blocks differently for each).
    @Test(arguments: [(32, 16), (48, 16), (24, 8), (40, 8), (4096, 4096), (3 * 4096, 4096)])
    func foreignInteriorAndOutOfRangePointersAreInvalidPointer(blockSize: Int, alignment: Int) throws {
        let pool = try PoolAllocator(blockSize: blockSize, blockAlignment: alignment, blockCount: 4)
        let other = try PoolAllocator(blockSize: blockSize, blockAlignment: alignment, blockCount: 4)
        let blocks = try drainPool(pool).sorted()
        try #require(blocks[1] - blocks[0] == blockSize)
        let fromOther = try other.allocateBlock()
        let systemLayout = try Layout(size: blockSize, alignment: alignment)
        let fromSystem = try SystemAllocator.shared.allocate(systemLayout)
        defer { try? SystemAllocator.shared.deallocate(fromSystem, layout: systemLayout) }
        try pool.deallocateBlock(blocks[1])
        let before = PoolSnapshot(pool)
        expectAllocError(.invalidPointer) { try pool.deallocateBlock(fromOther) }
        expectAllocError(.invalidPointer) { try pool.deallocateBlock(fromSystem) }
        for offset in [1, 7, 8, 16, blockSize / 2, blockSize - 8, blockSize - 1] {
            expectAllocError(.invalidPointer) { try pool.deallocateBlock(blocks[0] + offset) }
            expectAllocError(.invalidPointer) { try pool.deallocateBlock(blocks[3] + offset) }
        }
        expectAllocError(.invalidPointer) { try pool.deallocateBlock(blocks[3] + blockSize) }  // one past the end
        expectAllocError(.invalidPointer) { try pool.deallocateBlock(blocks[0] - blockSize) }  // before the start
        #expect(PoolSnapshot(pool) == before)
        #expect(other.usedBlockCount == 1)
        // The pool still works: exactly the one freed block can be handed out, once.
        #expect(try drainPool(pool) == [blocks[1]])
        expectAllocError(.poolExhausted) { try pool.allocateBlock() }
        for block in blocks { try pool.deallocateBlock(block) }
        #expect(pool.usedBlockCount == 0)
    }

    @Test func everyInteriorPointerOfALargePoolIsRejected() throws {
        let pool = try PoolAllocator(blockSize: 48, blockAlignment: 16, blockCount: 1000)
        let blocks = try drainPool(pool).sorted()
        #expect(blocks.last! - blocks.first! == 999 * 48)
        let before = PoolSnapshot(pool)
        for block in [blocks[0], blocks[1], blocks[500], blocks[998], blocks[999]] {
            for offset in 1..<48 {
                expectAllocError(.invalidPointer) { try pool.deallocateBlock(block + offset) }
            }
        }
        #expect(PoolSnapshot(pool) == before)
        for block in blocks.reversed() { try pool.deallocateBlock(block) }
        #expect(pool.freeBlockCount == 1000)
    }

    @Test func doubleFreeIsDetectedAndChangesNothing() throws {
        let pool = try PoolAllocator(blockSize: 32, blockCount: 4)
        let a = try pool.allocateBlock()
        let b = try pool.allocateBlock()
        try pool.deallocateBlock(a)
        let before = PoolSnapshot(pool)
        let error = expectAllocError(.doubleFree) { try pool.deallocateBlock(a) }
        #expect(error?.allocatorKind == .pool)
        expectAllocError(.doubleFree) { try pool.deallocate(a, layout: Layout(size: 16, alignment: 8)) }
        #expect(PoolSnapshot(pool) == before)
        // Freed again after being handed out a second time.
        let again = try pool.allocateBlock()
        try pool.deallocateBlock(again)
        expectAllocError(.doubleFree) { try pool.deallocateBlock(again) }
        // The free list was not corrupted: three distinct blocks besides b.
        let rest = try drainPool(pool)
        #expect(rest.count == 3)
        #expect(!rest.contains(b))
        #expect(pool.usedBlockCount == 4)
    }

    @Test func growingPoolGrowsUpToItsLimit() throws {
        let pool = try PoolAllocator(
            blockSize: 32, blockCount: 4, configuration: .init(growth: .growing(maxBlockCount: 10)))
        var blocks = try drainPool(pool)
        #expect(pool.blockCount == 4)
        blocks.append(try pool.allocateBlock())
        #expect(pool.blockCount > 4)
        while pool.blockCount < 10 || pool.freeBlockCount > 0 {
            blocks.append(try pool.allocateBlock())
        }
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
    }

    @Test func resetFreesEveryBlock() throws {
        let pool = try PoolAllocator(blockSize: 64, blockCount: 8)
        let first = try drainPool(pool)
        try pool.deallocateBlock(first[3])
        pool.reset()
        #expect(pool.usedBlockCount == 0)
        #expect(pool.freeBlockCount == 8)
        let before = PoolSnapshot(pool)
        expectAllocError(.doubleFree) { try pool.deallocateBlock(first[0]) }
        #expect(PoolSnapshot(pool) == before)
        let second = try drainPool(pool)
        #expect(Set(second) == Set(first))
    }

    @Test func resetOfAGrownPoolReusesEveryBlockOnce() throws {
        let pool = try PoolAllocator(
            blockSize: 40, blockAlignment: 8, blockCount: 3, configuration: .init(growth: .growing(maxBlockCount: 20)))
        var first: [UnsafeMutableRawPointer] = []
        for _ in 0..<20 { first.append(try pool.allocateBlock()) }
        #expect(pool.blockCount == 20)
        pool.reset()
        #expect(pool.blockCount == 20)
        #expect(pool.freeBlockCount == 20)
        let second = try drainPool(pool)
        #expect(second.count == 20)
        #expect(Set(second) == Set(first))
        expectAllocError(.poolExhausted) { try pool.allocateBlock() }
        try pool.deallocateBlock(second[19])
        expectAllocError(.doubleFree) { try pool.deallocateBlock(second[19]) }
    }

    @Test(arguments: [
        (0, 16, 4, 4), (-1, 16, 4, 4), (32, 16, 0, 4), (32, 16, -1, 4), (32, 0, 4, 4), (32, 3, 4, 4),
        (32, 24, 4, 4), (32, 8192, 4, 4), (32, -16, 4, 4), (32, 16, 8, 7), (1 << 20, 16, 1 << 13, 1 << 13),
        (1 << 32, 16, 1, 1),
    ])
    func invalidConfigurationsAreRejected(blockSize: Int, alignment: Int, count: Int, maxBlockCount: Int) {
        let growth: PoolAllocator.Configuration.Growth =
            maxBlockCount == count ? .fixed : .growing(maxBlockCount: maxBlockCount)
        expectAllocError(.invalidConfiguration) {
            try PoolAllocator(
                blockSize: blockSize, blockAlignment: alignment, blockCount: count, configuration: .init(growth: growth)
            )
        }
    }

    @Test func typedHelpersUseWholeBlocks() throws {
        let pool = try PoolAllocator(blockSize: 64, blockAlignment: 16, blockCount: 4)
        let values = try pool.allocate(Int64.self, count: 8)
        values.initialize(from: Array(100..<108), count: 8)
        let vector = try pool.create(Aligned16(vector: [1, 2, 3, 4]))
        #expect(isAligned(vector, to: 16))
        #expect(Array(UnsafeBufferPointer(start: values, count: 8)) == Array(100..<108))
        #expect(vector.pointee.vector == [1, 2, 3, 4])
        #expect(pool.usedBlockCount == 2)
        try pool.deallocate(values, count: 8)
        vector.deinitialize(count: 1)
        try pool.deallocate(vector)
        #expect(pool.usedBlockCount == 0)
        expectAllocError(.invalidLayout) { try pool.allocate(Int64.self, count: 9) }
    }

    @Test func debugConfigurationFillsFreshAndFreedBlocks() throws {
        let pool = try PoolAllocator(blockSize: 64, blockCount: 4, configuration: .debug)
        let a = try pool.allocateBlock()
        let b = try pool.allocateBlock()
        #expect(allBytes(a, count: 64, equal: 0xCD))
        #expect(allBytes(b, count: 64, equal: 0xCD))
        a.initializeMemory(as: UInt8.self, repeating: 0x11, count: 64)
        b.initializeMemory(as: UInt8.self, repeating: 0x22, count: 64)
        try pool.deallocateBlock(a)
        // The first 16 bytes of a free block hold the free list's link.
        #expect(allBytes(a + 16, count: 48, equal: 0xDD))
        #expect(allBytes(b, count: 64, equal: 0x22))
        let reused = try pool.allocateBlock()
        #expect(reused == a)
        #expect(allBytes(reused, count: 64, equal: 0xCD))
        pool.reset()
        #expect(allBytes(a, count: 64, equal: 0xDD))
        #expect(allBytes(b, count: 64, equal: 0xDD))
        #expect(pool.statistics != nil)
    }

    @Test func statisticsCountEveryOperation() throws {
        let pool = try PoolAllocator(blockSize: 32, blockCount: 4)
        let blocks = try drainPool(pool)
        expectAllocError(.poolExhausted) { try pool.allocateBlock() }
        try pool.deallocateBlock(blocks[0])
        try pool.deallocateBlock(blocks[1])
        expectAllocError(.doubleFree) { try pool.deallocateBlock(blocks[1]) }
        #expect(
            pool.statistics
                == AllocatorStatistics(
                    allocations: 4, deallocations: 2, bytesInUse: 64, peakBytesInUse: 128, failedAllocations: 1,
                    failures: [.poolExhausted: 1], resets: 0, sizeClasses: .init(requests: [32: 4])))
        pool.reset()
        _ = try pool.allocateBlock()
        #expect(
            pool.statistics
                == AllocatorStatistics(
                    allocations: 5, deallocations: 2, bytesInUse: 32, peakBytesInUse: 128, failedAllocations: 1,
                    failures: [.poolExhausted: 1], resets: 1, sizeClasses: .init(requests: [32: 5])))
    }

    @Test func performanceConfigurationWorksForValidUse() throws {
        let pool = try PoolAllocator(
            blockSize: 32, blockAlignment: 32, blockCount: 8, configuration: .performance)
        #expect(pool.statistics == nil)
        let blocks = try drainPool(pool)
        #expect(blocks.count == 8)
        expectAllocError(.poolExhausted) { try pool.allocateBlock() }
        for block in blocks.reversed() { try pool.deallocateBlock(block) }
        #expect(pool.usedBlockCount == 0)
        #expect(Set(try drainPool(pool)) == Set(blocks))
        pool.reset()
        #expect(Set(try drainPool(pool)) == Set(blocks))
        #expect(pool.statistics == nil)
    }

    /// The peak follows the most blocks in use at once through reuse, growth into a second
    /// slab, and resets, in every free path (first slab, later slab, odd stride).
    @Test(arguments: [32, 48])
    func peakFollowsReuseGrowthAndResets(blockSize: Int) throws {
        let pool = try PoolAllocator(
            blockSize: blockSize, blockCount: 4, configuration: .init(growth: .growing(maxBlockCount: 16)))
        func peak() -> Int? { pool.statistics.map { $0.peakBytesInUse / blockSize } }
        var held = try (0..<3).map { _ in try pool.allocateBlock() }
        try pool.deallocateBlock(held.removeLast())
        try pool.deallocateBlock(held.removeLast())
        held += try (0..<2).map { _ in try pool.allocateBlock() }
        #expect(peak() == 3, "reused blocks raise no peak")
        held += try (0..<3).map { _ in try pool.allocateBlock() }
        #expect(pool.blockCount == 8 && pool.usedBlockCount == 6 && peak() == 6)
        for block in held.reversed() { try pool.deallocateBlock(block) }
        #expect(pool.usedBlockCount == 0 && peak() == 6)
        held = try (0..<7).map { _ in try pool.allocateBlock() }
        #expect(peak() == 7)
        pool.reset()
        #expect(pool.usedBlockCount == 0 && peak() == 7)
        held = try (0..<2).map { _ in try pool.allocateBlock() }
        try pool.deallocateBlock(held[1])
        expectAllocError(.doubleFree) { try pool.deallocateBlock(held[1]) }
        #expect(peak() == 7)
        let statistics = try #require(pool.statistics)
        #expect(statistics.allocations == 3 + 2 + 3 + 7 + 2)
        #expect(statistics.deallocations == 2 + 6 + 1)
        #expect(statistics.bytesInUse == blockSize)
    }
}
