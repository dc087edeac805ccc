extension StackAllocator {
    /// How a ``StackAllocator`` checks and counts. A stack has a fixed capacity.
    public struct Configuration: Sendable, Hashable {
        /// Fill fresh memory with `0xCD` and released memory with `0xDD`.
        public var debugFill: Bool
        /// Count operations for ``StackAllocator/statistics``; off, the hot path counts nothing.
        public var trackStatistics: Bool

        /// Creates a configuration; the defaults are those of ``default``.
        public init(debugFill: Bool = false, trackStatistics: Bool = true) {
            self.debugFill = debugFill
            self.trackStatistics = trackStatistics
        }

        /// Statistics on, no fill patterns. LIFO order is always checked: it costs one comparison.
        public static let `default` = Configuration()
        /// Fill patterns and statistics: for tests and debugging.
        public static let debug = Configuration(debugFill: true)
        /// No statistics, no fill patterns: the fastest setting.
        public static let performance = Configuration(trackStatistics: false)
    }
}
