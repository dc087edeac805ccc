import NebulaMemory

/// The pool through its block API, as pool users call it: every workload layout fits a block
/// by construction (`BenchSubjectKind.make`).
struct PoolSubject: BenchSubject {
    static let freesEachPointer = true
    let pool: PoolAllocator

    init(maxLive: Int, maxSize: Int) throws(AllocError) {
        pool = try PoolAllocator(blockSize: maxSize, blockAlignment: 16, blockCount: maxLive)
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
        throws(AllocError)
    {
        for i in 0..<count { try pool.deallocateBlock(pointers[i]) }
    }
}
