import NebulaMemory

struct BumpSubject: BenchSubject {
    static let freesEachPointer = false
    let arena: BumpAllocator

    init(maxLive: Int, maxSize: Int) throws(AllocError) {
        // Slack for alignment padding.
        arena = try BumpAllocator(capacity: maxLive * maxSize + 4096)
    }

    @inline(__always)
    mutating func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        try arena.allocate(layout)
    }

    @inline(__always)
    mutating func free(_ pointer: UnsafeMutableRawPointer, _ layout: Layout) throws(AllocError) {
        try arena.deallocate(pointer, layout: layout)
    }

    @inline(__always)
    mutating func releaseBatch(_ pointers: UnsafeMutablePointer<UnsafeMutableRawPointer>, count: Int, _ layout: Layout)
    {
        arena.reset()
    }
}
