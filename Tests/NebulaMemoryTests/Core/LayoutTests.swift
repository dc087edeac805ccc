import NebulaMemory
import Testing

@Suite("Layout")
struct LayoutTests {
    @Test func storesSizeAndAlignment() throws {
        let layout = try Layout(size: 48, alignment: 16)
        #expect(layout.size == 48)
        #expect(layout.alignment == 16)
    }

    @Test func defaultAlignmentIsEight() throws {
        let layout = try Layout(size: 3)
        #expect(layout.alignment == 8)
        #expect(layout.size == 3)
    }

    @Test func zeroSizeIsAllowed() throws {
        let layout = try Layout(size: 0, alignment: 64)
        #expect(layout.size == 0)
        #expect(layout.paddedSize == 0)
    }

    @Test func maximumAlignmentIsOnePage() {
        #expect(Layout.maximumAlignment == 4096)
    }

    @Test(arguments: [-1, -8, -4096, Int.min])
    func negativeSizeIsInvalidLayout(size: Int) {
        let error = expectAllocError(.invalidLayout) { try Layout(size: size, alignment: 8) }
        #expect(error?.notes.contains("size: \(size)") == true)
    }

    @Test(arguments: [0, 3, 24, -8, 8192, 6, 12, 4095, 4097, 1 << 20, Int.min, Int.max])
    func badAlignmentIsRejected(alignment: Int) {
        let error = expectAllocError(.invalidAlignment) { try Layout(size: 8, alignment: alignment) }
        #expect(error?.message.contains("\(alignment)") == true)
    }

    @Test(arguments: powerOfTwoAlignments)
    func acceptsEveryPowerOfTwoAlignment(alignment: Int) throws {
        let layout = try Layout(size: 1, alignment: alignment)
        #expect(layout.alignment == alignment)
        #expect(layout.size == 1)
        #expect(layout.paddedSize == alignment)
    }

    @Test func sizeThatOverflowsWhenRoundedUpIsSizeOverflow() {
        expectAllocError(.sizeOverflow) { try Layout(size: Int.max, alignment: 16) }
        expectAllocError(.sizeOverflow) { try Layout(size: Int.max - 14, alignment: 16) }
        expectAllocError(.sizeOverflow) { try Layout(size: Int.max - 4094, alignment: 4096) }
    }

    @Test func largestSizesThatStillRoundUpAreAccepted() throws {
        #expect(try Layout(size: Int.max, alignment: 1).paddedSize == Int.max)
        #expect(try Layout(size: Int.max - 15, alignment: 16).paddedSize == Int.max - 15)
        #expect(try Layout(size: Int.max - 4095, alignment: 4096).paddedSize == Int.max - 4095)
    }

    @Test func ofTypeUsesStrideAndAlignment() throws {
        #expect(Layout.of(Int64.self) == (try Layout(size: 8, alignment: 8)))
        #expect(Layout.of(UInt8.self) == (try Layout(size: 1, alignment: 1)))
        #expect(Layout.of(UInt16.self) == (try Layout(size: 2, alignment: 2)))
        #expect(Layout.of(PaddedPOD.self) == (try Layout(size: 16, alignment: 8)))
        #expect(Layout.of(PaddedPOD.self) == (try Layout.array(of: PaddedPOD.self, count: 1)))
        #expect(Layout.of(Aligned16.self) == (try Layout(size: 16, alignment: 16)))
        #expect(Layout.of(Void.self) == (try Layout(size: 1, alignment: 1)))
        #expect(Layout.of(DeinitCounter.self) == (try Layout(size: 8, alignment: 8)))
    }

    @Test func arrayUsesStrideTimesCount() throws {
        let bytes = try Layout.array(of: UInt8.self, count: 4096)
        #expect(bytes.size == 4096)
        #expect(bytes.alignment == 1)
        let padded = try Layout.array(of: PaddedPOD.self, count: 3)
        #expect(padded.size == 48)
        #expect(padded.alignment == 8)
        let vectors = try Layout.array(of: Aligned16.self, count: 5)
        #expect(vectors.size == 80)
        #expect(vectors.alignment == 16)
    }

    @Test func arrayOfZeroElementsIsEmpty() throws {
        let layout = try Layout.array(of: Int64.self, count: 0)
        #expect(layout.size == 0)
        #expect(layout.alignment == 8)
    }

    @Test(arguments: [-1, -100, Int.min])
    func arrayWithNegativeCountIsInvalidLayout(count: Int) {
        let error = expectAllocError(.invalidLayout) { try Layout.array(of: Int64.self, count: count) }
        #expect(error?.notes.contains("count: \(count)") == true)
    }

    @Test func arrayThatOverflowsIsSizeOverflow() {
        expectAllocError(.sizeOverflow) { try Layout.array(of: Int64.self, count: Int.max / 2) }
        expectAllocError(.sizeOverflow) { try Layout.array(of: Int64.self, count: Int.max) }
        expectAllocError(.sizeOverflow) { try Layout.array(of: Aligned16.self, count: Int.max / 16 + 1) }
    }

    @Test func largestArraysThatFitAreAccepted() throws {
        #expect(try Layout.array(of: UInt8.self, count: Int.max).size == Int.max)
        let vectors = try Layout.array(of: Aligned16.self, count: Int.max / 16)
        #expect(vectors.size == Int.max - 15)
        #expect(vectors.paddedSize == Int.max - 15)
    }

    @Test(arguments: [
        (0, 8, 0), (1, 8, 8), (8, 8, 8), (9, 8, 16), (17, 16, 32), (13, 4096, 4096), (4097, 4096, 8192),
        (5, 1, 5),
    ])
    func paddedSizeRoundsUpToTheAlignment(size: Int, alignment: Int, padded: Int) throws {
        #expect(try Layout(size: size, alignment: alignment).paddedSize == padded)
    }

    @Test func descriptionShowsSizeAndAlignment() throws {
        #expect(try Layout(size: 64, alignment: 8).description == "64 bytes, alignment 8")
        #expect(try Layout(size: 0, alignment: 4096).description == "0 bytes, alignment 4096")
        #expect("\(try Layout(size: 3, alignment: 1))" == "3 bytes, alignment 1")
    }

    @Test func equalityAndHashingUseSizeAndAlignment() throws {
        let a = try Layout(size: 8, alignment: 8)
        let b = try Layout(size: 8, alignment: 8)
        #expect(a == b)
        #expect(a != (try Layout(size: 8, alignment: 16)))
        #expect(a != (try Layout(size: 16, alignment: 8)))
        #expect(Set([a, b, try Layout(size: 8, alignment: 16)]).count == 2)
    }
}
