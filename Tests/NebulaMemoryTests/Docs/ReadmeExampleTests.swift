import NebulaMemory
import Testing

/// The quick start of README.md, kept compiling and correct.
@Suite("README quick start")
struct ReadmeExampleTests {
    struct NodeState {
        var name: String
        var attempts = 0
    }

    @Test func quickStartRuns() throws {
        let arena = try BumpAllocator(
            capacity: 64 * 1024,
            configuration: .init(growth: .chunked(chunkSize: 64 * 1024, maxCapacity: 16 << 20)))

        let state = try arena.create(NodeState(name: "http-request"))
        state.pointee.attempts += 1
        #expect(state.pointee.name == "http-request")
        #expect(state.pointee.attempts == 1)

        let usedBefore = arena.used
        let scratchTotal = try arena.withScope { scratch in
            let values = try scratch.allocate(Int.self, count: 1_000)
            for i in 0..<1_000 { (values + i).initialize(to: i) }
            return (0..<1_000).reduce(0) { $0 + values[$1] }
        }
        #expect(scratchTotal == 499_500)
        #expect(arena.used == usedBefore)

        arena.reset()
        #expect(arena.used == 0)

        let pool = try PoolAllocator(blockSize: 256, blockAlignment: 16, blockCount: 1_024)
        let block = try pool.allocateBlock()
        try pool.deallocateBlock(block)
        let error = expectAllocError(.doubleFree) { try pool.deallocateBlock(block) }
        #expect(error?.code.rawValue == "ALLOC_DOUBLE_FREE")
        #expect(pool.freeBlockCount == 1_024)
    }
}
