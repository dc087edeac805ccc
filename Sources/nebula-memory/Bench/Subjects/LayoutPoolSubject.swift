import NebulaMemory

/// A block pool through `allocate(_:)`, the path that counts each request's size, with
/// statistics on or off and every other setting as `.default` (W9).
struct LayoutPoolSubject<Pool: StatisticsPool, Statistics: StatisticsSetting>: BenchSubject {
    static var freesEachPointer: Bool { false }
    let pool: Pool

    init(maxLive: Int, maxSize: Int) throws(AllocError) {
        pool = try Pool.make(blockSize: maxSize, blockCount: maxLive, trackStatistics: Statistics.trackStatistics)
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
