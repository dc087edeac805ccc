import NebulaMemory

/// The subjects `nebula-memory bench` knows, by their names in BENCHMARKS.md.
enum BenchSubjectKind: String, CaseIterable {
    case system
    case bump
    case pool
    case stack

    /// A subject of this kind, sized for `maxLive` allocations of up to `maxSize` bytes at once.
    func make(maxLive: Int, maxSize: Int) throws(AllocError) -> AnyBenchSubject {
        // Slack for alignment padding; the stack also needs a header per allocation.
        let bytes = maxLive * maxSize + 4096
        switch self {
        case .system:
            return .system(SystemSubject())
        case .bump:
            return .bump(BumpSubject(arena: try BumpAllocator(capacity: bytes)))
        case .pool:
            return .pool(PoolSubject(pool: try PoolAllocator(blockSize: maxSize, blockAlignment: 16, blockCount: maxLive)))
        case .stack:
            let capacity = bytes + maxLive * (StackAllocator.headerSize + 16)
            return .stack(StackSubject(stack: try StackAllocator(capacity: capacity)))
        }
    }
}

/// One subject of any kind. Workloads switch over it and call their generic function with the
/// concrete subject, which the compiler specializes: generic methods called through a
/// protocol requirement were left unspecialized, with every allocation behind a witness call.
enum AnyBenchSubject {
    case system(SystemSubject)
    case bump(BumpSubject)
    case pool(PoolSubject)
    case stack(StackSubject)
}
