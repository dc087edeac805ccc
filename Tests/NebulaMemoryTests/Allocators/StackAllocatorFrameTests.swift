import NebulaMemory
import Testing

@Suite("StackAllocator markers, frames and values")
struct StackAllocatorFrameTests {
    // MARK: Markers

    @Test func releaseToAMarkerPopsEverythingAfterIt() throws {
        let stack = try StackAllocator(capacity: 1024)
        _ = try stack.allocate(Layout(size: 20, alignment: 4))
        let marker = stack.mark()
        #expect(marker.used == stack.used)
        let first = try stack.allocate(Layout(size: 64, alignment: 16))
        _ = try stack.allocate(Layout(size: 100, alignment: 8))
        try stack.release(to: marker)
        #expect(stack.used == marker.used)
        #expect(try stack.allocate(Layout(size: 64, alignment: 16)) == first)
        // The allocation below the marker is the top again and can be popped.
        try stack.release(to: marker)
        let last = try stack.allocate(Layout(size: 8, alignment: 8))
        try stack.deallocate(last, layout: Layout(size: 8, alignment: 8))
        #expect(stack.used == marker.used)
    }

    @Test func nestedMarkersReleaseInnermostFirst() throws {
        let stack = try StackAllocator(capacity: 1024)
        let outer = stack.mark()
        _ = try stack.allocate(Layout(size: 32, alignment: 8))
        let inner = stack.mark()
        _ = try stack.allocate(Layout(size: 32, alignment: 8))
        try stack.release(to: inner)
        #expect(stack.used == inner.used)
        try stack.release(to: inner)
        try stack.release(to: outer)
        #expect(stack.used == 0)
    }

    @Test func markerOfAnotherStackIsInvalidState() throws {
        let stack = try StackAllocator(capacity: 1024)
        let other = try StackAllocator(capacity: 1024)
        let foreign = other.mark()
        _ = try stack.allocate(Layout(size: 32, alignment: 8))
        let before = StackSnapshot(stack)
        expectAllocError(.invalidState) { try stack.release(to: foreign) }
        #expect(StackSnapshot(stack) == before)
    }

    @Test func markerAboveTheTopIsALIFOViolation() throws {
        let stack = try StackAllocator(capacity: 1024)
        let first = stack.mark()
        _ = try stack.allocate(Layout(size: 64, alignment: 8))
        let second = stack.mark()
        try stack.release(to: first)
        let before = StackSnapshot(stack)
        expectAllocError(.lifoViolation) { try stack.release(to: second) }
        #expect(StackSnapshot(stack) == before)
        #expect(stack.used == 0)
    }

    @Test func staleMarkerBelowTheTopIsInvalidState() throws {
        let stack = try StackAllocator(capacity: 1024)
        let base = stack.mark()
        _ = try stack.allocate(Layout(size: 32, alignment: 8))
        let stale = stack.mark()
        try stack.release(to: base)
        _ = try stack.allocate(Layout(size: 200, alignment: 8))  // beyond the stale marker again
        #expect(stack.used > stale.used)
        let before = StackSnapshot(stack)
        expectAllocError(.invalidState) { try stack.release(to: stale) }
        #expect(StackSnapshot(stack) == before)
    }

    @Test func poppingBelowAMarkerInvalidatesIt() throws {
        let stack = try StackAllocator(capacity: 1024)
        let layout = try Layout(size: 32, alignment: 8)
        let a = try stack.allocate(layout)
        let marker = stack.mark()
        try stack.deallocate(a, layout: layout)
        _ = try stack.allocate(Layout(size: 300, alignment: 8))
        let before = StackSnapshot(stack)
        expectAllocError(.invalidState) { try stack.release(to: marker) }
        #expect(StackSnapshot(stack) == before)
    }

    @Test func poppingAboveAMarkerKeepsItValid() throws {
        let stack = try StackAllocator(capacity: 1024)
        let layout = try Layout(size: 32, alignment: 8)
        _ = try stack.allocate(layout)
        let marker = stack.mark()
        let b = try stack.allocate(layout)
        try stack.deallocate(b, layout: layout)
        _ = try stack.allocate(layout)
        try stack.release(to: marker)
        #expect(stack.used == marker.used)
    }

    @Test func resetInvalidatesEveryMarker() throws {
        let stack = try StackAllocator(capacity: 1024)
        _ = try stack.allocate(Layout(size: 32, alignment: 8))
        let marker = stack.mark()
        stack.reset()
        #expect(stack.used == 0)
        #expect(stack.available == 1024)
        _ = try stack.allocate(Layout(size: 200, alignment: 8))
        let before = StackSnapshot(stack)
        expectAllocError(.invalidState) { try stack.release(to: marker) }
        #expect(StackSnapshot(stack) == before)
    }

    // MARK: Frames

    @Test func withFramePopsOnNormalExitAndReturnsTheBodysValue() throws {
        let stack = try StackAllocator(capacity: 1024)
        _ = try stack.allocate(Layout(size: 16, alignment: 8))
        let usedBefore = stack.used
        let sum = try stack.withFrame { frame in
            let values = try frame.allocate(Int.self, count: 8)
            values.initialize(repeating: 3, count: 8)
            #expect(frame.used > usedBefore)
            return UnsafeBufferPointer(start: values, count: 8).reduce(0, +)
        }
        #expect(sum == 24)
        #expect(stack.used == usedBefore)
    }

    @Test func withFramePopsWhenTheBodyThrowsAndRethrowsItsTypedError() throws {
        let stack = try StackAllocator(capacity: 1024)
        do {
            try stack.withFrame { (frame: StackAllocator) throws(BodyError) in
                _ = try? frame.allocate(Layout(size: 256, alignment: 8))
                #expect(frame.used > 256)
                throw BodyError(value: 7)
            }
            Issue.record("withFrame did not rethrow")
        } catch {
            let typed: BodyError = error
            #expect(typed == BodyError(value: 7))
        }
        #expect(stack.used == 0)
    }

    @Test func nestedFramesPopEachLevel() throws {
        let stack = try StackAllocator(capacity: 4096)
        try stack.withFrame { outer in
            _ = try outer.allocate(Layout(size: 100, alignment: 8))
            let outerUsed = outer.used
            try outer.withFrame { inner in
                _ = try inner.allocate(Layout(size: 100, alignment: 8))
                #expect(inner.used > outerUsed)
            }
            #expect(outer.used == outerUsed)
        }
        #expect(stack.used == 0)
    }

    @Test func aBodyThatResetsLeavesTheStackAsTheBodyDid() throws {
        let stack = try StackAllocator(capacity: 1024)
        _ = try stack.allocate(Layout(size: 64, alignment: 8))
        try stack.withFrame { frame in
            frame.reset()
            _ = try frame.allocate(Layout(size: 8, alignment: 8))
        }
        #expect(stack.used == StackAllocator.headerSize + 8)
        #expect(stack.statistics?.resets == 1)
    }

    // MARK: Non-trivial values

    @Test func frameExitDeinitializesTheFramesValuesNewestFirst() throws {
        let log = DeinitLog()
        let stack = try StackAllocator(capacity: 4096)
        _ = try stack.create(DeinitCounter(1, log: log))
        try stack.withFrame { frame in
            _ = try frame.create(DeinitCounter(2, log: log))
            _ = try frame.create(
                NamedValue(name: String(repeating: "x", count: 64), tracker: DeinitCounter(3, log: log)))
            _ = try frame.create(TrackedArray(items: [DeinitCounter(4, log: log), DeinitCounter(5, log: log)]))
        }
        #expect(log.entries == [4, 5, 3, 2])
        stack.reset()
        #expect(log.entries == [4, 5, 3, 2, 1])
    }

    @Test func releaseDeinitializesOnlyValuesCreatedAfterTheMarker() throws {
        let log = DeinitLog()
        let stack = try StackAllocator(capacity: 4096)
        _ = try stack.create(DeinitCounter(1, log: log))
        let marker = stack.mark()
        _ = try stack.create(DeinitCounter(2, log: log))
        _ = try stack.create(DeinitCounter(3, log: log))
        try stack.release(to: marker)
        #expect(log.entries == [3, 2])
    }

    @Test func resetAndDeinitDeinitializeRemainingValuesNewestFirst() throws {
        let log = DeinitLog()
        let stack = try StackAllocator(capacity: 4096)
        for id in 1...3 { _ = try stack.create(DeinitCounter(id, log: log)) }
        stack.reset()
        #expect(log.entries == [3, 2, 1])
        do {
            let scoped = try StackAllocator(capacity: 4096)
            for id in 4...6 { _ = try scoped.create(DeinitCounter(id, log: log)) }
            #expect(scoped.used > 0)
        }
        #expect(log.entries == [3, 2, 1, 6, 5, 4])
    }

    @Test func poppingTheNewestCreatedValueAfterDeinitializingItDoesNotDeinitializeItAgain() throws {
        let log = DeinitLog()
        let stack = try StackAllocator(capacity: 4096)
        _ = try stack.create(DeinitCounter(1, log: log))
        let usedBefore = stack.used
        let newest = try stack.create(DeinitCounter(2, log: log))
        newest.deinitialize(count: 1)
        try stack.deallocate(newest)
        #expect(stack.used == usedBefore)
        #expect(log.entries == [2])
        stack.reset()
        #expect(log.entries == [2, 1])
    }

    @Test func poppingACreatedObjectWhoseSizeIsNotItsStride() throws {
        let log = DeinitLog()
        let stack = try StackAllocator(capacity: 4096)
        let value = try stack.create(PaddedObject(tracker: DeinitCounter(1, log: log), flag: true))
        value.deinitialize(count: 1)
        do {
            try stack.deallocate(value)
            #expect(stack.used == 0)
        } catch {
            Issue.record("deallocate(_:count:) of a value made by create(_:) threw:\n\(error)")
            // The stack kept the value's deinitializer: give it a live value so the reset below stays safe.
            value.initialize(to: PaddedObject(tracker: DeinitCounter(99, log: log), flag: false))
        }
        stack.reset()
        #expect(log.entries.filter { $0 == 1 } == [1], "the value must be deinitialized exactly once")
    }

    @Test func trivialValuesNeedNoBookkeeping() throws {
        let stack = try StackAllocator(capacity: 256)
        let value = try stack.create(Int64(5))
        #expect(stack.used == StackAllocator.headerSize + 8)
        #expect(value.pointee == 5)
        try stack.deallocate(value)
        #expect(stack.used == 0)
    }
}
