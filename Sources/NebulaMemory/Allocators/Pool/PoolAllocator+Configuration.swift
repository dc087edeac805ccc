extension PoolAllocator {
    /// How a ``PoolAllocator`` grows, checks and counts.
    ///
    /// ```swift
    /// let pool = try PoolAllocator(
    ///     blockSize: 256, blockAlignment: 16, blockCount: 1024,
    ///     configuration: .init(growth: .growing(maxBlockCount: 64 * 1024)))
    /// ```
    public struct Configuration: Sendable, Hashable {
        /// Whether the pool may take more blocks from the system when all are in use.
        public enum Growth: Sendable, Hashable {
            /// `blockCount` blocks; when all are in use, `ALLOC_POOL_EXHAUSTED`.
            case fixed
            /// A new slab when all blocks are in use, doubling the pool each time, up to
            /// `maxBlockCount` blocks in all. Slabs are kept until the pool is released.
            case growing(maxBlockCount: Int)
        }

        /// Fixed size or growth by slabs.
        public var growth: Growth
        /// Check every freed pointer: a pointer that is not a block of this pool is
        /// `ALLOC_INVALID_POINTER`, a block freed twice `ALLOC_DOUBLE_FREE`, and the pool stays
        /// unchanged. Off, such a free corrupts the pool: turn it off only for code whose
        /// frees are proven correct.
        public var validatePointers: Bool
        /// Fill fresh blocks with `0xCD` and freed blocks with `0xDD`.
        public var debugFill: Bool
        /// Count operations for ``PoolAllocator/statistics``.
        public var trackStatistics: Bool
        /// Write an 8-byte canary after every block's ``PoolAllocator/blockSize`` bytes and
        /// check it when the block is freed or the pool reset: a write past a block's end is
        /// reported as `ALLOC_INVALID_STATE` ("heap corruption detected"). The block stride
        /// grows by the canary (``PoolAllocator/blockSize`` stays as asked), and pointers are
        /// validated whatever `validatePointers` says.
        public var hardened: Bool

        /// Creates a configuration; the defaults are those of ``default``.
        ///
        /// - Parameters:
        ///   - growth: fixed size or growth by slabs.
        ///   - validatePointers: check every freed pointer.
        ///   - debugFill: fill fresh and freed blocks with patterns.
        ///   - trackStatistics: count operations for ``PoolAllocator/statistics``.
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
