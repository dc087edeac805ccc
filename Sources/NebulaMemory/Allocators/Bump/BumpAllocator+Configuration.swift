extension BumpAllocator {
    /// How a ``BumpAllocator`` grows, checks and counts.
    ///
    /// ```swift
    /// let arena = try BumpAllocator(
    ///     capacity: 64 * 1024,
    ///     configuration: .init(growth: .chunked(chunkSize: 64 * 1024, maxCapacity: 16 << 20)))
    /// ```
    public struct Configuration: Sendable, Hashable {
        /// Whether the arena may take more memory from the system when it is full.
        public enum Growth: Sendable, Hashable {
            /// One block of `capacity` bytes; a full arena throws `ALLOC_ARENA_EXHAUSTED`.
            case fixed
            /// New chunks of `chunkSize` bytes (larger for a larger request) as needed, while the
            /// arena's total stays within `maxCapacity`. A reset keeps only the first chunk.
            case chunked(chunkSize: Int, maxCapacity: Int)
        }

        /// Fixed size or chunked growth.
        public var growth: Growth
        /// Fill fresh memory with `0xCD` and reclaimed memory with `0xDD`, so that reads of
        /// uninitialized or dangling memory stand out. Costs a `memset` per operation.
        public var debugFill: Bool
        /// Count allocations for ``BumpAllocator/statistics``; off, the hot path counts nothing.
        public var trackStatistics: Bool
        /// Write an 8-byte canary after every allocation and check it when the allocation is
        /// freed, restored away or reset: a write past an allocation's end is reported as
        /// `ALLOC_INVALID_STATE` ("heap corruption detected") instead of going unnoticed. Each
        /// allocation takes 8 more bytes and every operation takes the slow path.
        public var hardened: Bool
        /// Zero reclaimed memory (on reset, restore, scope end, freeing the newest allocation,
        /// and deinit) with ``MemoryOps/secureZero(_:)``: for arenas that hold secrets. Costs a
        /// `memset` of the reclaimed bytes; with `debugFill` too, memory is zeroed, not filled.
        public var zeroOnReset: Bool

        /// Creates a configuration; the defaults are those of ``default``.
        ///
        /// - Parameters:
        ///   - growth: fixed size or chunked growth.
        ///   - debugFill: fill fresh and reclaimed memory with patterns.
        ///   - trackStatistics: count allocations for ``BumpAllocator/statistics``.
        ///   - hardened: write and check a canary after every allocation.
        ///   - zeroOnReset: zero reclaimed memory.
        public init(
            growth: Growth = .fixed, debugFill: Bool = false, trackStatistics: Bool = true, hardened: Bool = false,
            zeroOnReset: Bool = false
        ) {
            self.growth = growth
            self.debugFill = debugFill
            self.trackStatistics = trackStatistics
            self.hardened = hardened
            self.zeroOnReset = zeroOnReset
        }

        /// Fixed capacity, statistics on, no fill patterns.
        public static let `default` = Configuration()
        /// Fill patterns and statistics: for tests and debugging.
        public static let debug = Configuration(debugFill: true, trackStatistics: true)
        /// No statistics, no fill patterns: the fastest setting.
        public static let performance = Configuration(trackStatistics: false)
        /// Canaries after every allocation, checked on free, restore and reset, with
        /// statistics: for code that handles untrusted sizes, or to hunt an overrun.
        public static let hardened = Configuration(hardened: true)
    }
}
