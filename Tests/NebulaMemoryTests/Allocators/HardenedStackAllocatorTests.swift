import NebulaMemory
import Testing

@Suite("StackAllocator hardened mode")
struct HardenedStackAllocatorTests {
    private let canary = 8

    /// Pushes `size` bytes and returns the pointer and its offset from the stack's base.
    private func push(_ stack: StackAllocator, size: Int, alignment: Int = 8) throws
        -> (pointer: UnsafeMutableRawPointer, offset: Int)
    {
        let pointer = try stack.allocate(Layout(size: size, alignment: alignment))
        return (pointer, stack.used - size - canary)
    }

    @Test func presetEnablesHardenedModeOnly() {
        #expect(StackAllocator.Configuration.hardened.hardened)
        #expect(StackAllocator.Configuration.hardened.trackStatistics)
        #expect(!StackAllocator.Configuration.default.hardened)
        #expect(!StackAllocator.Configuration.debug.hardened)
        #expect(!StackAllocator.Configuration.performance.hardened)
    }

    @Test func eachAllocationTakesRoomForItsCanary() throws {
        let stack = try StackAllocator(capacity: 1024, configuration: .hardened)
        _ = try stack.allocate(Layout(size: 24, alignment: 8))
        #expect(stack.used == StackAllocator.headerSize + 24 + canary)
    }

    @Test func fullStackCountsTheCanary() throws {
        let stack = try StackAllocator(capacity: 64, configuration: .hardened)
        let room = 64 - StackAllocator.headerSize
        let before = StackSnapshot(stack)
        expectAllocError(.arenaExhausted) { try stack.allocate(Layout(size: room - canary + 1, alignment: 8)) }
        #expect(StackSnapshot(stack) == before.failingOnce())
        _ = try stack.allocate(Layout(size: room - canary, alignment: 8))
        #expect(stack.used == 64)
    }

    @Test func overrunOfTheTopFailsItsDeallocateAndChangesNothing() throws {
        let stack = try StackAllocator(capacity: 1024, configuration: .hardened)
        _ = try push(stack, size: 16)
        let (top, offset) = try push(stack, size: 30, alignment: 2)
        let layout = try Layout(size: 30, alignment: 2)
        let repair = corruptByte(top, at: 30)
        let before = StackSnapshot(stack)
        expectHeapCorruption(offset: offset, size: 30) { try stack.deallocate(top, layout: layout) }
        #expect(StackSnapshot(stack) == before)
        repair()
        try stack.deallocate(top, layout: layout)
        #expect(stack.used == before.used - StackAllocator.headerSize - 30 - canary)
    }

    @Test func overrunInsideAFrameFailsTheReleaseAndChangesNothing() throws {
        let stack = try StackAllocator(capacity: 4096, configuration: .hardened)
        let (below, belowOffset) = try push(stack, size: 40)
        let marker = stack.mark()
        let (damaged, offset) = try push(stack, size: 100, alignment: 4)
        _ = try push(stack, size: 12)
        _ = try push(stack, size: 64, alignment: 16)
        let repair = corruptByte(damaged, at: 100 + canary - 1)
        let before = StackSnapshot(stack)
        expectHeapCorruption(offset: offset, size: 100) { try stack.release(to: marker) }
        #expect(StackSnapshot(stack) == before)
        repair()
        // Damage below the marker is not part of the release.
        let repairBelow = corruptByte(below, at: 40)
        try stack.release(to: marker)
        #expect(stack.used == marker.used)
        expectHeapCorruption(offset: belowOffset, size: 40) { try stack.verifyIntegrity() }
        repairBelow()
        try stack.verifyIntegrity()
    }

    @Test func resetVerifyingReportsCorruptionAndChangesNothing() throws {
        let stack = try StackAllocator(capacity: 4096, configuration: .hardened)
        let (damaged, offset) = try push(stack, size: 0, alignment: 1)
        for size in [8, 17, 64] { _ = try push(stack, size: size) }
        let repair = corruptByte(damaged, at: 0)
        let before = StackSnapshot(stack)
        expectHeapCorruption(offset: offset, size: 0) { try stack.resetVerifying() }
        #expect(StackSnapshot(stack) == before)
        repair()
        try stack.resetVerifying()
        #expect(stack.used == 0)
        #expect(stack.statistics?.resets == 1)
    }

    @Test func overrunOfACreatedValueFailsItsDeallocate() throws {
        let stack = try StackAllocator(capacity: 4096, configuration: .hardened)
        let log = DeinitLog()
        let value = try stack.create(NamedValue(name: "frame", tracker: DeinitCounter(7, log: log)))
        let repair = corruptByte(UnsafeMutableRawPointer(value), at: MemoryLayout<NamedValue>.stride)
        value.deinitialize(count: 1)
        let before = StackSnapshot(stack)
        let error = expectAllocError(.invalidState) { try stack.deallocate(value) }
        #expect(error?.message.contains("heap corruption detected") == true)
        #expect(StackSnapshot(stack) == before)
        repair()
        try stack.deallocate(value)
        #expect(stack.used == 0)
        #expect(log.entries == [7])
    }

    @Test(arguments: [1, 2, 3])
    func intactCanariesNeverThrow(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let stack = try StackAllocator(capacity: 1 << 20, configuration: .hardened)
        let log = DeinitLog()
        for round in 0..<20 {
            var regions: [FilledRegion] = []
            var layouts: [Layout] = []
            var markers: [(marker: StackAllocator.Marker, regions: Int)] = []
            for step in 0..<100 {
                switch Int.random(in: 0..<8, using: &random) {
                case 0:
                    markers.append((stack.mark(), regions.count))
                case 1 where !markers.isEmpty:
                    let (marker, count) = markers.removeLast()
                    try stack.release(to: marker)
                    regions.removeLast(regions.count - count)
                    layouts.removeLast(layouts.count - count)
                case 2 where regions.count > (markers.last?.regions ?? 0):
                    try stack.deallocate(regions.removeLast().pointer, layout: layouts.removeLast())
                default:
                    let size = Int.random(in: 0...300, using: &random)
                    let layout = try Layout(size: size, alignment: 1 << Int.random(in: 0...6, using: &random))
                    let pointer = try stack.allocate(layout)
                    regions.append(FilledRegion(filling: pointer, size: size, byte: patternByte(step)))
                    layouts.append(layout)
                }
                try stack.verifyIntegrity()
            }
            expectIntactAndDisjoint(regions)
            _ = try stack.create(NamedValue(name: "\(round)", tracker: DeinitCounter(round, log: log)))
            try stack.withFrame { frame in
                let values = try frame.allocate(UInt32.self, count: 9)
                values.initialize(repeating: UInt32(round), count: 9)
            }
            if round.isMultiple(of: 2) { try stack.resetVerifying() } else { stack.reset() }
            #expect(stack.used == 0)
        }
        #expect(log.entries == Array(0..<20))
    }

    @Test func defaultConfigurationNeitherReservesNorChecks() throws {
        let stack = try StackAllocator(capacity: 1024)
        let pointer = try stack.allocate(Layout(size: 24, alignment: 8))
        #expect(stack.used == StackAllocator.headerSize + 24)
        pointer.storeBytes(of: 0xFF, toByteOffset: 24, as: UInt8.self)
        try stack.verifyIntegrity()
        try stack.deallocate(pointer, layout: Layout(size: 24, alignment: 8))
        try stack.resetVerifying()
        #expect(stack.used == 0)
    }

    @Test func aSizeThatCountsTheCanaryIsNotATopMatch() throws {
        let stack = try StackAllocator(capacity: 1024, configuration: .hardened)
        let (pointer, _) = try push(stack, size: 16)
        let used = stack.used
        expectAllocError(.invalidPointer) { try stack.deallocate(pointer, layout: Layout(size: 16 + canary)) }
        #expect(stack.used == used)
        try stack.deallocate(pointer, layout: Layout(size: 16))
        #expect(stack.used == 0)
    }
}
