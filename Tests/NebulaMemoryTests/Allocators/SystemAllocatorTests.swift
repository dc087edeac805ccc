import NebulaMemory
import Testing

@Suite("SystemAllocator")
struct SystemAllocatorTests {
    private let system = SystemAllocator.shared

    @Test func sharedIsOneInstance() {
        #expect(SystemAllocator.shared === system)
    }

    @Test(arguments: powerOfTwoAlignments)
    func everyPointerIsAligned(alignment: Int) throws {
        var allocations: [(UnsafeMutableRawPointer, Layout)] = []
        for size in [1, 7, 24, alignment, alignment * 3 + 1] {
            let layout = try Layout(size: size, alignment: alignment)
            let pointer = try system.allocate(layout)
            #expect(isAligned(pointer, to: alignment), "\(pointer) for size \(size)")
            allocations.append((pointer, layout))
        }
        let regions = allocations.enumerated().map {
            FilledRegion(filling: $1.0, size: $1.1.size, byte: patternByte($0))
        }
        expectIntactAndDisjoint(regions)
        for (pointer, layout) in allocations { try system.deallocate(pointer, layout: layout) }
    }

    @Test func hugeRequestIsOutOfMemory() throws {
        let layout = try Layout(size: Int.max - 4096, alignment: 1)
        let error = expectAllocError(.outOfMemory) { try system.allocate(layout) }
        #expect(error?.layout == layout)
        #expect(error?.allocatorKind == .system)
        #expect(error?.severity == .critical)
        let aligned = try Layout(size: Int.max - 8191, alignment: 4096)
        expectAllocError(.outOfMemory) { try system.allocate(aligned) }
    }

    @Test func zeroSizeReturnsAUniqueUsablePointer() throws {
        let layout = try Layout(size: 0, alignment: 8)
        let a = try system.allocate(layout)
        let b = try system.allocate(layout)
        #expect(a != b)
        #expect(isAligned(a, to: 8))
        try system.deallocate(a, layout: layout)
        try system.deallocate(b, layout: layout)
        let aligned = try Layout(size: 0, alignment: 256)
        let c = try system.allocate(aligned)
        #expect(isAligned(c, to: 256))
        try system.deallocate(c, layout: aligned)
    }

    @Test func randomlySizedAllocationsNeverOverlap() throws {
        var generator = SeededGenerator(seed: 0x5757)
        var regions: [FilledRegion] = []
        var layouts: [Layout] = []
        for index in 0..<200 {
            let layout = try Layout(
                size: Int.random(in: 1...2000, using: &generator),
                alignment: 1 << Int.random(in: 0...8, using: &generator))
            let pointer = try system.allocate(layout)
            #expect(isAligned(pointer, to: layout.alignment))
            regions.append(FilledRegion(filling: pointer, size: layout.size, byte: patternByte(index)))
            layouts.append(layout)
        }
        expectIntactAndDisjoint(regions)
        for (region, layout) in zip(regions, layouts) { try system.deallocate(region.pointer, layout: layout) }
    }

    @Test func typedHelpersAllocateCreateAndDeallocate() throws {
        let values = try system.allocate(Int64.self, count: 16)
        values.initialize(from: Array(0..<16), count: 16)
        #expect(Array(UnsafeBufferPointer(start: values, count: 16)) == Array(0..<16))
        try system.deallocate(values, count: 16)

        let log = DeinitLog()
        let object = try system.create(DeinitCounter(1, log: log))
        #expect(object.pointee.id == 1)
        let padded = try system.create(PaddedPOD(value: 3, flag: true))
        #expect(padded.pointee == PaddedPOD(value: 3, flag: true))
        let vector = try system.create(Aligned16(vector: [1, 1, 2, 3]))
        #expect(isAligned(vector, to: 16))
        // The system allocator does not track values: the caller deinitializes.
        #expect(log.entries.isEmpty)
        object.deinitialize(count: 1)
        #expect(log.entries == [1])
        try system.deallocate(object)
        try system.deallocate(padded)
        try system.deallocate(vector)

        expectAllocError(.invalidLayout) { try system.allocate(Int64.self, count: -1) }
        expectAllocError(.sizeOverflow) { try system.allocate(Int64.self, count: Int.max / 4) }
    }
}
