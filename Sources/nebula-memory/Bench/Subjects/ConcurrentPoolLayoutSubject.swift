import NebulaMemory

/// The thread-safe pool through `allocate(_:)`, with statistics on or off and every other
/// setting as `.default` (W9).
struct ConcurrentPoolLayoutSubject<Statistics: StatisticsSetting>: BenchSubject {
    static var freesEachPointer: Bool { false }
    let pool: ConcurrentPoolAllocator

    init(maxLive: Int, maxSize: Int) throws(AllocError) {
        var configuration = ConcurrentPoolAllocator.Configuration.default
        configuration.trackStatistics = Statistics.trackStatistics
        // Slack for the blocks that threads' caches hold.
        pool = try ConcurrentPoolAllocator(
            blockSize: maxSize, blockAlignment: 16, blockCount: maxLive + 64 * 64, configuration: configuration)
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
