import NebulaMemory
import Testing

/// A free of the top allocation is applied lazily; nothing a caller can observe may depend on
/// whether it was applied yet.
@Suite("StackAllocator freed top")
struct StackAllocatorFreedTopTests {
    /// Runs `steps` on a stack that reads `used` after every step (which applies nothing but
    /// reads the settled state) and on one that does not, and returns both address lists.
    private func addresses(_ steps: [(size: Int, alignment: Int, free: Bool)]) throws -> [[Int]] {
        var results: [[Int]] = []
        for observe in [false, true] {
            let stack = try StackAllocator(capacity: 4096)
            let base = Int(bitPattern: try stack.allocate(Layout(size: 3, alignment: 1)))
            var live: [(UnsafeMutableRawPointer, Layout)] = []
            var seen: [Int] = []
            for step in steps {
                if step.free, let (pointer, layout) = live.popLast() {
                    try stack.deallocate(pointer, layout: layout)
                } else {
                    let layout = try Layout(size: step.size, alignment: step.alignment)
                    let pointer = try stack.allocate(layout)
                    live.append((pointer, layout))
                    seen.append(Int(bitPattern: pointer) - base)
                }
                if observe { _ = stack.used }
            }
            results.append(seen)
        }
        return results
    }

    @Test func reusingAFreedTopGivesTheAddressAPopWouldHaveGiven() throws {
        // A 16-aligned top freed, then a less aligned allocation: it must start where a stack
        // that popped at once would put it, below the freed block's padding.
        let runs = try addresses([
            (16, 16, false), (16, 16, true), (16, 8, false), (16, 8, true), (40, 1, false), (40, 1, true),
            (8, 64, false), (24, 32, false), (24, 32, true), (8, 8, false),
        ])
        #expect(runs[0] == runs[1])
        let fresh = try StackAllocator(capacity: 4096)
        let first = Int(bitPattern: try fresh.allocate(Layout(size: 3, alignment: 1)))
        let a = Int(bitPattern: try fresh.allocate(Layout(size: 16, alignment: 16)))
        try fresh.deallocate(UnsafeMutableRawPointer(bitPattern: a)!, layout: Layout(size: 16, alignment: 16))
        let b = Int(bitPattern: try fresh.allocate(Layout(size: 16, alignment: 8)))
        #expect(b - first == runs[0][1])
        #expect(b < a)
    }

    @Test func aFreedTopIsReusedInPlaceWhenItFits() throws {
        let stack = try StackAllocator(capacity: 1024)
        let layout = try Layout(size: 64, alignment: 8)
        let a = try stack.allocate(layout)
        let used = stack.used
        try stack.deallocate(a, layout: layout)
        #expect(stack.used == 0)
        let b = try stack.allocate(layout)
        #expect(b == a)
        #expect(stack.used == used)
        let bigger = try Layout(size: 128, alignment: 8)
        try stack.deallocate(b, layout: layout)
        let c = try stack.allocate(bigger)
        #expect(c == a)
        #expect(stack.used == used + 64)
    }

    @Test func freeingAFreedTopAgainIsInvalidPointerAndChangesNothing() throws {
        let stack = try StackAllocator(capacity: 1024)
        let layout = try Layout(size: 32, alignment: 8)
        let a = try stack.allocate(layout)
        try stack.deallocate(a, layout: layout)
        let before = StackSnapshot(stack)
        expectAllocError(.invalidPointer) { try stack.deallocate(a, layout: layout) }
        #expect(StackSnapshot(stack) == before)
        #expect(try stack.allocate(layout) == a)
    }

    @Test func aMarkerAboveAFreedTopIsStaleEvenWhenTheBlockIsReused() throws {
        let stack = try StackAllocator(capacity: 1024)
        let layout = try Layout(size: 32, alignment: 8)
        let a = try stack.allocate(layout)
        let marker = stack.mark()
        try stack.deallocate(a, layout: layout)
        _ = try stack.allocate(layout)
        expectAllocError(.invalidState) { try stack.release(to: marker) }
    }

    @Test func aMarkerBelowAFreedTopStaysValid() throws {
        let stack = try StackAllocator(capacity: 1024)
        let layout = try Layout(size: 32, alignment: 8)
        let marker = stack.mark()
        let a = try stack.allocate(layout)
        try stack.deallocate(a, layout: layout)
        #expect(try stack.allocate(layout) == a)
        try stack.release(to: marker)
        #expect(stack.used == 0)
    }

    @Test func statisticsCountReusedAllocationsAndKeepThePeak() throws {
        let stack = try StackAllocator(capacity: 1024)
        let small = try Layout(size: 16, alignment: 8)
        let large = try Layout(size: 256, alignment: 8)
        let a = try stack.allocate(small)
        try stack.deallocate(a, layout: small)
        let b = try stack.allocate(large)
        let peak = stack.used
        try stack.deallocate(b, layout: large)
        let c = try stack.allocate(small)
        #expect(
            stack.statistics
                == AllocatorStatistics(
                    allocations: 3, deallocations: 2, bytesInUse: stack.used, peakBytesInUse: peak,
                    failedAllocations: 0, resets: 0, sizeClasses: .init(requests: [16: 2, 256: 1])))
        try stack.deallocate(c, layout: small)
        stack.reset()
        #expect(
            stack.statistics
                == AllocatorStatistics(
                    allocations: 3, deallocations: 3, bytesInUse: 0, peakBytesInUse: peak, failedAllocations: 0,
                    resets: 1, sizeClasses: .init(requests: [16: 2, 256: 1])))
    }

    @Test func aFreedTopThatDoesNotFitIsPoppedFirst() throws {
        let stack = try StackAllocator(capacity: 256)
        let layout = try Layout(size: 64, alignment: 8)
        let a = try stack.allocate(layout)
        try stack.deallocate(a, layout: layout)
        let before = StackSnapshot(stack)
        expectAllocError(.arenaExhausted) { try stack.allocate(Layout(size: 300, alignment: 8)) }
        #expect(StackSnapshot(stack) == before.failingOnce())
        #expect(try stack.allocate(layout) == a)
    }
}
