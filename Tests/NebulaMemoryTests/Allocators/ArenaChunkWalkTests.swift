import NebulaMemory
import Testing

/// What a walk saw of one chunk.
private struct SeenChunk: Equatable {
    var index: Int
    var used: Int
    var usable: Int
    var position: Int
    var isSpare: Bool
    /// Every used byte equal to this one (nil for no used byte or mixed bytes).
    var uniformByte: UInt8?
}

private func seen(_ chunk: ArenaChunk) -> SeenChunk {
    #expect(chunk.memory.count == chunk.headerSize + chunk.usable.count)
    #expect(chunk.usable.baseAddress == chunk.memory.baseAddress! + chunk.headerSize)
    #expect(chunk.used.baseAddress == chunk.usable.baseAddress && chunk.used.count <= chunk.usable.count)
    let first = chunk.used.first
    return SeenChunk(
        index: chunk.index, used: chunk.used.count, usable: chunk.usable.count, position: chunk.position,
        isSpare: chunk.isSpare, uniformByte: chunk.used.allSatisfy { $0 == first } ? first : nil)
}

private struct StopWalk: Error {}

/// An arena of 4 KiB chunks that takes a new chunk for each 3000-byte allocation.
private let chunked = BumpAllocator.Configuration.Growth.chunked(chunkSize: 4096, maxCapacity: 1 << 20)

@Suite("Arena chunk walks")
struct ArenaChunkWalkTests {
    @Test func aBumpArenaShowsEachChunkItsBytesAndItsSpares() throws {
        let arena = try BumpAllocator(capacity: 4096, configuration: .init(growth: chunked))
        let layout = try Layout(size: 3000, alignment: 8)
        try arena.allocate(layout).initializeMemory(as: UInt8.self, repeating: 0xA1, count: 3000)
        let point = arena.checkpoint()
        try arena.allocate(layout).initializeMemory(as: UInt8.self, repeating: 0xB2, count: 3000)
        try arena.allocate(layout).initializeMemory(as: UInt8.self, repeating: 0xC3, count: 3000)
        var chunks: [SeenChunk] = []
        arena.forEachChunk { chunks.append(seen($0)) }
        #expect(chunks.map(\.index) == [0, 1, 2])
        #expect(chunks.map(\.used) == [3000, 3000, 3000])
        #expect(chunks.map(\.uniformByte) == [0xA1, 0xB2, 0xC3])
        #expect(chunks.allSatisfy { !$0.isSpare && $0.usable >= 4096 })
        #expect(chunks[2].position + chunks[2].used == arena.used)

        try arena.restore(to: point)
        chunks = []
        arena.forEachChunk { chunks.append(seen($0)) }
        #expect(chunks.map(\.isSpare) == [false, true, true])
        #expect(chunks.map(\.used) == [3000, 0, 0])

        var visits = 0
        #expect(throws: StopWalk.self) {
            try arena.forEachChunk { (_) throws(StopWalk) in
                visits += 1
                throw StopWalk()
            }
        }
        #expect(visits == 1, "the walk stopped at the body's error")
    }

    @Test func aConcurrentArenaShowsItsChunksToo() throws {
        let arena = try ConcurrentBumpAllocator(capacity: 4096, configuration: .init(growth: chunked))
        let layout = try Layout(size: 3000, alignment: 8)
        try arena.allocate(layout).initializeMemory(as: UInt8.self, repeating: 0xA1, count: 3000)
        try arena.allocate(layout).initializeMemory(as: UInt8.self, repeating: 0xB2, count: 3000)
        var chunks: [SeenChunk] = []
        arena.forEachChunk { chunks.append(seen($0)) }
        #expect(chunks.map(\.index) == [0, 1])
        #expect(chunks.map(\.uniformByte) == [0xA1, 0xB2])
        #expect(chunks[1].position + chunks[1].used == arena.used)
        try arena.reset()
        chunks = []
        arena.forEachChunk { chunks.append(seen($0)) }
        #expect(chunks.count == 1 && chunks[0].used == 0, "a reset gives back all chunks but the first")
    }
}
