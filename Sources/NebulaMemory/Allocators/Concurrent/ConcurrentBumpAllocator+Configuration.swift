extension ConcurrentBumpAllocator {
    /// How a ``ConcurrentBumpAllocator`` grows, checks and counts.
    public struct Configuration: Sendable, Hashable {
        /// Fixed size or chunked growth, as for ``BumpAllocator``.
        public typealias Growth = BumpAllocator.Configuration.Growth

        /// Fixed size or chunked growth.
        public var growth: Growth
        /// Fill fresh memory with `0xCD` and reclaimed memory with `0xDD`.
        public var debugFill: Bool
        /// Count operations for ``ConcurrentBumpAllocator/statistics``.
        public var trackStatistics: Bool
        /// Detect a reset, checkpoint or restore that overlaps an allocation on another thread
        /// and report it as `ALLOC_CONCURRENT_ACCESS` instead of corrupting memory. Costs two
        /// atomic read-modify-writes per allocation, and sends every allocation down the
        /// shared path.
        public var detectConcurrentMisuse: Bool
        /// Bytes a thread takes from the shared arena at once for its private buffer; 0 picks
        /// a size from the arena's capacity (1/64 of it, between 256 bytes and 32 KiB).
        public var threadBufferSize: Int
        /// Zero reclaimed memory (on reset, restore, scope end, and deinit) with
        /// ``MemoryOps/secureZero(_:)``: for arenas that hold secrets. Costs a `memset` of the
        /// reclaimed bytes, not a slower allocation; with `debugFill` too, memory is zeroed.
        public var zeroOnReset: Bool

        /// Creates a configuration; the defaults are those of ``default``.
        ///
        /// - Parameters:
        ///   - growth: fixed size or chunked growth.
        ///   - debugFill: fill fresh and reclaimed memory with patterns.
        ///   - trackStatistics: count operations for ``ConcurrentBumpAllocator/statistics``.
        ///   - detectConcurrentMisuse: report a reset, checkpoint or restore that overlaps an
        ///     allocation.
        ///   - threadBufferSize: bytes of each thread's private buffer; 0 picks one.
        ///   - zeroOnReset: zero reclaimed memory.
        public init(
            growth: Growth = .fixed, debugFill: Bool = false, trackStatistics: Bool = true,
            detectConcurrentMisuse: Bool = false, threadBufferSize: Int = 0, zeroOnReset: Bool = false
        ) {
            self.growth = growth
            self.debugFill = debugFill
            self.trackStatistics = trackStatistics
            self.detectConcurrentMisuse = detectConcurrentMisuse
            self.threadBufferSize = threadBufferSize
            self.zeroOnReset = zeroOnReset
        }

        /// Fixed capacity, statistics on, no fill patterns, no misuse detection.
        public static let `default` = Configuration()
        /// Fill patterns, statistics and misuse detection: for tests and debugging.
        public static let debug = Configuration(debugFill: true, detectConcurrentMisuse: true)
        /// No statistics, no checks: the fastest setting.
        public static let performance = Configuration(trackStatistics: false)
    }
}
