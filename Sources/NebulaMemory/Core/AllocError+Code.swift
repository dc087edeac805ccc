extension AllocError {
    /// The stable code of a failure. The raw value is what logs, metrics and
    /// `nebula-memory explain` use; it never changes once released.
    ///
    /// `Code.allCases` is the error catalog; every code has an ``entry`` with a title, an
    /// explanation, common causes and a fix.
    public enum Code: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
        /// The system (or the process's limit) refused to provide memory.
        case outOfMemory = "ALLOC_OUT_OF_MEMORY"
        /// A size computation (count × stride, size + padding) does not fit in an `Int`.
        case sizeOverflow = "ALLOC_SIZE_OVERFLOW"
        /// An alignment that is not a power of two in `1...4096`, or one an allocator cannot serve.
        case invalidAlignment = "ALLOC_INVALID_ALIGNMENT"
        /// A request larger than the allocator can ever serve.
        case exceedsMaxSize = "ALLOC_EXCEEDS_MAX_SIZE"
        /// A malformed request: negative size or count, or a layout that does not fit the allocator.
        case invalidLayout = "ALLOC_INVALID_LAYOUT"
        /// A configuration value out of its range.
        case invalidConfiguration = "ALLOC_INVALID_CONFIGURATION"
        /// An operation that does not fit the allocator's current state (a stale checkpoint).
        case invalidState = "ALLOC_INVALID_STATE"
        /// Two threads used an allocator in a way it does not allow.
        case concurrentAccess = "ALLOC_CONCURRENT_ACCESS"
        /// A process or system resource limit was reached.
        case resourceLimit = "ALLOC_RESOURCE_LIMIT"
        /// Every block of a pool is in use.
        case poolExhausted = "ALLOC_POOL_EXHAUSTED"
        /// A bump arena has no room left for the request.
        case arenaExhausted = "ALLOC_ARENA_EXHAUSTED"
        /// A policy refused the request.
        case denied = "ALLOC_DENIED"
        /// A pointer that this allocator did not hand out, or not at the start of a block.
        case invalidPointer = "ALLOC_INVALID_POINTER"
        /// A block freed a second time.
        case doubleFree = "ALLOC_DOUBLE_FREE"
        /// A stack allocation freed out of last-in, first-out order.
        case lifoViolation = "ALLOC_LIFO_VIOLATION"
        /// A memory budget's limit would be exceeded.
        case budgetExceeded = "ALLOC_BUDGET_EXCEEDED"

        /// The raw code, e.g. `ALLOC_OUT_OF_MEMORY`.
        public var description: String { rawValue }

        /// Looks a code up by its raw value, ignoring case and an optional `ALLOC_` prefix,
        /// so that `out_of_memory` and `alloc_out_of_memory` both name ``outOfMemory``.
        public init?(lenient text: String) {
            var key = String(text.uppercased().map { $0 == "-" ? "_" : $0 })
            if !key.hasPrefix("ALLOC_") { key = "ALLOC_" + key }
            self.init(rawValue: key)
        }
    }
}
