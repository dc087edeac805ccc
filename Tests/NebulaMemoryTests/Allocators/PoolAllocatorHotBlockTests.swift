import NebulaMemory
import Testing

/// The most recently freed block stays out of the free list (and keeps its live mark); the
/// pool must behave exactly as if it were on the list.
@Suite("PoolAllocator hot block")
struct PoolAllocatorHotBlockTests {
    @Test(arguments: [PoolAllocator.Configuration.default, .performance])
    func freeingTheHotBlockAgainIsDoubleFreeAndChangesNothing(configuration: PoolAllocator.Configuration) throws {
        let pool = try PoolAllocator(blockSize: 64, blockCount: 8, configuration: configuration)
        let a = try pool.allocateBlock()
        try pool.deallocateBlock(a)
        let before = PoolSnapshot(pool)
        expectAllocError(.doubleFree) { try pool.deallocateBlock(a) }
        #expect(PoolSnapshot(pool) == before)
        #expect(try pool.allocateBlock() == a)
    }

    @Test func aBlockFreedBeforeTheHotOneIsDoubleFreeToo() throws {
        let pool = try PoolAllocator(blockSize: 64, blockCount: 8)
        let a = try pool.allocateBlock()
        let b = try pool.allocateBlock()
        try pool.deallocateBlock(a)
        try pool.deallocateBlock(b)
        let before = PoolSnapshot(pool)
        expectAllocError(.doubleFree) { try pool.deallocateBlock(a) }
        expectAllocError(.doubleFree) { try pool.deallocateBlock(b) }
        #expect(PoolSnapshot(pool) == before)
        #expect(try pool.allocateBlock() == b)
        #expect(try pool.allocateBlock() == a)
    }

    @Test func laterSlabsAndForeignPointersWhileABlockIsHot() throws {
        let pool = try PoolAllocator(
            blockSize: 64, blockCount: 2, configuration: .init(growth: .growing(maxBlockCount: 8)))
        let first = [try pool.allocateBlock(), try pool.allocateBlock()]
        let later = try pool.allocateBlock()  // from a second slab
        try pool.deallocateBlock(first[0])  // hot
        try pool.deallocateBlock(later)  // a later slab's block demotes the hot one
        var outside = 0
        let before = PoolSnapshot(pool)
        _ = withUnsafeMutableBytes(of: &outside) { bytes in
            expectAllocError(.invalidPointer) { try pool.deallocateBlock(bytes.baseAddress!) }
        }
        expectAllocError(.invalidPointer) { try pool.deallocateBlock(first[1] + 1) }
        expectAllocError(.doubleFree) { try pool.deallocateBlock(later) }
        expectAllocError(.doubleFree) { try pool.deallocateBlock(first[0]) }
        #expect(PoolSnapshot(pool) == before)
        try pool.deallocateBlock(first[1])
        #expect(pool.usedBlockCount == 0)
    }

    @Test func countsAndStatisticsIncludeTheHotBlock() throws {
        let pool = try PoolAllocator(blockSize: 32, blockCount: 4)
        let a = try pool.allocateBlock()
        let b = try pool.allocateBlock()
        #expect(pool.usedBlockCount == 2)
        try pool.deallocateBlock(b)
        #expect(pool.usedBlockCount == 1)
        #expect(pool.freeBlockCount == 3)
        for _ in 0..<5 {
            let c = try pool.allocateBlock()
            #expect(c == b)
            try pool.deallocateBlock(c)
        }
        #expect(
            pool.statistics
                == AllocatorStatistics(
                    allocations: 7, deallocations: 6, bytesInUse: 32, peakBytesInUse: 64, failedAllocations: 0,
                    resets: 0, sizeClasses: .init(requests: [32: 7])))
        pool.reset()
        #expect(pool.usedBlockCount == 0)
        #expect(
            pool.statistics
                == AllocatorStatistics(
                    allocations: 7, deallocations: 6, bytesInUse: 0, peakBytesInUse: 64, failedAllocations: 0,
                    resets: 1, sizeClasses: .init(requests: [32: 7])))
        expectAllocError(.doubleFree) { try pool.deallocateBlock(a) }
    }

    @Test func aHotBlockFromBeforeAResetIsNotHandedOutTwice() throws {
        let pool = try PoolAllocator(blockSize: 32, blockCount: 2)
        let a = try pool.allocateBlock()
        try pool.deallocateBlock(a)
        pool.reset()
        let first = try pool.allocateBlock()
        let second = try pool.allocateBlock()
        #expect(first != second)
        expectAllocError(.poolExhausted) { try pool.allocateBlock() }
    }
}
