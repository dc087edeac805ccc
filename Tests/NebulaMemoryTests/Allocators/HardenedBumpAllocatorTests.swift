import NebulaMemory
import Testing

@Suite("BumpAllocator hardened mode")
struct HardenedBumpAllocatorTests {
    private let canary = 8

    /// Allocates `size` bytes and returns the pointer and its offset from the arena's base.
    private func allocate(_ arena: BumpAllocator, size: Int, alignment: Int = 8) throws
        -> (pointer: UnsafeMutableRawPointer, offset: Int)
    {
        let pointer = try arena.allocate(Layout(size: size, alignment: alignment))
        return (pointer, arena.used - size - canary)
    }

    @Test func presetEnablesHardenedModeOnly() {
        #expect(BumpAllocator.Configuration.hardened.hardened)
        #expect(BumpAllocator.Configuration.hardened.trackStatistics)
        #expect(!BumpAllocator.Configuration.hardened.debugFill)
        #expect(!BumpAllocator.Configuration.default.hardened)
        #expect(!BumpAllocator.Configuration.performance.hardened)
        #expect(!BumpAllocator.Configuration.debug.hardened)
    }

    @Test func eachAllocationTakesRoomForItsCanary() throws {
        let arena = try BumpAllocator(capacity: 1024, configuration: .hardened)
        let first = try arena.allocate(Layout(size: 24, alignment: 8))
        #expect(arena.used == 24 + canary)
        let second = try arena.allocate(Layout(size: 5, alignment: 1))
        #expect(second - first == 24 + canary)
        #expect(arena.used == 24 + canary + 5 + canary)
    }

    @Test func overrunOfTheNewestAllocationFailsItsDeallocateAndChangesNothing() throws {
        let arena = try BumpAllocator(capacity: 1024, configuration: .hardened)
        _ = try allocate(arena, size: 24)
        let (pointer, offset) = try allocate(arena, size: 40)
        let layout = try Layout(size: 40, alignment: 8)
        let repair = corruptByte(pointer, at: 40)
        let before = BumpSnapshot(arena)
        expectHeapCorruption(offset: offset, size: 40) { try arena.deallocate(pointer, layout: layout) }
        #expect(BumpSnapshot(arena) == before)
        repair()
        try arena.deallocate(pointer, layout: layout)
        #expect(arena.used == offset)
    }

    @Test func overrunOfAnOlderAllocationFailsItsDeallocate() throws {
        let arena = try BumpAllocator(capacity: 1024, configuration: .hardened)
        let (older, offset) = try allocate(arena, size: 13, alignment: 1)
        _ = try allocate(arena, size: 32)
        let repair = corruptByte(older, at: 13)
        let before = BumpSnapshot(arena)
        expectHeapCorruption(offset: offset, size: 13) {
            try arena.deallocate(older, layout: Layout(size: 13, alignment: 1))
        }
        #expect(BumpSnapshot(arena) == before)
        repair()
        try arena.deallocate(older, layout: Layout(size: 13, alignment: 1))
    }

    @Test func everyByteOfTheCanaryIsChecked() throws {
        let arena = try BumpAllocator(capacity: 1024, configuration: .hardened)
        let (pointer, offset) = try allocate(arena, size: 16)
        for byte in 16..<16 + canary {
            let repair = corruptByte(pointer, at: byte)
            expectHeapCorruption(offset: offset, size: 16) { try arena.verifyIntegrity() }
            repair()
            try arena.verifyIntegrity()
        }
    }

    @Test func overrunInsideARestoredRangeFailsTheRestoreAndChangesNothing() throws {
        let arena = try BumpAllocator(capacity: 4096, configuration: .hardened)
        _ = try allocate(arena, size: 64)
        let point = arena.checkpoint()
        let (damaged, offset) = try allocate(arena, size: 100, alignment: 4)
        _ = try allocate(arena, size: 200)
        let repair = corruptByte(damaged, at: 100)
        let before = BumpSnapshot(arena)
        expectHeapCorruption(offset: offset, size: 100) { try arena.restore(to: point) }
        #expect(BumpSnapshot(arena) == before)
        repair()
        try arena.restore(to: point)
        #expect(arena.used == point.used)
    }

    @Test func restoreChecksOnlyWhatItRollsBack() throws {
        let arena = try BumpAllocator(capacity: 4096, configuration: .hardened)
        let (kept, offset) = try allocate(arena, size: 48)
        let point = arena.checkpoint()
        _ = try allocate(arena, size: 16)
        let repair = corruptByte(kept, at: 48)
        try arena.restore(to: point)
        expectHeapCorruption(offset: offset, size: 48) { try arena.verifyIntegrity() }
        repair()
    }

    @Test func resetVerifyingReportsCorruptionAndChangesNothing() throws {
        let arena = try BumpAllocator(capacity: 4096, configuration: .hardened)
        for size in [8, 24, 33] { _ = try allocate(arena, size: size) }
        let (damaged, offset) = try allocate(arena, size: 7, alignment: 1)
        _ = try allocate(arena, size: 64)
        let repair = corruptByte(damaged, at: 7)
        let before = BumpSnapshot(arena)
        expectHeapCorruption(offset: offset, size: 7) { try arena.resetVerifying() }
        expectHeapCorruption(offset: offset, size: 7) { try arena.verifyIntegrity() }
        #expect(BumpSnapshot(arena) == before)
        repair()
        try arena.resetVerifying()
        #expect(arena.used == 0)
        #expect(arena.statistics?.resets == 1)
    }

    @Test func offsetsCountAcrossChunks() throws {
        let arena = try BumpAllocator(
            capacity: 256,
            configuration: .init(growth: .chunked(chunkSize: 256, maxCapacity: 4096), hardened: true))
        _ = try allocate(arena, size: 200)
        let (pointer, offset) = try allocate(arena, size: 100)
        #expect(offset >= 256)
        let repair = corruptByte(pointer, at: 100)
        expectHeapCorruption(offset: offset, size: 100) { try arena.resetVerifying() }
        repair()
        try arena.resetVerifying()
    }

    @Test func overrunOfACreatedValueFailsItsDeallocate() throws {
        let arena = try BumpAllocator(capacity: 4096, configuration: .hardened)
        let log = DeinitLog()
        let value = try arena.create(NamedValue(name: "node", tracker: DeinitCounter(1, log: log)))
        let end = UnsafeMutableRawPointer(value) + MemoryLayout<NamedValue>.stride
        let repair = corruptByte(end, at: 0)
        let before = BumpSnapshot(arena)
        #expect(throws: AllocError.self) { try arena.verifyIntegrity() }
        value.deinitialize(count: 1)
        let error = expectAllocError(.invalidState) { try arena.deallocate(value) }
        #expect(error?.message.contains("heap corruption detected") == true)
        #expect(BumpSnapshot(arena) == before)
        repair()
        try arena.deallocate(value)
        #expect(log.entries == [1])
        arena.reset()
        #expect(log.entries == [1])
    }

    @Test(arguments: [1, 2, 3])
    func intactCanariesNeverThrow(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let arena = try BumpAllocator(
            capacity: 4096,
            configuration: .init(growth: .chunked(chunkSize: 4096, maxCapacity: 1 << 22), hardened: true))
        let log = DeinitLog()
        for round in 0..<20 {
            var regions: [FilledRegion] = []
            var layouts: [Layout] = []
            var points: [BumpAllocator.Checkpoint] = []
            for step in 0..<100 {
                switch Int.random(in: 0..<10, using: &random) {
                case 0:
                    points.append(arena.checkpoint())
                case 1 where !points.isEmpty:
                    try arena.restore(to: points.removeLast())
                    regions.removeAll()
                    layouts.removeAll()
                case 2 where !regions.isEmpty:
                    try arena.deallocate(regions.removeLast().pointer, layout: layouts.removeLast())
                case 3 where regions.count > 1:
                    // An older allocation: accepted, and left in place.
                    let index = Int.random(in: 0..<regions.count - 1, using: &random)
                    try arena.deallocate(regions.remove(at: index).pointer, layout: layouts.remove(at: index))
                case 4:
                    _ = try arena.create(NamedValue(name: "\(step)", tracker: DeinitCounter(step, log: log)))
                default:
                    let size = Int.random(in: 0...600, using: &random)
                    let layout = try Layout(size: size, alignment: 1 << Int.random(in: 0...6, using: &random))
                    let pointer = try arena.allocate(layout)
                    // Every byte of the allocation written, none after it.
                    regions.append(FilledRegion(filling: pointer, size: size, byte: patternByte(step)))
                    layouts.append(layout)
                }
                try arena.verifyIntegrity()
            }
            expectIntactAndDisjoint(regions)
            try arena.withScope { scratch in
                let values = try scratch.allocate(UInt64.self, count: 32)
                values.initialize(repeating: UInt64(round), count: 32)
            }
            if round.isMultiple(of: 2) { try arena.resetVerifying() } else { arena.reset() }
            #expect(arena.used == 0)
        }
        #expect(arena.statistics?.resets == 20)
    }

    @Test func defaultConfigurationNeitherReservesNorChecks() throws {
        let arena = try BumpAllocator(capacity: 1024)
        let first = try arena.allocate(Layout(size: 24, alignment: 8))
        let second = try arena.allocate(Layout(size: 24, alignment: 8))
        #expect(second - first == 24)
        #expect(arena.used == 48)
        // What hardened mode would call an overrun is another allocation's memory here.
        first.storeBytes(of: 0xFF, toByteOffset: 24, as: UInt8.self)
        try arena.verifyIntegrity()
        try arena.deallocate(second, layout: Layout(size: 24, alignment: 8))
        try arena.resetVerifying()
        #expect(arena.used == 0)
    }

    @Test func newestAllocationFreedWithALargerAlignmentIsInvalid() throws {
        let arena = try BumpAllocator(capacity: 256, configuration: .hardened)
        let one = try Layout(size: 1, alignment: 1)
        var newest = try arena.allocate(one)
        if Int(bitPattern: newest) % 2 == 0 { newest = try arena.allocate(one) }
        let used = arena.used
        expectAllocError(.invalidPointer) { try arena.deallocate(newest, layout: Layout(size: 1, alignment: 2)) }
        #expect(arena.used == used)
        try arena.deallocate(newest, layout: one)
        #expect(arena.used < used)
    }
}
