import NebulaMemory
import Testing

/// What a stack exposes about its state, to check that a failed call changed nothing.
struct StackSnapshot: Equatable {
    var capacity: Int
    var used: Int
    var available: Int
    var statistics: AllocatorStatistics?

    init(_ stack: StackAllocator) {
        capacity = stack.capacity
        used = stack.used
        available = stack.available
        statistics = stack.statistics
    }

    /// The snapshot after one more failed allocation.
    func failingOnce(_ code: AllocError.Code = .arenaExhausted) -> StackSnapshot {
        var copy = self
        copy.statistics?.countFailure(code)
        return copy
    }
}

@Suite("StackAllocator")
struct StackAllocatorTests {
    private let header = StackAllocator.headerSize

    @Test func newStackIsEmpty() throws {
        let stack = try StackAllocator(capacity: 1024)
        #expect(stack.capacity == 1024)
        #expect(stack.used == 0)
        #expect(stack.available == 1024)
        #expect(stack.configuration == .default)
        #expect(stack.statistics == AllocatorStatistics())
        #expect(header > 0)
    }

    @Test func allocationsArePoppedInLIFOOrder() throws {
        let stack = try StackAllocator(capacity: 1024)
        let layoutA = try Layout(size: 24, alignment: 8)
        let layoutB = try Layout(size: 8, alignment: 8)
        let a = try stack.allocate(layoutA)
        let usedAfterA = stack.used
        #expect(usedAfterA == header + 24)
        let b = try stack.allocate(layoutB)
        #expect(stack.used == usedAfterA + header + 8)
        #expect(stack.available == 1024 - stack.used)
        let regions = [FilledRegion(filling: a, size: 24, byte: 0xA1), FilledRegion(filling: b, size: 8, byte: 0xB2)]
        expectIntactAndDisjoint(regions)
        try stack.deallocate(b, layout: layoutB)
        #expect(stack.used == usedAfterA)
        try stack.deallocate(a, layout: layoutA)
        #expect(stack.used == 0)
        #expect(try stack.allocate(layoutA) == a)
    }

    @Test func deallocatingBelowTheTopIsALIFOViolation() throws {
        let stack = try StackAllocator(capacity: 1024)
        let layout = try Layout(size: 32, alignment: 8)
        let a = try stack.allocate(layout)
        let b = try stack.allocate(layout)
        _ = try stack.allocate(layout)
        let before = StackSnapshot(stack)
        let error = expectAllocError(.lifoViolation) { try stack.deallocate(a, layout: layout) }
        #expect(error?.allocatorKind == .stack)
        #expect(error?.used == before.used)
        expectAllocError(.lifoViolation) { try stack.deallocate(b, layout: layout) }
        #expect(StackSnapshot(stack) == before)
    }

    @Test func wrongSizeForTheTopIsInvalidPointer() throws {
        let stack = try StackAllocator(capacity: 1024)
        let top = try stack.allocate(Layout(size: 32, alignment: 8))
        let before = StackSnapshot(stack)
        expectAllocError(.invalidPointer) { try stack.deallocate(top, layout: Layout(size: 16, alignment: 8)) }
        expectAllocError(.invalidPointer) { try stack.deallocate(top, layout: Layout(size: 48, alignment: 8)) }
        #expect(StackSnapshot(stack) == before)
        try stack.deallocate(top, layout: Layout(size: 32, alignment: 8))
        #expect(stack.used == 0)
    }

    @Test func foreignPointersAreInvalidPointer() throws {
        let stack = try StackAllocator(capacity: 1024)
        let other = try StackAllocator(capacity: 1024)
        let layout = try Layout(size: 32, alignment: 8)
        _ = try stack.allocate(layout)
        let fromOther = try other.allocate(layout)
        let fromSystem = try SystemAllocator.shared.allocate(layout)
        defer { try? SystemAllocator.shared.deallocate(fromSystem, layout: layout) }
        let before = StackSnapshot(stack)
        expectAllocError(.invalidPointer) { try stack.deallocate(fromOther, layout: layout) }
        expectAllocError(.invalidPointer) { try stack.deallocate(fromSystem, layout: layout) }
        #expect(StackSnapshot(stack) == before)
        #expect(other.used == before.used)
    }

    @Test func freeingTheFormerTopAgainIsAnErrorAndChangesNothing() throws {
        let stack = try StackAllocator(capacity: 1024)
        let layout = try Layout(size: 32, alignment: 8)
        let a = try stack.allocate(layout)
        let b = try stack.allocate(layout)
        try stack.deallocate(b, layout: layout)
        let before = StackSnapshot(stack)
        expectAllocError(.invalidPointer) { try stack.deallocate(b, layout: layout) }
        #expect(StackSnapshot(stack) == before)
        try stack.deallocate(a, layout: layout)
        expectAllocError(.invalidPointer) { try stack.deallocate(a, layout: layout) }
        #expect(stack.used == 0)
    }

    @Test func exhaustionThrowsArenaExhaustedAndChangesNothing() throws {
        let stack = try StackAllocator(capacity: 128)
        _ = try stack.allocate(Layout(size: 48, alignment: 8))
        let before = StackSnapshot(stack)
        let error = expectAllocError(.arenaExhausted) {
            try stack.allocate(Layout(size: 128 - before.used, alignment: 1))
        }
        #expect(error?.allocatorKind == .stack)
        #expect(error?.capacity == 128)
        #expect(error?.used == before.used)
        #expect(error?.available == 128 - before.used)
        #expect(StackSnapshot(stack) == before.failingOnce())
        // What is left minus the header still fits.
        _ = try stack.allocate(Layout(size: 128 - before.used - header, alignment: 1))
        #expect(stack.used == 128)
        #expect(stack.available == 0)
    }

    @Test(arguments: powerOfTwoAlignments)
    func everyPointerIsAligned(alignment: Int) throws {
        let stack = try StackAllocator(capacity: 1 << 16)
        for size in [1, 3, 17, alignment + 1] {
            _ = try stack.allocate(Layout(size: 1, alignment: 1))
            let pointer = try stack.allocate(Layout(size: size, alignment: alignment))
            #expect(isAligned(pointer, to: alignment), "\(pointer) for size \(size)")
        }
    }

    @Test func randomlySizedAllocationsNeverOverlap() throws {
        let stack = try StackAllocator(capacity: 1 << 17)
        var generator = SeededGenerator(seed: 0x57AC)
        var regions: [FilledRegion] = []
        for index in 0..<200 {
            let layout = try Layout(
                size: Int.random(in: 0...300, using: &generator),
                alignment: 1 << Int.random(in: 0...6, using: &generator))
            let pointer = try stack.allocate(layout)
            #expect(isAligned(pointer, to: layout.alignment))
            regions.append(FilledRegion(filling: pointer, size: layout.size, byte: patternByte(index)))
        }
        expectIntactAndDisjoint(regions)
        stack.reset()
        #expect(stack.used == 0)
    }

    @Test func randomlySizedAllocationsPopInReverseOrder() throws {
        let stack = try StackAllocator(capacity: 1 << 17)
        var generator = SeededGenerator(seed: 0x9090)
        var allocations: [(pointer: UnsafeMutableRawPointer, layout: Layout, used: Int)] = []
        for _ in 0..<200 {
            let usedBefore = stack.used
            let layout = try Layout(
                size: Int.random(in: 0...300, using: &generator),
                alignment: 1 << Int.random(in: 3...6, using: &generator))
            allocations.append((try stack.allocate(layout), layout, usedBefore))
        }
        for allocation in allocations.reversed() {
            try stack.deallocate(allocation.pointer, layout: allocation.layout)
            #expect(stack.used == allocation.used)
        }
        #expect(stack.used == 0)
    }

    @Test func poppingAnAllocationLessAlignedThanItsHeader() async {
        // Alignments below 8 put the header below the allocation at an address that is not a
        // multiple of 8; popping must still work (run in a child process: it may trap).
        await #expect(processExitsWith: .success) {
            let stack = try StackAllocator(capacity: 256)
            let layout = try Layout(size: 1, alignment: 1)
            _ = try stack.allocate(layout)
            let usedBefore = stack.used
            let top = try stack.allocate(layout)
            try stack.deallocate(top, layout: layout)
            precondition(stack.used == usedBefore, "the pop did not restore the previous top")
            let odd = try stack.allocate(Layout(size: 2, alignment: 2))
            try stack.deallocate(odd, layout: Layout(size: 2, alignment: 2))
            precondition(stack.used == usedBefore, "the pop did not restore the previous top")
        }
    }

    @Test func typedHelpersAllocateCreateAndDeallocate() throws {
        let stack = try StackAllocator(capacity: 1024)
        let values = try stack.allocate(Int64.self, count: 6)
        #expect(isAligned(values, to: 8))
        values.initialize(from: Array(10..<16), count: 6)
        let vector = try stack.create(Aligned16(vector: [4, 3, 2, 1]))
        #expect(isAligned(vector, to: 16))
        #expect(vector.pointee.vector == [4, 3, 2, 1])
        #expect(Array(UnsafeBufferPointer(start: values, count: 6)) == Array(10..<16))
        try stack.deallocate(vector)
        try stack.deallocate(values, count: 6)
        #expect(stack.used == 0)
        let before = StackSnapshot(stack)
        expectAllocError(.invalidLayout) { try stack.allocate(Int64.self, count: -1) }
        expectAllocError(.sizeOverflow) { try stack.allocate(Int64.self, count: Int.max / 2) }
        #expect(StackSnapshot(stack) == before)
    }

    @Test func typedDeallocateOfACreatedTrivialValueWhoseSizeIsNotItsStride() throws {
        let stack = try StackAllocator(capacity: 1024)
        let padded = try stack.create(PaddedPOD(value: 9, flag: true))
        #expect(padded.pointee == PaddedPOD(value: 9, flag: true))
        #expect(throws: Never.self) { try stack.deallocate(padded) }
        #expect(stack.used == 0)
    }

    @Test(arguments: [0, -1, Int.min, 1 << 48, Int.max])
    func outOfRangeCapacityIsInvalidConfiguration(capacity: Int) {
        expectAllocError(.invalidConfiguration) { try StackAllocator(capacity: capacity) }
    }

    @Test func debugConfigurationFillsFreshAndReleasedMemory() throws {
        let stack = try StackAllocator(capacity: 512, configuration: .debug)
        let kept = try stack.allocate(Layout(size: 32, alignment: 8))
        #expect(allBytes(kept, count: 32, equal: 0xCD))
        kept.initializeMemory(as: UInt8.self, repeating: 0x11, count: 32)
        let top = try stack.allocate(Layout(size: 64, alignment: 16))
        #expect(allBytes(top, count: 64, equal: 0xCD))
        top.initializeMemory(as: UInt8.self, repeating: 0x22, count: 64)
        try stack.deallocate(top, layout: Layout(size: 64, alignment: 16))
        #expect(allBytes(top, count: 64, equal: 0xDD))
        #expect(allBytes(kept, count: 32, equal: 0x11))
        let marker = stack.mark()
        let framed = try stack.allocate(Layout(size: 16, alignment: 8))
        framed.initializeMemory(as: UInt8.self, repeating: 0x33, count: 16)
        try stack.release(to: marker)
        #expect(allBytes(framed, count: 16, equal: 0xDD))
        stack.reset()
        #expect(allBytes(kept, count: 32, equal: 0xDD))
    }

    @Test func statisticsCountEveryOperation() throws {
        let stack = try StackAllocator(capacity: 256)
        let layout = try Layout(size: 40, alignment: 8)
        let a = try stack.allocate(layout)
        let b = try stack.allocate(layout)
        let peak = stack.used
        expectAllocError(.lifoViolation) { try stack.deallocate(a, layout: layout) }
        try stack.deallocate(b, layout: layout)
        expectAllocError(.invalidPointer) { try stack.deallocate(b, layout: layout) }
        expectAllocError(.arenaExhausted) { try stack.allocate(Layout(size: 512, alignment: 8)) }
        #expect(
            stack.statistics
                == AllocatorStatistics(
                    allocations: 2, deallocations: 1, bytesInUse: stack.used, peakBytesInUse: peak,
                    failedAllocations: 1, failures: [.arenaExhausted: 1], resets: 0,
                    sizeClasses: .init(requests: [40: 2])))
        #expect(stack.used == header + 40)
        try stack.deallocate(a, layout: layout)
        _ = try stack.allocate(layout)
        stack.reset()
        #expect(
            stack.statistics
                == AllocatorStatistics(
                    allocations: 3, deallocations: 2, bytesInUse: 0, peakBytesInUse: peak, failedAllocations: 1,
                    failures: [.arenaExhausted: 1], resets: 1, sizeClasses: .init(requests: [40: 3])))
    }

    @Test func performanceConfigurationHasNoStatisticsButWorks() throws {
        let stack = try StackAllocator(capacity: 128, configuration: .performance)
        #expect(stack.statistics == nil)
        let layout = try Layout(size: 32, alignment: 8)
        let a = try stack.allocate(layout)
        let b = try stack.allocate(layout)
        expectAllocError(.lifoViolation) { try stack.deallocate(a, layout: layout) }
        try stack.deallocate(b, layout: layout)
        try stack.deallocate(a, layout: layout)
        #expect(stack.used == 0)
        #expect(stack.statistics == nil)
    }
}
