import NebulaMemory

/// A block pool W9 can make with statistics on or off: ``PoolAllocator`` and
/// ``ConcurrentPoolAllocator``.
protocol StatisticsPool: Allocator {
    /// A pool of `blockCount` blocks of `blockSize` bytes, 16-byte aligned, `.default` but for
    /// `trackStatistics`.
    static func make(blockSize: Int, blockCount: Int, trackStatistics: Bool) throws(AllocError) -> Self
    func reset()
}

extension PoolAllocator: StatisticsPool {
    static func make(blockSize: Int, blockCount: Int, trackStatistics: Bool) throws(AllocError) -> Self {
        var configuration = Configuration.default
        configuration.trackStatistics = trackStatistics
        return try Self(blockSize: blockSize, blockAlignment: 16, blockCount: blockCount, configuration: configuration)
    }
}

extension ConcurrentPoolAllocator: StatisticsPool {
    static func make(blockSize: Int, blockCount: Int, trackStatistics: Bool) throws(AllocError) -> Self {
        var configuration = Configuration.default
        configuration.trackStatistics = trackStatistics
        // Slack for the blocks that threads' caches hold.
        return try Self(
            blockSize: blockSize, blockAlignment: 16, blockCount: blockCount + 64 * 64, configuration: configuration)
    }
}
