import NebulaMemory

/// The thread-safe arena: single-threaded in W1–W5, shared by two threads in W6.
struct ConcurrentBumpSubject: BenchSubject, SharedBenchSubject {
    static var freesEachPointer: Bool { false }
    static var threadsFreeEachPointer: Bool { false }
    let arena: ConcurrentBumpAllocator

    init(maxLive: Int, maxSize: Int) throws(AllocError) {
        // Slack for alignment padding and the unused rest of thread buffers.
        arena = try ConcurrentBumpAllocator(capacity: maxLive * maxSize + maxLive * maxSize / 8 + (1 << 20))
    }

    @inline(__always)
    func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        try arena.allocate(layout)
    }

    @inline(__always)
    func free(_ pointer: UnsafeMutableRawPointer, _ layout: Layout) throws(AllocError) {
        try arena.deallocate(pointer, layout: layout)
    }

    @inline(__always)
    func releaseBatch(_ pointers: UnsafeMutablePointer<UnsafeMutableRawPointer>, count: Int, _ layout: Layout)
        throws(AllocError)
    {
        try arena.reset()
    }

    func releaseAll() throws(AllocError) {
        try arena.reset()
    }
}
