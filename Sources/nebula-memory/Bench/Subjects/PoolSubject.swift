import NebulaMemory

/// The pool through its block API, as pool users call it: every workload layout fits a block
/// by construction. A batch is released with `reset()`, as arenas do; W3 frees each block.
struct PoolSubject<Preset: SubjectPreset>: BenchSubject {
    static var freesEachPointer: Bool { false }
    let pool: PoolAllocator

    init(maxLive: Int, maxSize: Int) throws(AllocError) {
        pool = try PoolAllocator(
            blockSize: maxSize, blockAlignment: 16, blockCount: maxLive,
            configuration: Preset.performance ? .performance : .default)
    }

    @inline(__always)
    mutating func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        try pool.allocateBlock()
    }

    @inline(__always)
    mutating func free(_ pointer: UnsafeMutableRawPointer, _ layout: Layout) throws(AllocError) {
        try pool.deallocateBlock(pointer)
    }

    @inline(__always)
    mutating func releaseBatch(_ pointers: UnsafeMutablePointer<UnsafeMutableRawPointer>, count: Int, _ layout: Layout)
    {
        pool.reset()
    }
}
