/// Counters of an allocator, read as a snapshot.
///
/// Allocators keep these only when their configuration has `trackStatistics` on; with it off
/// the hot paths do no counting at all and `statistics` is `nil`.
///
/// ```swift
/// if let stats = arena.statistics {
///     print("peak \(stats.peakBytesInUse) bytes over \(stats.allocations) allocations")
/// }
/// ```
///
/// Every allocator fills the same shape. The thread-safe ones count per thread and add the
/// threads' counts up when read, so counting costs their hot paths no shared write.
public struct AllocatorStatistics: Sendable, Hashable {
    /// Successful allocations since creation.
    public var allocations: Int
    /// Successful deallocations (including no-op deallocations an arena accepts).
    public var deallocations: Int
    /// Bytes currently handed out (arenas: bytes consumed, including alignment padding).
    public var bytesInUse: Int
    /// The highest `bytesInUse` seen.
    public var peakBytesInUse: Int
    /// Allocation requests that threw.
    public var failedAllocations: Int
    /// The requests that threw, by the code of their error; codes that never failed are absent.
    public var failures: [AllocError.Code: Int]
    /// Calls to `reset()`.
    public var resets: Int
    /// The successful requests by size class. A pool counts the size asked for, not its
    /// block size (``PoolAllocator/allocateBlock()`` asks for a whole block).
    public var sizeClasses: SizeClassHistogram

    /// Creates a snapshot.
    ///
    /// - Parameters:
    ///   - allocations: successful allocations.
    ///   - deallocations: successful deallocations.
    ///   - bytesInUse: bytes handed out now.
    ///   - peakBytesInUse: the highest `bytesInUse` seen.
    ///   - failedAllocations: allocation requests that threw.
    ///   - failures: the failed requests by code.
    ///   - resets: calls to `reset()`.
    ///   - sizeClasses: the successful requests by size class.
    public init(
        allocations: Int = 0,
        deallocations: Int = 0,
        bytesInUse: Int = 0,
        peakBytesInUse: Int = 0,
        failedAllocations: Int = 0,
        failures: [AllocError.Code: Int] = [:],
        resets: Int = 0,
        sizeClasses: SizeClassHistogram = SizeClassHistogram()
    ) {
        self.allocations = allocations
        self.deallocations = deallocations
        self.bytesInUse = bytesInUse
        self.peakBytesInUse = peakBytesInUse
        self.failedAllocations = failedAllocations
        self.failures = failures
        self.resets = resets
        self.sizeClasses = sizeClasses
    }
}
