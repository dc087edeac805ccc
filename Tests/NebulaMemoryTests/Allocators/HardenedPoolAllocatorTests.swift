import NebulaMemory
import Testing

@Suite("Pools in hardened mode")
struct HardenedPoolAllocatorTests {
    @Test func presetEnablesHardenedModeOnly() {
        #expect(PoolAllocator.Configuration.hardened.hardened)
        #expect(PoolAllocator.Configuration.hardened.validatePointers)
        #expect(PoolAllocator.Configuration.hardened.trackStatistics)
        #expect(!PoolAllocator.Configuration.default.hardened)
        #expect(!PoolAllocator.Configuration.debug.hardened)
        #expect(!PoolAllocator.Configuration.performance.hardened)
        for preset in [PoolAllocator.Configuration.default, .debug, .performance, .hardened] {
            let concurrent = ConcurrentPoolAllocator.Configuration(preset)
            #expect(concurrent.hardened == preset.hardened && concurrent.debugFill == preset.debugFill)
            #expect(concurrent.validatePointers == preset.validatePointers)
            #expect(concurrent.trackStatistics == preset.trackStatistics && concurrent.growth == preset.growth)
        }
        #expect(ConcurrentPoolAllocator.Configuration.hardened == .init(PoolAllocator.Configuration.hardened))
        #expect(ConcurrentPoolAllocator.Configuration.performance == .init(PoolAllocator.Configuration.performance))
    }

    @Test(arguments: BlockPoolKind.allCases, [(32, 16, 48), (24, 8, 32), (1, 1, 9), (64, 64, 128)])
    func strideGrowsByTheCanaryAndBlockSizeStaysAsAsked(
        kind: BlockPoolKind, geometry: (blockSize: Int, alignment: Int, stride: Int)
    ) throws {
        let (blockSize, alignment, stride) = geometry
        let pool = try kind.make(
            blockSize: blockSize, blockAlignment: alignment, blockCount: 4, configuration: .hardened)
        #expect(pool.blockSize == blockSize)
        let first = try pool.allocateBlock()
        let second = try pool.allocateBlock()
        #expect(second - first == stride)
        #expect(pool.statistics?.bytesInUse == 2 * blockSize)
    }

    @Test(arguments: BlockPoolKind.allCases)
    func overrunFailsTheBlocksDeallocateAndChangesNothing(kind: BlockPoolKind) throws {
        let pool = try kind.make(blockSize: 40, blockAlignment: 8, blockCount: 8, configuration: .hardened)
        let first = try pool.allocateBlock()
        let damaged = try pool.allocateBlock()
        _ = try pool.allocateBlock()
        let repair = corruptByte(damaged, at: 40)
        let before = PoolSnapshot(pool)
        let error = expectHeapCorruption(offset: damaged - first, size: 40) { try pool.deallocateBlock(damaged) }
        #expect(error?.notes.contains { $0.hasPrefix("block 1 of slab 0") } == true)
        expectHeapCorruption(offset: damaged - first, size: 40) {
            try pool.deallocate(damaged, layout: Layout(size: 40, alignment: 8))
        }
        #expect(PoolSnapshot(pool) == before)
        repair()
        try pool.deallocateBlock(damaged)
        #expect(pool.usedBlockCount == 2)
        // The block is free now: a second free is a double free, not corruption.
        expectAllocError(.doubleFree) { try pool.deallocateBlock(damaged) }
    }

    @Test(arguments: BlockPoolKind.allCases)
    func resetVerifyingReportsCorruptionAndChangesNothing(kind: BlockPoolKind) throws {
        let pool = try kind.make(
            blockSize: 16, blockAlignment: 16, blockCount: 2,
            configuration: .init(growth: .growing(maxBlockCount: 64), hardened: true))
        let blocks = try (0..<10).map { _ in try pool.allocateBlock() }
        // The second block of the fourth slab (2 + 2 + 4 blocks before it).
        let damaged = blocks[9]
        try pool.deallocateBlock(blocks[3])
        let repair = corruptByte(damaged, at: 16 + 3)
        let before = PoolSnapshot(pool)
        expectHeapCorruption(offset: 32, size: 16) { try pool.resetVerifying() }
        expectHeapCorruption(offset: 32, size: 16) { try pool.verifyIntegrity() }
        #expect(PoolSnapshot(pool) == before)
        repair()
        try pool.resetVerifying()
        #expect(pool.usedBlockCount == 0)
        #expect(pool.statistics?.resets == 1)
    }

    @Test(arguments: BlockPoolKind.allCases)
    func damagedFreeBlocksAreNotReported(kind: BlockPoolKind) throws {
        let pool = try kind.make(blockSize: 32, blockCount: 4, configuration: .hardened)
        let block = try pool.allocateBlock()
        try pool.deallocateBlock(block)
        // A free block's canary belongs to no one; writing there is a use after free, which
        // hardened mode does not claim to catch.
        _ = corruptByte(block, at: 32)
        try pool.verifyIntegrity()
        try pool.resetVerifying()
    }

    @Test(arguments: BlockPoolKind.allCases)
    func hardenedModeValidatesPointersEvenWhenToldNotTo(kind: BlockPoolKind) throws {
        let pool = try kind.make(
            blockSize: 32, blockCount: 4, configuration: .init(validatePointers: false, hardened: true))
        let block = try pool.allocateBlock()
        try pool.deallocateBlock(block)
        let before = PoolSnapshot(pool)
        expectAllocError(.doubleFree) { try pool.deallocateBlock(block) }
        #expect(PoolSnapshot(pool) == before)
    }

    @Test(arguments: BlockPoolKind.allCases, [1, 2, 3])
    func intactCanariesNeverThrow(kind: BlockPoolKind, seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let pool = try kind.make(
            blockSize: 24, blockAlignment: 8, blockCount: 16,
            configuration: .init(growth: .growing(maxBlockCount: 4096), hardened: true))
        for round in 0..<20 {
            var regions: [FilledRegion] = []
            for step in 0..<200 {
                if !regions.isEmpty, Int.random(in: 0..<3, using: &random) == 0 {
                    let index = Int.random(in: 0..<regions.count, using: &random)
                    try pool.deallocateBlock(regions.remove(at: index).pointer)
                } else {
                    regions.append(FilledRegion(filling: try pool.allocateBlock(), size: 24, byte: patternByte(step)))
                }
                if step.isMultiple(of: 10) { try pool.verifyIntegrity() }
            }
            expectIntactAndDisjoint(regions)
            #expect(pool.usedBlockCount == regions.count)
            if round.isMultiple(of: 2) { try pool.resetVerifying() } else { try pool.reset() }
        }
        #expect(pool.statistics?.resets == 20)
    }

    @Test(arguments: BlockPoolKind.allCases)
    func defaultConfigurationNeitherReservesNorChecks(kind: BlockPoolKind) throws {
        let pool = try kind.make(blockSize: 32, blockAlignment: 16, blockCount: 4, configuration: .default)
        let first = try pool.allocateBlock()
        let second = try pool.allocateBlock()
        #expect(second - first == 32)
        first.storeBytes(of: 0xFF, toByteOffset: 32, as: UInt8.self)
        try pool.verifyIntegrity()
        try pool.deallocateBlock(first)
        try pool.resetVerifying()
        #expect(pool.usedBlockCount == 0)
    }
}
