extension StackAllocator {
    /// How a ``StackAllocator`` checks and counts. A stack has a fixed capacity.
    public struct Configuration: Sendable, Hashable {
        /// Fill fresh memory with `0xCD` and released memory with `0xDD`.
        public var debugFill: Bool
        /// Count operations for ``StackAllocator/statistics``; off, the hot path counts nothing.
        public var trackStatistics: Bool
        /// Write an 8-byte canary after every allocation and check it when the allocation is
        /// popped, released with its frame or reset: a write past an allocation's end is
        /// reported as `ALLOC_INVALID_STATE` ("heap corruption detected"). Each allocation
        /// takes 8 more bytes and every operation takes the slow path.
        public var hardened: Bool

        /// Creates a configuration; the defaults are those of ``default``.
        ///
        /// - Parameters:
        ///   - debugFill: fill fresh and released memory with patterns.
        ///   - trackStatistics: count operations for ``StackAllocator/statistics``.
        ///   - hardened: write and check a canary after every allocation.
        public init(debugFill: Bool = false, trackStatistics: Bool = true, hardened: Bool = false) {
            self.debugFill = debugFill
            self.trackStatistics = trackStatistics
            self.hardened = hardened
        }

        /// Statistics on, no fill patterns. LIFO order is always checked: it costs one comparison.
        public static let `default` = Configuration()
        /// Fill patterns and statistics: for tests and debugging.
        public static let debug = Configuration(debugFill: true)
        /// No statistics, no fill patterns: the fastest setting.
        public static let performance = Configuration(trackStatistics: false)
        /// Canaries after every allocation, checked on pop, release and reset, with statistics:
        /// for code that handles untrusted sizes, or to hunt an overrun.
        public static let hardened = Configuration(hardened: true)
    }
}
