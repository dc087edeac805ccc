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
public struct AllocatorStatistics: Sendable, Hashable, Codable {
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
    /// Calls to `reset()`.
    public var resets: Int

    /// Creates a snapshot.
    ///
    /// - Parameters:
    ///   - allocations: successful allocations.
    ///   - deallocations: successful deallocations.
    ///   - bytesInUse: bytes handed out now.
    ///   - peakBytesInUse: the highest `bytesInUse` seen.
    ///   - failedAllocations: allocation requests that threw.
    ///   - resets: calls to `reset()`.
    public init(
        allocations: Int = 0,
        deallocations: Int = 0,
        bytesInUse: Int = 0,
        peakBytesInUse: Int = 0,
        failedAllocations: Int = 0,
        resets: Int = 0
    ) {
        self.allocations = allocations
        self.deallocations = deallocations
        self.bytesInUse = bytesInUse
        self.peakBytesInUse = peakBytesInUse
        self.failedAllocations = failedAllocations
        self.resets = resets
    }
}
