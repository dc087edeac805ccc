import NebulaMemory

/// The engine `nebula-memory profile` samples: request buffers from an arena, graph nodes
/// from a block pool (the newest 512 kept, so they show as live), evaluation frames from a
/// stack, payloads from the system allocator and a few retained documents (live until the
/// end), picked at random in fixed proportions.
struct ProfileDemo {
    let allocations: Int
    let seed: UInt64

    /// A graph node: 64 bytes.
    struct Node {
        var id = 0
        var edges: (Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0)
    }

    /// Runs the engine and returns what the profiler recorded before the live memory went back.
    func run() throws(AllocError) -> AllocationProfile {
        let arena = try BumpAllocator(capacity: 1 << 20)
        let stack = try StackAllocator(capacity: 1 << 20)
        let nodes = try PoolAllocator(blockSize: MemoryLayout<Node>.stride, blockCount: 1024)
        let system = SystemAllocator.shared
        var kept: [UnsafeMutablePointer<Node>?] = Array(repeating: nil, count: 512)
        var documents: [UnsafeMutablePointer<UInt8>] = []
        defer {
            for node in kept { if let node { try? nodes.deallocate(node) } }
            for document in documents { try? system.deallocate(document, count: 8192) }
        }
        var random = seed | 1
        for index in 0..<allocations {
            random ^= random << 13
            random ^= random >> 7
            random ^= random << 17
            switch random % 100 {
            case 0..<40:
                let size = 256 + Int((random >> 32) % 1792)
                let buffer = try arena.allocate(UInt8.self, count: size)
                try arena.deallocate(buffer, count: size)
                if index % 1024 == 0 { arena.reset() }
            case 40..<75:
                let slot = index % kept.count
                if let old = kept[slot] { try nodes.deallocate(old) }
                kept[slot] = try nodes.allocate(Node.self)
            case 75..<90:
                let frame = try stack.allocate(Double.self, count: 64)
                try stack.deallocate(frame, count: 64)
            case 90..<99:
                let payload = try system.allocate(UInt8.self, count: 16 * 1024)
                try system.deallocate(payload, count: 16 * 1024)
            default:
                documents.append(try system.allocate(UInt8.self, count: 8192))
            }
        }
        return AllocationProfiler.profile()
    }
}
