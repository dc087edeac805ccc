import NebulaMemory

/// The pool through `allocate(_:)`, the path that counts each request's size, with statistics
/// on or off and every other setting as `.default` (W9).
struct PoolLayoutSubject<Statistics: StatisticsSetting>: BenchSubject {
    static var freesEachPointer: Bool { false }
    let pool: PoolAllocator

    init(maxLive: Int, maxSize: Int) throws(AllocError) {
        var configuration = PoolAllocator.Configuration.default
        configuration.trackStatistics = Statistics.trackStatistics
        pool = try PoolAllocator(
            blockSize: maxSize, blockAlignment: 16, blockCount: maxLive, configuration: configuration)
    }

    @inline(__always)
    mutating func allocate(_ layout: Layout) throws(AllocError) -> UnsafeMutableRawPointer {
        try pool.allocate(layout)
    }

    @inline(__always)
    mutating func free(_ pointer: UnsafeMutableRawPointer, _ layout: Layout) throws(AllocError) {
        try pool.deallocate(pointer, layout: layout)
    }

    @inline(__always)
    mutating func releaseBatch(_ pointers: UnsafeMutablePointer<UnsafeMutableRawPointer>, count: Int, _ layout: Layout)
    {
        pool.reset()
    }
}
