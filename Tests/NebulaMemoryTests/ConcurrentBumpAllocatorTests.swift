import NebulaMemory
import Synchronization
import Testing

@Suite("ConcurrentBumpAllocator")
struct ConcurrentBumpAllocatorTests {
    @Test func allocatesAlignedMemoryAndResets() throws {
        let arena = try ConcurrentBumpAllocator(capacity: 1 << 16)
        for alignment in powerOfTwoAlignments {
            let p = try arena.allocate(Layout(size: 24, alignment: alignment))
            #expect(isAligned(p, to: alignment))
        }
        #expect(arena.used > 0)
        try arena.reset()
        #expect(arena.used == 0)
    }

    @Test func threadsNeverShareMemory() async throws {
        let arena = try ConcurrentBumpAllocator(
            capacity: 1 << 16, configuration: .init(growth: .chunked(chunkSize: 1 << 16, maxCapacity: 64 << 20)))
        let perTask = 20_000
        let tasks = 8
        let addresses = try await withThrowingTaskGroup(of: [UInt].self) { group in
            for id in 0..<tasks {
                group.addTask {
                    var mine: [UInt] = []
                    mine.reserveCapacity(perTask)
                    for i in 0..<perTask {
                        let p = try arena.allocate(Layout(size: 16, alignment: 8))
                        p.storeBytes(of: UInt64(id << 32 | i), as: UInt64.self)
                        mine.append(UInt(bitPattern: p))
                    }
                    for (i, address) in mine.enumerated() {
                        let value = UnsafeRawPointer(bitPattern: address)!.load(as: UInt64.self)
                        #expect(value == UInt64(id << 32 | i))
                    }
                    return mine
                }
            }
            var all: [UInt] = []
            for try await part in group { all += part }
            return all
        }
        #expect(Set(addresses).count == perTask * tasks)
        #expect(arena.statistics?.allocations == perTask * tasks)
        try arena.reset()
        #expect(arena.used == 0)
    }
}
