import NebulaMemory

/// The thread-safe pool through its block API: single-threaded in W1–W5 (a batch is released
/// with `reset()`, as arenas do), shared in W6 (each thread frees its own blocks).
struct ConcurrentPoolSubject: BenchSubject, SharedBenchSubject {
    static var freesEachPointer: Bool { false }
    static var threadsFreeEachPointer: Bool { true }
    let pool: ConcurrentPoolAllocator

    init(maxLive: Int, maxSize: Int) throws(AllocError) {
        // Slack for the blocks that threads' caches hold.
        pool = try ConcurrentPoolAllocator(blockSize: maxSize, blockAlignment: 16, blockCount: maxLive + 64 * 64)
    }

    @inline(__always)
    func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        try pool.allocateBlock()
    }

    @inline(__always)
    func free(_ pointer: UnsafeMutableRawPointer, _ layout: Layout) throws(AllocError) {
        try pool.deallocateBlock(pointer)
    }

    @inline(__always)
    func releaseBatch(_ pointers: UnsafeMutablePointer<UnsafeMutableRawPointer>, count: Int, _ layout: Layout) {
        pool.reset()
    }

    func releaseAll() {}
}
