extension ConcurrentPoolAllocator {
    /// How a ``ConcurrentPoolAllocator`` grows, checks and counts: the settings of
    /// ``PoolAllocator/Configuration``, each with the same meaning.
    ///
    /// ```swift
    /// let blocks = try ConcurrentPoolAllocator(blockSize: 256, blockCount: 4096, configuration: .hardened)
    /// ```
    public struct Configuration: Sendable, Hashable {
        /// Whether the pool may take more blocks from the system when all are in use.
        public typealias Growth = PoolAllocator.Configuration.Growth

        /// Fixed size or growth by slabs.
        public var growth: Growth
        /// Check every freed pointer: a pointer that is not a block of this pool is
        /// `ALLOC_INVALID_POINTER`, a block freed twice `ALLOC_DOUBLE_FREE` (of two threads
        /// freeing one block at once, exactly one succeeds), and the pool stays unchanged. Off,
        /// such a free corrupts the pool: turn it off only for code whose frees are proven.
        public var validatePointers: Bool
        /// Fill fresh blocks with `0xCD` and freed blocks with `0xDD`; every operation then
        /// takes the pool's shared path.
        public var debugFill: Bool
        /// Report ``ConcurrentPoolAllocator/statistics`` (the counters are kept either way:
        /// they cost the owning thread a plain store).
        public var trackStatistics: Bool
        /// Write an 8-byte canary after every block's ``ConcurrentPoolAllocator/blockSize``
        /// bytes and check it when the block is freed or the pool reset: a write past a
        /// block's end is `ALLOC_INVALID_STATE` ("heap corruption detected") and the block
        /// stays allocated. The block stride grows by the canary, pointers are validated
        /// whatever `validatePointers` says, and every operation takes the shared path.
        public var hardened: Bool

        /// Creates a configuration; the defaults are those of ``default``.
        ///
        /// - Parameters:
        ///   - growth: fixed size or growth by slabs.
        ///   - validatePointers: check every freed pointer.
        ///   - debugFill: fill fresh and freed blocks with patterns.
        ///   - trackStatistics: report ``ConcurrentPoolAllocator/statistics``.
        ///   - hardened: write and check a canary after every block.
        public init(
            growth: Growth = .fixed, validatePointers: Bool = true, debugFill: Bool = false,
            trackStatistics: Bool = true, hardened: Bool = false
        ) {
            self.growth = growth
            self.validatePointers = validatePointers
            self.debugFill = debugFill
            self.trackStatistics = trackStatistics
            self.hardened = hardened
        }

        /// The same settings as a ``PoolAllocator/Configuration``, for code that configures
        /// both pools alike.
        ///
        /// - Parameter configuration: the single-threaded pool's settings to copy.
        public init(_ configuration: PoolAllocator.Configuration) {
            self.init(
                growth: configuration.growth, validatePointers: configuration.validatePointers,
                debugFill: configuration.debugFill, trackStatistics: configuration.trackStatistics,
                hardened: configuration.hardened)
        }

        /// Fixed size, pointer validation and statistics on.
        public static let `default` = Configuration()
        /// Validation, fill patterns and statistics: for tests and debugging.
        public static let debug = Configuration(debugFill: true)
        /// No validation, no statistics: the fastest setting, for proven code only.
        public static let performance = Configuration(validatePointers: false, trackStatistics: false)
        /// Canaries after every block, checked on free and reset, with validation and
        /// statistics: for code that handles untrusted sizes, or to hunt an overrun.
        public static let hardened = Configuration(hardened: true)
    }
}
