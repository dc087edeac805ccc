import NebulaMemory
import Testing

/// The log is process-wide and other tests find corruption too: these look for their own
/// report by its unusual size.
@Suite("HeapCorruptionLog")
struct HeapCorruptionLogTests {
    @Test func aDamagedCanaryIsKeptWithItsErrorAndCounted() throws {
        let arena = try BumpAllocator(capacity: 4096, configuration: .hardened)
        let layout = try Layout(size: 1237, alignment: 1)
        let pointer = try arena.allocate(layout)
        let countBefore = HeapCorruptionLog.count
        let canary = pointer.load(fromByteOffset: 1237, as: UInt8.self)
        pointer.storeBytes(of: ~canary, toByteOffset: 1237, as: UInt8.self)
        let error = expectAllocError(.invalidState) { try arena.deallocate(pointer, layout: layout) }
        #expect(HeapCorruptionLog.count > countBefore)
        let mine = HeapCorruptionLog.events(after: countBefore).filter {
            $0.error.message.contains("(size 1237 bytes)")
        }
        #expect(mine.count == 1)
        #expect(mine.first?.error == error)
        let sequence = try #require(mine.first?.sequence)
        #expect(HeapCorruptionLog.events(after: sequence).allSatisfy { $0.sequence > sequence })
        pointer.storeBytes(of: canary, toByteOffset: 1237, as: UInt8.self)
        try arena.deallocate(pointer, layout: layout)
    }

    @Test func onlyTheMostRecentReportsAreKept() {
        #expect(HeapCorruptionLog.events(after: 0).count <= HeapCorruptionLog.capacity)
    }
}
